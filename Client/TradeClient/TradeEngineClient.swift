import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TradeAPI

/// A typed connection to a tradeengine server over mutual TLS.
///
///     try await TradeEngineClient.with(settings) { engine in
///         let status = try await engine.query.getStatus(.init())
///     }
///
/// The client trusts only the given CA (never the system store) and presents
/// its certificate and key; the server's certificate must name the host in
/// `--server` (the server certificate lists 127.0.0.1 and localhost by default).
public struct TradeEngineClient: Sendable {
    public let control: Tradeengine_V1_ControlService.Client<HTTP2ClientTransport.Posix>
    public let query: Tradeengine_V1_QueryService.Client<HTTP2ClientTransport.Posix>
    public let stream: Tradeengine_V1_StreamService.Client<HTTP2ClientTransport.Posix>
    public let health: Grpc_Health_V1_Health.Client<HTTP2ClientTransport.Posix>

    /// Connects, runs `body`, and closes the connection.
    public static func with<R: Sendable>(_ settings: ConnectionSettings,
                                         _ body: (TradeEngineClient) async throws -> R) async throws -> R {
        try CertificatePrecheck.check(settings)
        let transport = try makeTransport(settings)
        return try await withGRPCClient(transport: transport) { grpc in
            try await body(TradeEngineClient(control: .init(wrapping: grpc), query: .init(wrapping: grpc),
                                             stream: .init(wrapping: grpc), health: .init(wrapping: grpc)))
        }
    }

    static func makeTransport(_ settings: ConnectionSettings) throws -> HTTP2ClientTransport.Posix {
        let (host, port) = try settings.hostAndPort()
        let target: any ResolvableTarget
        if host.split(separator: ".").count == 4, host.split(separator: ".").allSatisfy({ UInt8($0) != nil }) {
            target = .ipv4(host: host, port: port)
        } else if host.contains(":") {
            target = .ipv6(host: host, port: port)
        } else {
            target = .dns(host: host, port: port)
        }
        return try HTTP2ClientTransport.Posix(
            target: target,
            transportSecurity: .mTLS(
                certificateChain: [.file(path: settings.certificatePath, format: .pem)],
                privateKey: .file(path: settings.keyPath, format: .pem)
            ) { tls in
                tls.trustRoots = .certificates([.file(path: settings.caPath, format: .pem)])
                tls.serverCertificateVerification = .fullVerification
            },
            config: .defaults { config in
                // Fail fast when the server is down instead of retrying for long.
                config.backoff.initial = .milliseconds(100)
                config.backoff.max = .seconds(1)
            })
    }
}

extension CallOptions {
    /// Unary calls from tradectl: a bounded wait.
    public static var unary: CallOptions {
        var options = CallOptions.defaults
        options.timeout = .seconds(30)
        return options
    }
}
