import GRPCCore
import GRPCNIOTransportHTTP2
import TradeSecurity

/// Who is calling: read from the client certificate the TLS handshake verified.
public enum CallerIdentity {
    /// The caller of the RPC being handled; set by `AuthorizationInterceptor`
    /// around the handler, so handlers can name the caller (audit, `created_by`).
    @TaskLocal public static var current: PeerIdentity?

    /// The verified leaf certificate's identity, or why there is none.
    static func identity(from context: ServerContext) -> Result<PeerIdentity, RPCError> {
        guard let posix = context.transportSpecific as? HTTP2ServerTransport.Posix.Context,
              let certificate = posix.peerCertificate else {
            return .failure(RPCError(code: .unauthenticated, message: "no verified client certificate on this connection"))
        }
        do {
            return .success(try PeerIdentity(certificate: certificate))
        } catch {
            return .failure(RPCError(code: .permissionDenied, message: error.description))
        }
    }
}
