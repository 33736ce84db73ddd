import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeStore

/// `kill -9` a process that is appending to the journal, at random moments, and
/// check that every batch it was told was durable is there after reopening —
/// with the right content, no holes, and a sound file.
@Suite struct JournalDurabilityTests {
    /// The helper executable is built beside the test bundle (`swift test` builds every product).
    static var helperPath: String { ProductBinary.path("StoreCrashHelper") }

    @Test func everyAcknowledgedAppendSurvivesKillNine() throws {
        let helper = Self.helperPath
        try #require(FileManager.default.isExecutableFile(atPath: helper),
                     "StoreCrashHelper is not built at \(helper); `swift build --build-tests` builds it")
        let path = try TempFolder().file("crash.sqlite")
        let candleFile = SharedData.data(btcMinutesFile)
        // The helper cycles through the whole file; so must the check.
        let candles = try btcMinutes.get()
        var generator = SystemRandomNumberGenerator()
        var totalAcked: Int64 = 0
        for round in 1...20 {
            // Wait for a random number of acknowledgements, then a random extra
            // delay, so the kill lands anywhere: mid-batch, mid-commit, mid-fsync.
            let acksBeforeKill = Int.random(in: 1...25, using: &generator)
            let extraMicroseconds = UInt32.random(in: 0...3_000, using: &generator)
            let batchSize = [1, 7, 100, 1_000].randomElement(using: &generator)!
            let (acked, output) = try runAndKill(helper, [path, candleFile, String(batchSize)],
                                                 afterAcks: acksBeforeKill, extraMicroseconds: extraMicroseconds)
            let context = "round \(round): batch \(batchSize), killed after \(acksBeforeKill) acks + \(extraMicroseconds) µs; output: \(output.suffix(300))"
            try #require(acked >= totalAcked, "\(context)")
            totalAcked = acked

            let store = try TradeStore(path: path, options: { var o = TradeStore.Options(); o.integrityCheck = .full; return o }())
            let last = try store.journal.lastSequence()
            #expect(last >= acked, "lost acknowledged entries: journal ends at \(last), \(acked) were acknowledged; \(context)")
            #expect(try store.integrityProblems(full: true).isEmpty, "\(context)")
            var expected: Int64 = 1
            var wrong = 0
            try store.journal.forEach(after: 0) { entry in
                let index = Int((entry.sequence - 1) % Int64(candles.count))
                if entry.sequence != expected
                    || entry.event != .candleAccepted(symbol: 0, candle: candles[index], barIndex: index) {
                    wrong += 1
                    if wrong <= 3 { Issue.record("entry \(entry.sequence) (expected \(expected)) holds \(entry.event); \(context)") }
                }
                expected += 1
            }
            #expect(wrong == 0, "\(wrong) wrong entries")
            #expect(expected - 1 == last)
            try store.close()
        }
        #expect(totalAcked > 0)
    }

    /// Starts the helper, reads its `acked N` lines until `afterAcks` arrived,
    /// waits, sends SIGKILL, and returns the highest N it printed.
    private func runAndKill(_ helper: String, _ arguments: [String], afterAcks: Int,
                            extraMicroseconds: UInt32) throws -> (acked: Int64, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: helper)
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = out
        try process.run()
        var text = ""
        var acks = 0
        while acks < afterAcks {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }   // the helper exited on its own: an error it printed
            let piece = String(decoding: chunk, as: UTF8.self)
            text += piece
            acks += piece.components(separatedBy: "acked ").count - 1
        }
        usleep(extraMicroseconds)
        kill(process.processIdentifier, SIGKILL)
        text += String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal, "the helper was not killed: \(text.suffix(500))")
        let acked = text.split(separator: "\n").compactMap { line in
            line.hasPrefix("acked ") ? Int64(line.dropFirst(6)) : nil
        }.max() ?? 0
        return (acked, text)
    }
}
