import Foundation
import TestSupport

/// A child process that prints "listening on 127.0.0.1:PORT" once ready (the
/// server, the venue simulator): started, waited for (30 s at most), stopped
/// with SIGTERM then SIGKILL so a hung shutdown fails its test instead of
/// hanging the suite.
final class ListeningProcess: @unchecked Sendable {
    let process = Process()
    let port: Int
    /// Everything printed on standard output up to and including the ready lines.
    let banner: String
    private let stderrPipe = Pipe()
    private let errText = DataBox()

    init(_ executable: String, _ arguments: [String], readyLines: Int = 1) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = stderrPipe
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let collected = errText
        stderrPipe.fileHandleForReading.readabilityHandler = { h in collected.append(h.availableData) }
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while text.filter({ $0 == "\n" }).count < readyLines && Date() < deadline {
            let d = out.fileHandleForReading.availableData
            if d.isEmpty { if !process.isRunning { break }; usleep(10_000); continue }
            text += String(decoding: d, as: UTF8.self)
        }
        guard let range = text.range(of: "listening on 127.0.0.1:"),
              let p = Int(text[range.upperBound...].prefix { $0.isNumber }) else {
            process.terminate()
            throw ServerError("\((executable as NSString).lastPathComponent) did not start: \(text) \(String(decoding: collected.get(), as: UTF8.self))")
        }
        port = p
        banner = text
    }

    var address: String { "127.0.0.1:\(port)" }
    var stderr: String { String(decoding: errText.get(), as: UTF8.self) }

    /// SIGTERM and wait; SIGKILL after 15 s. Returns the exit status.
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
