import Foundation
import SwiftASN1
import X509

/// Decides, at the TLS handshake, whether a client certificate chain may connect.
///
/// The server overrides BoringSSL's own verification (so that it can consult
/// the revocation list); this type is that verification, done with
/// swift-certificates: the chain must lead to the engine's CA and nothing else
/// (not the system store), every certificate must be inside its validity period
/// now (RFC 5280 policy), the leaf's serial must not be on the deny list, and
/// the leaf must carry exactly one role. The reason for a refusal is returned
/// so the server can log it; the client only sees the handshake fail.
public struct ClientCertificateValidator: Sendable {
    public let certificateAuthority: Certificate
    public let revocations: RevocationWatcher?

    public init(certificateAuthority: Certificate, revocations: RevocationWatcher?) {
        self.certificateAuthority = certificateAuthority
        self.revocations = revocations
    }

    public enum Outcome: Sendable {
        case accepted(chain: [Certificate], identity: PeerIdentity)
        case refused(reason: String)
    }

    public func validate(chain presented: [Certificate], now: Date = Date()) async -> Outcome {
        guard let leaf = presented.first else { return .refused(reason: "no client certificate was presented") }
        let cn = PeerIdentity.attribute(ASN1ObjectIdentifier.RDNAttributeType.commonName, of: leaf.subject) ?? "(no common name)"
        let serial = SerialNumberText.format(leaf.serialNumber)
        let who = "\(cn) (serial \(serial))"
        // Specific reasons first, so the log says what an operator can act on.
        if now > leaf.notValidAfter {
            return .refused(reason: "certificate \(who) expired on \(Self.format(leaf.notValidAfter))")
        }
        if now < leaf.notValidBefore {
            return .refused(reason: "certificate \(who) is not valid before \(Self.format(leaf.notValidBefore))")
        }
        if let revocations, revocations.isRevoked(serial) {
            return .refused(reason: "certificate \(who) is revoked")
        }
        if leaf.issuer != certificateAuthority.subject {
            return .refused(reason: "certificate \(who) was issued by \(leaf.issuer), not by this engine's CA")
        }
        var verifier = Verifier(rootCertificates: CertificateStore([certificateAuthority])) {
            RFC5280Policy()
        }
        let result = await verifier.validate(leaf: leaf, intermediates: CertificateStore(Array(presented.dropFirst())))
        switch result {
        case .validCertificate(let chain):
            do {
                let identity = try PeerIdentity(certificate: leaf)
                return .accepted(chain: Array(chain), identity: identity)
            } catch {
                return .refused(reason: error.description)
            }
        case .couldNotValidate(let failures):
            let why = failures.first.map { "\($0.policyFailureReason)" } ?? "no chain to this engine's CA"
            return .refused(reason: "certificate \(who) failed verification: \(why)")
        }
    }

    static func format(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: date)
    }
}
