import Foundation
import TestSupport

/// A real `tradeengine serve` on a loopback port, for the length of a test.
final class ServerProcess: @unchecked Sendable {
    private let child: ListeningProcess

    /// The engine's database (a restarted server given the same one resumes its run).
    let database: String

    /// Starts the server and waits for its "listening on" line. Without a
    /// database, one is made next to the certificate folder.
    init(certs: String, dataDir: String, port: Int = 0, database: String? = nil, extra: [String] = []) throws {
        self.database = database ?? (certs as NSString).deletingLastPathComponent + "/engine-\(UUID().uuidString).sqlite"
        // The listening line, and with --metrics the metrics line after it.
        let child = try ListeningProcess(Binaries.tradeengine,
                                     ["serve", "--certs", certs, "--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--grace", "5",
                                      "--db", self.database] + extra,
                                     readyLines: extra.contains("--metrics") ? 2 : 1)
        self.child = child
        let banner = child.banner
        metricsAddress = banner.range(of: "metrics on http://").map { r in String(banner[r.upperBound...].prefix { $0 != "/" }) }
    }

    /// Where `--metrics` serves, if it was given.
    let metricsAddress: String?

    var process: Process { child.process }
    var port: Int { child.port }
    var address: String { child.address }
    var stderr: String { child.stderr }

    /// SIGTERM and wait (the server's grace is 5 s); SIGKILL after 15 s. Returns the exit status.
    @discardableResult
    func stop() -> Int32 { child.stop() }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
