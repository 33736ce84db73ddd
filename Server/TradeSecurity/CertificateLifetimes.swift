import Foundation

/// How long issued certificates stay valid. Short client lifetimes limit what a
/// leaked laptop certificate is worth even before it is revoked; the CA lives
/// long because replacing it means re-issuing everything.
public struct CertificateLifetimes: Sendable, Equatable {
    public var certificateAuthority: TimeInterval
    public var server: TimeInterval
    public var client: TimeInterval

    public static let day: TimeInterval = 86_400
    public static let year: TimeInterval = 365 * day

    /// CA 10 years, server 2 years, client 1 year.
    public static let standard = CertificateLifetimes(certificateAuthority: 10 * year, server: 2 * year, client: year)

    public init(certificateAuthority: TimeInterval, server: TimeInterval, client: TimeInterval) {
        self.certificateAuthority = certificateAuthority
        self.server = server
        self.client = client
    }

    /// Issued certificates start this much before "now", so a peer whose clock
    /// is a little behind does not refuse a certificate that is minutes old.
    public static let backdating: TimeInterval = 300
}
