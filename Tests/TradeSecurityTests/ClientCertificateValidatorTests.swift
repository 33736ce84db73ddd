import Foundation
import Testing
import X509
@testable import TradeSecurity

@Suite struct ClientCertificateValidatorTests {
    let ca: CertificateAuthority
    let validator: ClientCertificateValidator
    let revokedPath = FileManager.default.temporaryDirectory.appendingPathComponent("revoked-\(UUID().uuidString).txt").path
    let watcher: RevocationWatcher

    init() throws {
        ca = try CertificateAuthority.create()
        watcher = try RevocationWatcher(path: revokedPath, checkInterval: .zero)
        validator = ClientCertificateValidator(certificateAuthority: ca.certificate, revocations: watcher)
    }

    @Test func aCurrentCertificateOfThisCAIsAccepted() async throws {
        let client = try ca.issueClient(name: "op", role: .operator)
        guard case .accepted(_, let identity) = await validator.validate(chain: [client.certificate]) else {
            Issue.record("refused"); return
        }
        #expect(identity.role == .operator && identity.commonName == "op")
    }

    @Test func anExpiredCertificateIsRefusedSayingWhen() async throws {
        let client = try ca.issueClient(name: "old", role: .viewer, now: Date() - 3 * CertificateLifetimes.day,
                                        lifetime: CertificateLifetimes.day)
        let outcome = await validator.validate(chain: [client.certificate])
        guard case .refused(let reason) = outcome else { Issue.record("accepted"); return }
        #expect(reason.contains("expired on"))
    }

    @Test func anotherCAsCertificateIsRefused() async throws {
        let other = try CertificateAuthority.create(commonName: "tradeengine CA")  // same name, other key
        let client = try other.issueClient(name: "mallory", role: .admin)
        guard case .refused(let reason) = await validator.validate(chain: [client.certificate]) else {
            Issue.record("accepted"); return
        }
        #expect(reason.contains("failed verification"))
    }

    @Test func aRevokedCertificateIsRefusedOnceListed() async throws {
        let client = try ca.issueClient(name: "laptop", role: .operator)
        guard case .accepted = await validator.validate(chain: [client.certificate]) else { Issue.record("refused"); return }
        var list = RevocationList()
        list.add(client.serial, note: "stolen")
        try list.save(path: revokedPath)
        guard case .refused(let reason) = await validator.validate(chain: [client.certificate]) else {
            Issue.record("accepted"); return
        }
        #expect(reason.contains("revoked"))
    }

    @Test func theServerCertificateIsNoClientIdentity() async throws {
        let server = try ca.issueServer(dnsNames: ["localhost"], ipAddresses: [])
        guard case .refused(let reason) = await validator.validate(chain: [server.certificate]) else {
            Issue.record("accepted"); return
        }
        #expect(reason.contains("no role"))
    }
}
