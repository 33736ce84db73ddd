import Crypto
import Foundation
import SwiftASN1
import X509

/// A certificate and its private key, as issued or read from disk.
public struct IssuedCredential: Sendable {
    public var certificate: Certificate
    public var privateKey: P256.Signing.PrivateKey

    public init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    public var certificatePEM: String {
        get throws { try certificate.serializeAsPEM().pemString + "\n" }
    }

    public var privateKeyPEM: String { privateKey.pemRepresentation + "\n" }

    public var serial: String { SerialNumberText.format(certificate.serialNumber) }
    public var commonName: String { PeerIdentity.attribute(ASN1ObjectIdentifier.RDNAttributeType.commonName, of: certificate.subject) ?? "" }
}
