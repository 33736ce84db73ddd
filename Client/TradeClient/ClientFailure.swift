import Foundation
import GRPCCore

/// Why a command failed, phrased as advice, with the exit code scripts rely on.
///
/// Exit codes (documented in the README and `tradectl --help`):
///
///     0  success
///     1  any other error (the server failed the call)
///     3  could not connect: server unreachable, TLS handshake refused, or a
///        local certificate problem (missing, expired, not yet valid)
///     4  permission denied: the certificate's role may not call this
///     5  invalid argument: the server refused the request's values
///     6  failed precondition: the engine's state forbids the command now
///     7  not found
///     64 command-line usage error
public struct ClientFailure: Error, CustomStringConvertible, Equatable {
    public enum Kind: Int32, Sendable {
        case other = 1
        case connection = 3
        case permissionDenied = 4
        case invalidArgument = 5
        case failedPrecondition = 6
        case notFound = 7
    }

    public var kind: Kind
    public var description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    public var exitCode: Int32 { kind.rawValue }

    /// Classifies an error from a call on `settings`' connection.
    public static func from(_ error: any Error, settings: ConnectionSettings) -> ClientFailure {
        if let failure = error as? ClientFailure { return failure }
        guard let rpc = error as? RPCError else {
            return ClientFailure(.other, "\(error)")
        }
        switch rpc.code {
        case .unavailable, .deadlineExceeded:
            return ClientFailure(.connection, connectionAdvice(rpc, settings: settings))
        case .permissionDenied:
            return ClientFailure(.permissionDenied, "permission denied: \(rpc.message)")
        case .invalidArgument:
            return ClientFailure(.invalidArgument, "invalid request: \(rpc.message)")
        case .failedPrecondition:
            return ClientFailure(.failedPrecondition, "not now: \(rpc.message)")
        case .notFound:
            return ClientFailure(.notFound, "not found: \(rpc.message)")
        case .unauthenticated:
            return ClientFailure(.connection, "the server did not accept this client's identity: \(rpc.message)")
        default:
            return ClientFailure(.other, "the server failed the call (\(rpc.code)): \(rpc.message)")
        }
    }

    private static func connectionAdvice(_ error: RPCError, settings: ConnectionSettings) -> String {
        let detail = "\(error.message)\(error.cause.map { " (\($0))" } ?? "")"
        let lower = detail.lowercased()
        if lower.contains("certificate") || lower.contains("ssl") || lower.contains("tls") || lower.contains("handshake") || lower.contains("alert") {
            return """
            the TLS handshake with \(settings.server) failed: \(detail)
            The server accepts only certificates from its own CA that are current and not revoked, and this client
            trusts only \(settings.caPath). Check that --cert/--key were issued by that server's CA
            (`tradectl certs list --dir DIR`), and ask an admin for a new one with `tradectl certs issue` if it was revoked.
            """
        }
        return """
        cannot reach the tradeengine server at \(settings.server): \(detail)
        Is it running (`tradeengine serve --listen \(settings.server)`)? Check --server, TRADECTL_SERVER or the context\(settings.contextName.map { " '\($0)'" } ?? "").
        """
    }
}
