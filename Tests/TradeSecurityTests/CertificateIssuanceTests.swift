import Foundation
import Testing
import X509
@testable import TradeSecurity

@Suite struct CertificateIssuanceTests {
    @Test func clientCertificateCarriesRoleInOUAndSANURI() throws {
        let ca = try CertificateAuthority.create()
        let client = try ca.issueClient(name: "ci-bot", role: .viewer)
        let identity = try PeerIdentity(certificate: client.certificate)
        #expect(identity == PeerIdentity(commonName: "ci-bot", role: .viewer, serial: client.serial))
        let sans = try #require(try client.certificate.extensions.subjectAlternativeNames)
        #expect(Array(sans) == [.uniformResourceIdentifier("tradeengine://role/viewer")])
        #expect(client.certificate.issuer == ca.certificate.subject)
        #expect(client.certificate.signatureAlgorithm == .ecdsaWithSHA256)
    }

    @Test func lifetimesAreTheStandardOnes() throws {
        let now = Date()
        let ca = try CertificateAuthority.create(now: now)
        let server = try ca.issueServer(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1", "::1"], now: now)
        let client = try ca.issueClient(name: "alice", role: .operator, now: now)
        func days(_ c: Certificate) -> Int { Int((c.notValidAfter.timeIntervalSince(now) / 86_400).rounded()) }
        #expect(days(ca.certificate) == 3650)
        #expect(days(server.certificate) == 730)
        #expect(days(client.certificate) == 365)
        #expect(client.certificate.notValidBefore < now)
    }

    @Test func aCertificateNeverOutlivesItsCA() throws {
        let ca = try CertificateAuthority.create(lifetime: 10 * CertificateLifetimes.day)
        let client = try ca.issueClient(name: "bob", role: .admin)
        #expect(client.certificate.notValidAfter == ca.certificate.notValidAfter)
    }

    @Test func serverCertificateListsEveryHostAndAddress() throws {
        let ca = try CertificateAuthority.create()
        let server = try ca.issueServer(dnsNames: ["localhost", "engine.lan"], ipAddresses: ["127.0.0.1", "10.1.2.3"])
        let sans = Array(try #require(try server.certificate.extensions.subjectAlternativeNames))
        #expect(sans.count == 4)
        #expect(sans.contains(.dnsName("engine.lan")))
        #expect(sans.contains(.ipAddress(.init(contentBytes: [10, 1, 2, 3]))))
        #expect(throws: SecurityError.self) { try ca.issueServer(dnsNames: [], ipAddresses: ["not-an-ip"]) }
    }

    @Test func serialsAreRandomAndPrintedAsHex() throws {
        let ca = try CertificateAuthority.create()
        let serials = try (0..<5).map { try ca.issueClient(name: "c\($0)", role: .viewer).serial }
        #expect(Set(serials).count == 5)
        for s in serials { #expect(s.allSatisfy(\.isHexDigit) && s == s.lowercased() && s.count >= 30) }
    }

    @Test(arguments: ["", "ca", "server", ".hidden", "a/b", "name with space", String(repeating: "x", count: 65)])
    func unsafeClientNamesAreRefused(_ name: String) throws {
        let ca = try CertificateAuthority.create()
        #expect(throws: SecurityError.self) { try ca.issueClient(name: name, role: .viewer) }
    }

    @Test func rolesOrderAndParse() {
        #expect(Role.viewer < .operator && Role.operator < .admin)
        #expect(Role(name: "Operator") == .operator)
        #expect(Role(uri: "tradeengine://role/admin") == .admin)
        #expect(Role(uri: "tradeengine://role/root") == nil)
        #expect(Role(name: "root") == nil)
    }
}
