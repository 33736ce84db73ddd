import Foundation
import Testing
@testable import TradeSecurity

@Suite struct CertificateDirectoryTests {
    let folder = FileManager.default.temporaryDirectory.appendingPathComponent("certs-\(UUID().uuidString)").path

    @Test func keysAreWrittenWithMode0600AndReadBack() throws {
        let dir = CertificateDirectory(path: folder)
        try dir.create()
        let ca = try CertificateAuthority.create()
        try dir.write(ca.credential, name: "ca")
        let admin = try ca.issueClient(name: "admin", role: .admin)
        try dir.write(admin, name: "admin")
        for key in [dir.caKeyPath, dir.keyPath(name: "admin")] {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: key)[.posixPermissions] as? NSNumber)
            #expect(mode.intValue == 0o600, "\(key) has mode \(String(mode.intValue, radix: 8))")
        }
        let reloaded = try dir.loadCertificateAuthority()
        #expect(reloaded.certificate == ca.certificate)
        #expect(try dir.loadCredential(name: "admin").serial == admin.serial)
        #expect(try dir.clientCertificates().map(\.name) == ["admin"])
    }

    @Test func existingFilesAreNeverOverwritten() throws {
        let dir = CertificateDirectory(path: folder)
        try dir.create()
        let ca = try CertificateAuthority.create()
        try dir.write(ca.credential, name: "ca")
        let before = try String(contentsOfFile: dir.caCertificatePath, encoding: .utf8)
        let other = try CertificateAuthority.create()
        #expect(throws: SecurityError.self) { try dir.write(other.credential, name: "ca") }
        #expect(try String(contentsOfFile: dir.caCertificatePath, encoding: .utf8) == before)
    }

    @Test func aKeyThatDoesNotMatchItsCertificateIsRefused() throws {
        let dir = CertificateDirectory(path: folder)
        try dir.create()
        let ca = try CertificateAuthority.create()
        let a = try ca.issueClient(name: "a", role: .viewer)
        let b = try ca.issueClient(name: "b", role: .viewer)
        try dir.write(a, name: "a")
        try dir.write(b, name: "b")
        #expect(throws: SecurityError.self) {
            try dir.loadCredential(certificatePath: dir.certificatePath(name: "a"), keyPath: dir.keyPath(name: "b"))
        }
    }
}
