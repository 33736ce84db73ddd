import Foundation
import TestSupport

/// A real `tradeengine serve` on a loopback port, for the length of a test.
final class ServerProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    private let stderrPipe = Pipe()
    private let errText = DataBox()

    /// The engine's database (a restarted server given the same one resumes its run).
    let database: String

    /// Starts the server and waits for its "listening on" line. Without a
    /// database, one is made next to the certificate folder.
    init(certs: String, dataDir: String, port: Int = 0, database: String? = nil, extra: [String] = []) throws {
        self.database = database ?? (certs as NSString).deletingLastPathComponent + "/engine-\(UUID().uuidString).sqlite"
        process.executableURL = URL(fileURLWithPath: Binaries.tradeengine)
        process.arguments = ["serve", "--certs", certs, "--listen", "127.0.0.1:\(port)", "--data-dir", dataDir, "--grace", "5",
                             "--db", self.database] + extra
        let out = Pipe()
        process.standardOutput = out
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = errText
        stderrPipe.fileHandleForReading.readabilityHandler = { h in collected.append(h.availableData) }
        var line = ""
        let deadline = Date().addingTimeInterval(30)
        // The listening line, and with --metrics the metrics line after it.
        let lines = extra.contains("--metrics") ? 2 : 1
        while line.filter({ $0 == "\n" }).count < lines && Date() < deadline {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { if !process.isRunning { break }; usleep(10_000); continue }
            line += String(decoding: d, as: UTF8.self)
        }
        guard let range = line.range(of: "listening on 127.0.0.1:"),
              let p = Int(line[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw ServerError("server did not start: \(line) \(String(decoding: collected.get(), as: UTF8.self))")
        }
        self.port = p
        metricsAddress = line.range(of: "metrics on http://").map { r in String(line[r.upperBound...].prefix { $0 != "/" }) }
    }

    /// Where `--metrics` serves, if it was given.
    private(set) var metricsAddress: String? = nil

    var address: String { "127.0.0.1:\(port)" }
    var stderr: String { String(decoding: errText.get(), as: UTF8.self) }

    /// SIGTERM and wait (the server's grace is 5 s); SIGKILL after 15 s so a
    /// hung shutdown fails its test instead of hanging the suite. Returns the exit status.
    @discardableResult
    func stop() -> Int32 {
        if process.isRunning {
            process.terminate()
            let deadline = Date().addingTimeInterval(15)
            while process.isRunning && Date() < deadline { usleep(10_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        return process.terminationStatus
    }

    deinit { stop() }
}

struct ServerError: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
