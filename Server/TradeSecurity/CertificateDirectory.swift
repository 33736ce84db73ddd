import Crypto
import Foundation
import X509

/// The files of a deployment's certificate folder (`certs/` by default):
///
///     ca.pem ca.key              the engine's CA
///     server.pem server.key      the server's certificate
///     <name>.pem <name>.key      client certificates (admin.pem first)
///     revoked.txt                the deny list of serials
///
/// Private keys are written with mode 0600 before any byte of them is, and no
/// existing file is overwritten: re-running `certs init` must never silently
/// replace a CA that certificates in the field were signed by.
public struct CertificateDirectory: Sendable {
    public let path: String

    public init(path: String) { self.path = path }

    public func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
    public var caCertificatePath: String { file("ca.pem") }
    public var caKeyPath: String { file("ca.key") }
    public var serverCertificatePath: String { file("server.pem") }
    public var serverKeyPath: String { file("server.key") }
    public var revocationListPath: String { file("revoked.txt") }
    public func certificatePath(name: String) -> String { file(name + ".pem") }
    public func keyPath(name: String) -> String { file(name + ".key") }

    /// Creates the folder (0700) if it does not exist.
    public func create() throws(SecurityError) {
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch { throw SecurityError("cannot create \(path): \(error.localizedDescription)") }
    }

    /// Writes `<name>.pem` (0644) and `<name>.key` (0600), refusing to overwrite either.
    public func write(_ credential: IssuedCredential, name: String) throws {
        let pem = certificatePath(name: name), key = keyPath(name: name)
        for existing in [pem, key] where FileManager.default.fileExists(atPath: existing) {
            throw SecurityError("\(existing) already exists; move it away or choose another --name (nothing was written)")
        }
        try Self.writeNew(path: key, contents: credential.privateKeyPEM, mode: 0o600)
        try Self.writeNew(path: pem, contents: try credential.certificatePEM, mode: 0o644)
    }

    public func loadCertificateAuthority() throws -> CertificateAuthority {
        let credential = try loadCredential(certificatePath: caCertificatePath, keyPath: caKeyPath)
        return CertificateAuthority(credential: credential)
    }

    public func loadCredential(name: String) throws -> IssuedCredential {
        try loadCredential(certificatePath: certificatePath(name: name), keyPath: keyPath(name: name))
    }

    public func loadCredential(certificatePath: String, keyPath: String) throws -> IssuedCredential {
        let certificate = try Self.readCertificate(path: certificatePath)
        let keyText = try Self.read(keyPath)
        let key: P256.Signing.PrivateKey
        do { key = try P256.Signing.PrivateKey(pemRepresentation: keyText) }
        catch { throw SecurityError("\(keyPath) is not a P-256 private key in PEM: \(error)") }
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw SecurityError("\(keyPath) does not belong to \(certificatePath)")
        }
        return IssuedCredential(certificate: certificate, privateKey: key)
    }

    /// Every client certificate in the folder (not the CA or server), sorted by name.
    public func clientCertificates() throws -> [(name: String, certificate: Certificate)] {
        let names: [String]
        do { names = try FileManager.default.contentsOfDirectory(atPath: path) }
        catch { throw SecurityError("cannot list \(path): \(error.localizedDescription)") }
        return try names.filter { $0.hasSuffix(".pem") && $0 != "ca.pem" && $0 != "server.pem" }.sorted().map { file in
            (String(file.dropLast(4)), try Self.readCertificate(path: self.file(file)))
        }
    }

    public static func readCertificate(path: String) throws -> Certificate {
        let text = try read(path)
        do { return try Certificate(pemEncoded: text) }
        catch { throw SecurityError("\(path) is not a PEM certificate: \(error)") }
    }

    static func read(_ path: String) throws(SecurityError) -> String {
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw SecurityError("cannot read \(path)")
        }
        return text
    }

    /// Creates a file that must not exist yet with its final mode already set,
    /// so a key is never readable by others, not even for an instant.
    static func writeNew(path: String, contents: String, mode: mode_t) throws(SecurityError) {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode)
        guard fd >= 0 else {
            throw SecurityError("cannot create \(path): \(String(cString: strerror(errno)))")
        }
        defer { close(fd) }
        fchmod(fd, mode)  // open() applied the umask; make the mode exactly what was asked
        let bytes = Array(contents.utf8)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            guard n > 0 else { throw SecurityError("cannot write \(path): \(String(cString: strerror(errno)))") }
            written += n
        }
    }
}

#if canImport(Glibc)
import Glibc
#endif
