import Crypto
import Foundation
import SwiftASN1
import X509

/// The engine's own certificate authority: it signs the server certificate and
/// every client certificate, and it is the only trust root the server accepts.
///
/// Keys are P-256 (ECDSA with SHA-256): Ed25519 certificates are not usable with
/// the BoringSSL-based TLS stack of swift-nio-ssl. Serial numbers are 20 random
/// bytes from the system generator — this is outside the deterministic core, and
/// unguessable serials are what the revocation list keys on.
public struct CertificateAuthority: Sendable {
    public let credential: IssuedCredential

    public init(credential: IssuedCredential) {
        self.credential = credential
    }

    public var certificate: Certificate { credential.certificate }

    /// A new self-signed CA.
    public static func create(commonName: String = "tradeengine CA", now: Date = Date(),
                              lifetime: TimeInterval = CertificateLifetimes.standard.certificateAuthority) throws -> CertificateAuthority {
        let key = P256.Signing.PrivateKey()
        let name = try DistinguishedName {
            OrganizationName("tradeengine")
            CommonName(commonName)
        }
        let publicKey = Certificate.PublicKey(key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
            Critical(KeyUsage(keyCertSign: true, cRLSign: true))
            SubjectKeyIdentifier(hash: publicKey)
        }
        let certificate = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now - CertificateLifetimes.backdating, notValidAfter: now + lifetime,
            issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(key))
        return CertificateAuthority(credential: IssuedCredential(certificate: certificate, privateKey: key))
    }

    /// The server's certificate: valid for the given DNS names and IP addresses.
    public func issueServer(commonName: String = "tradeengine server", dnsNames: [String], ipAddresses: [String],
                            now: Date = Date(),
                            lifetime: TimeInterval = CertificateLifetimes.standard.server) throws -> IssuedCredential {
        var sans: [GeneralName] = dnsNames.map { .dnsName($0) }
        for ip in ipAddresses {
            guard let bytes = IPAddressBytes.parse(ip) else {
                throw SecurityError("'\(ip)' is not an IPv4 or IPv6 address; give host names with --dns")
            }
            sans.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(bytes))))
        }
        guard !sans.isEmpty else { throw SecurityError("a server certificate needs at least one host name or IP address") }
        return try issue(subject: DistinguishedName { OrganizationName("tradeengine"); CommonName(commonName) },
                         sans: sans, usage: .serverAuth, now: now, lifetime: lifetime)
    }

    /// A client certificate carrying a role in its subject OU and a SAN URI.
    public func issueClient(name: String, role: Role, now: Date = Date(),
                            lifetime: TimeInterval = CertificateLifetimes.standard.client) throws -> IssuedCredential {
        guard ClientName.isValid(name) else { throw SecurityError(ClientName.rule(name)) }
        return try issue(subject: DistinguishedName {
                            OrganizationName("tradeengine")
                            OrganizationalUnitName(role.name)
                            CommonName(name)
                         },
                         sans: [.uniformResourceIdentifier(role.uri)], usage: .clientAuth, now: now, lifetime: lifetime)
    }

    private func issue(subject: DistinguishedName, sans: [GeneralName], usage: ExtendedKeyUsage.Usage,
                       now: Date, lifetime: TimeInterval) throws -> IssuedCredential {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let extensions = try Certificate.Extensions {
            Critical(BasicConstraints.notCertificateAuthority)
            Critical(KeyUsage(digitalSignature: true))
            try ExtendedKeyUsage([usage])
            SubjectAlternativeNames(sans)
            SubjectKeyIdentifier(hash: publicKey)
            AuthorityKeyIdentifier(keyIdentifier: try certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
        }
        // Never past the CA's own expiry: a certificate cannot outlive its issuer's validity.
        let notAfter = min(now + lifetime, certificate.notValidAfter)
        let issued = try Certificate(
            version: .v3, serialNumber: Certificate.SerialNumber(), publicKey: publicKey,
            notValidBefore: now - CertificateLifetimes.backdating, notValidAfter: notAfter,
            issuer: self.certificate.subject, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: extensions, issuerPrivateKey: Certificate.PrivateKey(credential.privateKey))
        return IssuedCredential(certificate: issued, privateKey: key)
    }
}

/// Names of client certificates double as file names (`<name>.pem`), so they
/// are kept to a safe alphabet.
public enum ClientName {
    public static func isValid(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && !["ca", "server"].contains(name) && !name.hasPrefix(".")
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || "-_.".contains($0)) }
    }

    static func rule(_ name: String) -> String {
        "'\(name)' cannot name a certificate: use 1–64 letters, digits, '-', '_' or '.', not starting with '.', and not 'ca' or 'server'"
    }
}
