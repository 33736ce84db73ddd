import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Testing
import TradeAPI
import TradeSecurity

/// The server refuses at the TLS handshake: no client certificate, another CA's,
/// an expired one, a revoked one, and plaintext HTTP/2. Each case is checked
/// beside a positive control on the same server, so the test fails if the
/// harness itself cannot connect.
@Suite(.serialized) struct HandshakeTests {
    enum Identity { case none, files(cert: String, key: String) }

    /// Calls GetStatus with the given client identity; returns the error, nil on success.
    static func statusCall(port: Int, ca: String, identity: Identity, plaintext: Bool = false) async -> RPCError? {
        let security: HTTP2ClientTransport.Posix.TransportSecurity
        if plaintext {
            security = .plaintext
        } else {
            switch identity {
            case .none:
                security = .tls { $0.trustRoots = .certificates([.file(path: ca, format: .pem)]) }
            case .files(let cert, let key):
                security = .mTLS(certificateChain: [.file(path: cert, format: .pem)], privateKey: .file(path: key, format: .pem)) {
                    $0.trustRoots = .certificates([.file(path: ca, format: .pem)])
                }
            }
        }
        do {
            let transport = try HTTP2ClientTransport.Posix(target: .ipv4(host: "127.0.0.1", port: port), transportSecurity: security)
            return try await withGRPCClient(transport: transport) { client in
                var options = CallOptions.defaults
                options.timeout = .seconds(60)  // generous: the whole test suite shares 2 cores
                do {
                    _ = try await Tradeengine_V1_QueryService.Client(wrapping: client).getStatus(.init(), options: options)
                    return nil
                } catch let error as RPCError {
                    return error
                }
            }
        } catch {
            return RPCError(code: .unknown, message: "\(error)")
        }
    }

    @Test(.timeLimit(.minutes(5))) func refusedAtTheHandshake() async throws {
        let f = try Fixture()
        let ca = f.certs + "/ca.pem"
        func files(_ name: String) -> Identity { .files(cert: f.certs + "/\(name).pem", key: f.certs + "/\(name).key") }

        // The control may meet a server still busy starting while the whole suite shares 2 cores:
        // it only has to show that the harness connects, so it gets three tries (refusals get none).
        var control = await Self.statusCall(port: f.server.port, ca: ca, identity: files("ci-bot"))
        for _ in 0..<2 where control?.code == .deadlineExceeded {
            control = await Self.statusCall(port: f.server.port, ca: ca, identity: files("ci-bot"))
        }
        #expect(control == nil, "positive control: \(String(describing: control))")

        let noCert = await Self.statusCall(port: f.server.port, ca: ca, identity: .none)
        #expect(noCert?.code == .unavailable, "no client certificate: \(String(describing: noCert))")

        let other = try CertificateAuthority.create(commonName: "tradeengine CA")
        try f.write(try other.issueClient(name: "mallory", role: .admin), name: "mallory")
        let foreign = await Self.statusCall(port: f.server.port, ca: ca, identity: files("mallory"))
        #expect(foreign?.code == .unavailable, "another CA: \(String(describing: foreign))")

        let ownCA = try f.loadCA()
        try f.write(try ownCA.issueClient(name: "old", role: .admin, now: Date() - 400 * 86_400, lifetime: 30 * 86_400), name: "old")
        let expired = await Self.statusCall(port: f.server.port, ca: ca, identity: files("old"))
        #expect(expired?.code == .unavailable, "expired: \(String(describing: expired))")

        try f.write(try ownCA.issueClient(name: "laptop", role: .operator), name: "laptop")
        #expect(await Self.statusCall(port: f.server.port, ca: ca, identity: files("laptop")) == nil, "before revocation")
        let revoke = try run(Binaries.tradectl, ["certs", "revoke", "--dir", f.certs, "laptop", "--note", "stolen"])
        #expect(revoke.exitCode == 0, "\(revoke)")
        try await Task.sleep(for: .milliseconds(1500))  // the server checks the deny list at most once a second
        let revoked = await Self.statusCall(port: f.server.port, ca: ca, identity: files("laptop"))
        #expect(revoked?.code == .unavailable, "revoked: \(String(describing: revoked))")

        let plain = await Self.statusCall(port: f.server.port, ca: ca, identity: .none, plaintext: true)
        #expect(plain?.code == .unavailable, "plaintext: \(String(describing: plain))")

        #expect(await Self.statusCall(port: f.server.port, ca: ca, identity: files("ci-bot")) == nil, "the server still serves others")
        let log = f.server.stderr
        #expect(log.contains("expired on"))
        #expect(log.contains("is revoked"))
        #expect(log.contains("failed verification") || log.contains("not by this engine's CA"))
    }

    @Test func tradectlReportsAForeignCertificateAsAHandshakeFailure() throws {
        let f = try Fixture()
        let other = try CertificateAuthority.create()
        try f.write(try other.issueClient(name: "mallory", role: .admin), name: "mallory")
        let r = try f.ctl(["status"], as: "mallory")
        #expect(r.exitCode == 3, "\(r)")
    }
}
