import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TradeAPI
import TradeSecurity

/// The control plane: one engine host behind gRPC over HTTP/2 with mutual TLS.
///
/// There is no plaintext mode. The server presents `server.pem`, demands a
/// client certificate, and verifies it against `ca.pem` only (never the system
/// store), its validity period and the deny list, at the handshake. Every RPC
/// then passes `AuthorizationInterceptor`.
///
/// Shutdown (`beginShutdown`, wired to SIGTERM/SIGINT by the executable): stop
/// accepting, report NOT_SERVING, end the watch streams, let in-flight calls
/// finish within `shutdownGrace`, then stop the engine.
public final class TradeEngineServer: Sendable {
    public let options: ServerOptions
    let host: any EngineHosting
    let audit: any AuditLog
    let log: @Sendable (LogRecord) -> Void
    private let transport: HTTP2ServerTransport.Posix
    private let server: GRPCServer<HTTP2ServerTransport.Posix>
    private let health = HealthServiceHandler()
    private let streams = StreamRegistry()
    private let shutdownSignal: AsyncStream<Void>
    private let shutdownTrigger: AsyncStream<Void>.Continuation

    /// - Parameter log: where the server's own lines go (refused handshakes,
    ///   shutdown steps); the executable prints them and puts them on the bus.
    /// - Parameter metrics: counts every RPC by method and code (`serve --metrics`).
    public init(options: ServerOptions, host: any EngineHosting, audit: any AuditLog,
                metrics: EngineMetrics? = nil, log: @escaping @Sendable (LogRecord) -> Void) throws {
        self.options = options
        self.host = host
        self.audit = audit
        self.log = log
        let dir = CertificateDirectory(path: options.certificatesDirectory)
        for file in [dir.caCertificatePath, dir.serverCertificatePath, dir.serverKeyPath] where !FileManager.default.fileExists(atPath: file) {
            throw SecurityError("\(file) is missing; create the certificates with `tradectl certs init --dir \(dir.path)`")
        }
        let ca = try CertificateDirectory.readCertificate(path: dir.caCertificatePath)
        // Fail at start-up, not at the first handshake, if the server's own files are unusable.
        _ = try dir.loadCredential(certificatePath: dir.serverCertificatePath, keyPath: dir.serverKeyPath)
        let watcher = try RevocationWatcher(path: dir.revocationListPath, checkInterval: options.revocationCheckInterval) { error in
            log(LogRecord(level: .error, component: "server", message: "deny list not reloaded, previous list stays in force: \(error)"))
        }
        let validator = ClientCertificateValidator(certificateAuthority: ca, revocations: watcher)
        let verify = ClientCertificateVerification.callback(validator: validator) { reason in
            log(LogRecord(level: .warning, component: "server", message: "refused a client at the TLS handshake: \(reason)"))
        }
        let address: GRPCNIOTransportHTTP2.SocketAddress = options.listen.family == .ipv4
            ? .ipv4(host: options.listen.host, port: options.listen.port)
            : .ipv6(host: options.listen.host, port: options.listen.port)
        transport = HTTP2ServerTransport.Posix(
            address: address,
            transportSecurity: .mTLS(
                certificateChain: [.file(path: dir.serverCertificatePath, format: .pem)],
                privateKey: .file(path: dir.serverKeyPath, format: .pem)
            ) { tls in
                tls.trustRoots = .certificates([.file(path: dir.caCertificatePath, format: .pem)])
                tls.clientCertificateVerification = .noHostnameVerification
                tls.customVerificationCallback = verify
                tls.requireALPN = true  // gRPC clients always offer h2; anything else is not one of ours
            })
        let registry = streams
        server = GRPCServer(
            transport: transport,
            services: [
                ControlServiceHandler(host: host, revocations: RevocationAdmin(path: dir.revocationListPath, watcher: watcher)),
                QueryServiceHandler(host: host, audit: audit),
                StreamServiceHandler(host: host, registry: registry),
                health,
            ],
            // Metrics first, so denied calls are counted too.
            interceptors: (metrics.map { [MetricsInterceptor(metrics: $0)] } ?? []) + [AuthorizationInterceptor(audit: audit)])
        (shutdownSignal, shutdownTrigger) = AsyncStream.makeStream(of: Void.self)
    }

    /// Serves until `beginShutdown`; calls `onListening` with the bound address
    /// (useful with port 0) once the socket is listening.
    public func run(onListening: @Sendable (String) -> Void) async throws {
        let server = self.server
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await server.serve() }
            let bound = try await transport.listeningAddress
            if let v4 = bound.ipv4 { onListening("\(v4.host):\(v4.port)") }
            else if let v6 = bound.ipv6 { onListening("[\(v6.host)]:\(v6.port)") }
            else { onListening("\(bound)") }

            for await _ in shutdownSignal { break }
            log(LogRecord(level: .info, component: "server", message: "shutting down: no new calls; in-flight calls have \(options.shutdownGrace)"))
            health.markNotServing()
            server.beginGracefulShutdown()
            streams.shutdown()
            let grace = options.shutdownGrace
            group.addTask {
                try await Task.sleep(for: grace)
                throw CancellationError()
            }
            do {
                try await group.next()
            } catch is CancellationError {
                log(LogRecord(level: .warning, component: "server", message: "in-flight calls did not finish within \(grace); closing connections"))
            }
            group.cancelAll()
        }
        await host.shutdown()
        log(LogRecord(level: .info, component: "server", message: "stopped"))
    }

    /// Starts a graceful shutdown; safe to call more than once and from any thread.
    public func beginShutdown() { shutdownTrigger.yield() }
}
