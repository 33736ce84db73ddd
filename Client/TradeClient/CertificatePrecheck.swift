import Foundation
import TradeSecurity
import X509

/// Checks the client's own files before connecting, so the common mistakes get
/// a precise answer instead of an opaque handshake failure: a missing file, a
/// key that belongs to another certificate, an expired certificate.
public enum CertificatePrecheck {
    public static func check(_ settings: ConnectionSettings, now: Date = Date()) throws(ClientFailure) {
        for (what, path) in [("CA certificate (--ca)", settings.caPath), ("client certificate (--cert)", settings.certificatePath),
                             ("client key (--key)", settings.keyPath)] where !FileManager.default.fileExists(atPath: path) {
            throw ClientFailure(.connection, "the \(what) \(path) does not exist; create certificates with `tradectl certs init --dir certs`, or point --ca/--cert/--key (or a --context) at yours")
        }
        let credential: IssuedCredential
        do {
            credential = try CertificateDirectory(path: ".").loadCredential(certificatePath: settings.certificatePath,
                                                                              keyPath: settings.keyPath)
        } catch {
            throw ClientFailure(.connection, "\(error)")
        }
        let certificate = credential.certificate
        let f = ISO8601DateFormatter()
        if now > certificate.notValidAfter {
            throw ClientFailure(.connection, "certificate \(settings.certificatePath) (\(credential.commonName)) expired on \(f.string(from: certificate.notValidAfter)); issue a new one with `tradectl certs issue --role ROLE --name \(credential.commonName)`")
        }
        if now < certificate.notValidBefore {
            throw ClientFailure(.connection, "certificate \(settings.certificatePath) is not valid before \(f.string(from: certificate.notValidBefore)); check this machine's clock")
        }
    }
}
