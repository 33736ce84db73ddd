import SwiftASN1
import X509

/// Who a verified client certificate says its holder is.
///
/// The role is written twice at issuance, in the subject's OU and in a SAN URI
/// `tradeengine://role/<role>`, so that tools that only show one of the two
/// still show it. Reading is strict: at least one must be present, and when both
/// are they must agree — a certificate that claims two roles gets none.
public struct PeerIdentity: Sendable, Equatable {
    public var commonName: String
    public var role: Role
    public var serial: String

    public init(commonName: String, role: Role, serial: String) {
        self.commonName = commonName
        self.role = role
        self.serial = serial
    }

    public init(certificate: Certificate) throws(SecurityError) {
        let cn = Self.attribute(ASN1ObjectIdentifier.RDNAttributeType.commonName, of: certificate.subject) ?? ""
        let ouRole = Self.attribute(ASN1ObjectIdentifier.RDNAttributeType.organizationalUnitName, of: certificate.subject).map { ($0, Role(name: $0)) }
        var uriRoles: [Role] = []
        var badURIs: [String] = []
        if let sans = try? certificate.extensions.subjectAlternativeNames {
            for name in sans {
                if case .uniformResourceIdentifier(let uri) = name, uri.hasPrefix(Role.uriPrefix) {
                    if let r = Role(uri: uri) { uriRoles.append(r) } else { badURIs.append(uri) }
                }
            }
        }
        let serial = SerialNumberText.format(certificate.serialNumber)
        if !badURIs.isEmpty {
            throw SecurityError("certificate \(cn) (serial \(serial)) names an unknown role: \(badURIs.joined(separator: ", "))")
        }
        if Set(uriRoles).count > 1 {
            throw SecurityError("certificate \(cn) (serial \(serial)) claims several roles in its SAN URIs")
        }
        let role: Role
        switch (ouRole, uriRoles.first) {
        case (nil, nil):
            throw SecurityError("certificate \(cn) (serial \(serial)) carries no role (subject OU or SAN \(Role.uriPrefix)<role>)")
        case (let (text, parsed)?, nil):
            guard let parsed else { throw SecurityError("certificate \(cn) (serial \(serial)) has an unknown role OU '\(text)'") }
            role = parsed
        case (nil, let uri?):
            role = uri
        case (let (text, parsed)?, let uri?):
            guard parsed == uri else {
                throw SecurityError("certificate \(cn) (serial \(serial)) has OU '\(text)' but SAN role '\(uri)'; they must agree")
            }
            role = uri
        }
        self.init(commonName: cn, role: role, serial: serial)
    }

    static func attribute(_ type: ASN1ObjectIdentifier, of name: DistinguishedName) -> String? {
        for rdn in name {
            for attribute in rdn where attribute.type == type {
                if let text = String(attribute.value) { return text }
            }
        }
        return nil
    }
}


