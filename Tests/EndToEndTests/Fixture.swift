import Foundation
import TestSupport
import TradeSecurity

/// A fresh certificate folder and a real server for one test: admin (from
/// `certs init`), operator and viewer certificates issued with the real tradectl.
final class Fixture: @unchecked Sendable {
    let dir: String
    let certs: String
    let server: ServerProcess
    static let dataFile = "BTCUSDT-1m-20250101-20250204.csv"
    static var dataDir: String { SharedData.root.appendingPathComponent("data").path }

    init(extraServerArguments: [String] = []) throws {
        dir = FileManager.default.temporaryDirectory.appendingPathComponent("e2e-\(UUID().uuidString)").path
        certs = dir + "/certs"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for args in [["certs", "init", "--dir", certs],
                     ["certs", "issue", "--dir", certs, "--role", "operator", "--name", "ops"],
                     ["certs", "issue", "--dir", certs, "--role", "viewer", "--name", "ci-bot"]] {
            let r = try run(Binaries.tradectl, args)
            guard r.exitCode == 0 else { throw ServerError("tradectl \(args.joined(separator: " ")) failed: \(r)") }
        }
        server = try ServerProcess(certs: certs, dataDir: Self.dataDir, extra: extraServerArguments)
    }

    deinit {
        server.stop()
        try? FileManager.default.removeItem(atPath: dir)
    }

    /// Runs tradectl against this server as the named certificate.
    func ctl(_ arguments: [String], as name: String = "admin", json: Bool = false, timeout: TimeInterval = 60) throws -> CommandResult {
        var args = arguments + ["--server", server.address, "--ca", certs + "/ca.pem",
                                "--cert", certs + "/\(name).pem", "--key", certs + "/\(name).key"]
        if json { args += ["-o", "json"] }
        return try run(Binaries.tradectl, args, timeout: timeout)
    }

    /// Writes a credential into the certificate folder under `name`.
    func write(_ credential: IssuedCredential, name: String) throws {
        try CertificateDirectory(path: certs).write(credential, name: name)
    }

    func loadCA() throws -> CertificateAuthority { try CertificateDirectory(path: certs).loadCertificateAuthority() }

    /// Polls status until the state is one of `states`.
    func waitForState(_ states: Set<String>, seconds: Double = 60) throws -> [String: Any] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let status = try ctl(["status"], json: true).json()["status"] as? [String: Any] ?? [:]
            if let s = status["state"] as? String, states.contains(s) { return status }
            if Date() > deadline { throw ServerError("state stayed \(status["state"] ?? "?") instead of \(states)") }
            usleep(100_000)
        }
    }
}
