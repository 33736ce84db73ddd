import Foundation
import Testing
import TestSupport
import TradeCore
import TradeStore

/// `kill -9` the real `tradeengine replay` at random points — some of them while an
/// order is submitted but not yet filled — restart it each time, and require the
/// final trade list and equity of an uninterrupted run, no client order id used
/// twice, and a sound database.
///
/// CI runs it on the 50,180-candle January file with 24 kills (~15 s). The full
/// size — `scripts/crash-test.sh`, 130,680 candles and 40 kills — sets
/// `TRADEENGINE_CRASH_DATA`, `TRADEENGINE_CRASH_ROUNDS` and `TRADEENGINE_CRASH_EQUITY`.
@Suite struct ReplayCrashTests {
    static let environment = ProcessInfo.processInfo.environment
    static let data = SharedData.data(environment["TRADEENGINE_CRASH_DATA"] ?? "BTCUSDT-1m-20250101-20250204.csv")
    static let rounds = Int(environment["TRADEENGINE_CRASH_ROUNDS"] ?? "") ?? 24
    /// The final equity of the uninterrupted run, to the cent.
    static let equity = environment["TRADEENGINE_CRASH_EQUITY"] ?? "98172.15"

    struct Round: CustomStringConvertible {
        var batch: Int
        var commitsBeforeKill: Int
        var waitForWorkingOrder: Bool
        var description: String { "batch \(batch), kill after \(commitsBeforeKill) commits\(waitForWorkingOrder ? " once an order is working" : "")" }
    }

    @Test func killNineAnywhereThenResumeGivesTheUninterruptedResult() throws {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("replay-crash-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let db = scratch.appendingPathComponent("run.sqlite").path
        let common = ["--db", db, "--data", Self.data, "--fill", "next-open", "--snapshot-every", "4000"]

        // The uninterrupted result.
        let reference = scratch.appendingPathComponent("reference.csv").path
        let whole = try ProductBinary.run("tradeengine", ["backtest", "--data", Self.data, "--fill", "next-open", "--trades", reference])
        try #require(whole.status == 0, "\(whole.stderr)")

        var generator = SystemRandomNumberGenerator()
        var rounds: [Round] = []
        for k in 0..<Self.rounds {
            rounds.append(Round(batch: k % 3 == 0 ? 1 : [25, 200, 700].randomElement(using: &generator)!,
                                commitsBeforeKill: Int.random(in: 1...12, using: &generator),
                                waitForWorkingOrder: k % 3 == 0))
        }
        var acknowledged: Int64 = 0
        var killedWithOrderInFlight = 0
        for round in rounds {
            let (lastAcked, finished) = try runAndKill(["replay"] + common + ["--batch", String(round.batch), "--print-commits"], round)
            if finished { break }
            acknowledged = max(acknowledged, lastAcked)
            let store = try TradeStore(path: db, options: { var o = TradeStore.Options(); o.integrityCheck = .full; return o }())
            let last = try store.journal.lastSequence()
            #expect(last >= lastAcked, "\(round): the journal ends at \(last) but \(lastAcked) was acknowledged")
            #expect(try store.integrityProblems(full: true).isEmpty, "\(round)")
            // An order submitted and journaled whose fill is not: killed between submission and fill.
            var submitted = Set<String>(), filled = Set<String>()
            try store.journal.forEach(after: 0) { entry in
                if case .orderSubmitted(let s) = entry.event { submitted.insert(s.clientOrderID) }
                if case .orderFilled(let id, _) = entry.event { filled.insert(id) }
            }
            if !submitted.subtracting(filled).isEmpty { killedWithOrderInFlight += 1 }
            try store.close()
        }
        #expect(acknowledged > 0)
        #expect(killedWithOrderInFlight >= 1, "no kill landed between an order's submission and its fill")

        // Run to the end and compare.
        let trades = scratch.appendingPathComponent("trades.csv").path
        let last = try ProductBinary.run("tradeengine", ["replay"] + common + ["--batch", "500", "--trades", trades])
        try #require(last.status == 0, "\(last.stderr)")
        #expect(try String(contentsOfFile: trades, encoding: .utf8) == String(contentsOfFile: reference, encoding: .utf8))
        #expect(last.stdout.contains(Self.equity), "\(last.stdout)")

        // Every order journaled once, every client order id used once.
        let store = try TradeStore(path: db, options: { var o = TradeStore.Options(); o.integrityCheck = .full; return o }())
        defer { try? store.close() }
        var ids: [String] = []
        try store.journal.forEach(after: 0) { entry in
            if case .orderSubmitted(let s) = entry.event { ids.append(s.clientOrderID) }
        }
        // One order per fill of the uninterrupted run (its last order may still be waiting for a next open).
        let fillRows = try String(contentsOfFile: reference, encoding: .utf8).split(separator: "\n").count - 1
        #expect(ids.count == fillRows || ids.count == fillRows + 1, "\(ids.count) orders for \(fillRows) fills")
        #expect(Set(ids).count == ids.count, "a client order id was used twice")
        #expect(try store.integrityProblems(full: true).isEmpty)
    }

    /// Starts the replay, reads `committed …` lines and kills it with SIGKILL after
    /// the round's number of commits (and, if asked, once an order is working).
    /// Returns the last acknowledged journal sequence and whether the run ended by itself.
    private func runAndKill(_ arguments: [String], _ round: Round) throws -> (Int64, Bool) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: ProductBinary.path("tradeengine"))
        process.arguments = arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var buffer = ""
        var commits = 0
        var acked: Int64 = 0
        var done = false
        let deadline = Date().addingTimeInterval(60)
        reading: while Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { done = true; break }
            buffer += String(decoding: chunk, as: UTF8.self)
            while let newline = buffer.firstIndex(of: "\n") {
                let line = buffer[..<newline].split(separator: " ")
                buffer.removeSubrange(...newline)
                guard line.first == "committed", line.count == 6, let sequence = Int64(line[1]), let working = Int(line[5]) else { continue }
                acked = sequence
                commits += 1
                if commits >= round.commitsBeforeKill && (!round.waitForWorkingOrder || working > 0) { break reading }
            }
        }
        kill(process.processIdentifier, SIGKILL)
        _ = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (acked, done && process.terminationReason == .exit)
    }
}

@Suite struct ReplayFromStoreTests {
    @Test func replayOfImportedCandlesReproducesTheReferenceTrades() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("replay-store-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let db = dir.appendingPathComponent("run.sqlite").path, trades = dir.appendingPathComponent("t.csv").path
        let imported = try ProductBinary.run("tradeengine", ["import", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--db", db])
        try #require(imported.status == 0, "\(imported.stderr)")
        let out = try ProductBinary.run("tradeengine", ["replay", "--db", db, "--symbols", "BTCUSDT", "--fill", "close", "--trades", trades])
        try #require(out.status == 0, "\(out.stderr)")
        let reference = try SharedData.text(SharedData.reference("BTCUSDT-1m-20250101-20250204.ema_cross_rsi.close.trades.csv"))
        let ours = try String(contentsOfFile: trades, encoding: .utf8)
        let ourColumns: [String] = ours.split(separator: "\n").map { line in line.split(separator: ",").prefix(5).joined(separator: ",") }
        let referenceLines: [String] = reference.split(separator: "\n").map(String.init)
        #expect(ourColumns == referenceLines)
        let both = try ProductBinary.run("tradeengine", ["replay", "--db", db, "--symbols", "BTCUSDT",
                                                          "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv")])
        #expect(both.status != 0 && both.stderr.contains("not both"))
    }
}
