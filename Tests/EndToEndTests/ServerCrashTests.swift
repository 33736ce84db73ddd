import Foundation
import TestSupport
import Testing
import TradeStore

/// "kill -9 at any moment loses nothing acknowledged": the real server, killed
/// with SIGKILL over and over and restarted on the same database (and the same
/// certificates), resumes its run and ends exactly where an uninterrupted run
/// ends; a command the server acknowledged is still in force after the kill.
@Suite(.serialized) struct ServerCrashTests {
    /// The run both servers make: the two 90-day files (BTC and ETH, about 260,000
    /// candles; the January files last only ~3.5 s at max speed, too short for
    /// twenty kills), so the kills land while it is running.
    static let runArguments = ["start", "--data", "BTCUSDT-1m-20250520-20250818.csv.gz", "--data", "ETHUSDT-1m-20250520-20250818.csv.gz",
                               "--speed", "max", "--model", "ema_cross_rsi"]
    static let kills = 20
    /// The killed server commits every 8 candles (`serve --batch`, 4096 by default):
    /// the run then takes 15–30 s instead of 3–7 s, long enough for twenty kill and
    /// restart rounds, and the kills land between small commits, not only every 4096
    /// candles. The reference and the last restart keep the default: the outcome must not depend on it.
    static let crashedServer = ["--batch", "8"]
    static let running = "ENGINE_STATE_RUNNING", finished = "ENGINE_STATE_FINISHED"
    static let paused = "ENGINE_STATE_PAUSED", halted = "ENGINE_STATE_HALTED"

    @Test(.timeLimit(.minutes(6))) func killedTwentyTimesTheRunEndsAsAnUninterruptedOne() throws {
        // 1. Reference: the same run, never interrupted.
        let referenceStarted = Date()
        let reference: Outcome
        do {
            let f = try Fixture()
            defer { f.server.stop() }
            let c = Ctl(f, f.server)
            try c.ok(Self.runArguments)
            let status = try c.waitForState([Self.finished], seconds: 180)
            reference = try Outcome(c, status: status)
        }
        let referenceSeconds = Date().timeIntervalSince(referenceStarted)
        #expect(reference.trades.count > 10, "the reference run trades: \(reference.trades.count) trades")

        // 2. The same run, killed with SIGKILL at random moments and restarted on the same database.
        let seed = ProcessInfo.processInfo.environment["TRADEENGINE_CRASH_SEED"].flatMap { UInt64($0) } ?? 20_250_101
        var rng = SplitMix64(seed: seed)
        let f = try Fixture(extraServerArguments: Self.crashedServer)
        let database = f.server.database
        let crashStarted = Date()
        var server = f.server
        defer { server.stop() }
        var c = Ctl(f, server)
        try c.ok(Self.runArguments)
        var log: [String] = []  // one line per kill, shown when something fails
        var killsWhileRunning = 0
        var lastCandles: Int64 = 0
        let deadline = Date().addingTimeInterval(180)
        for kill in 1...Self.kills {
            guard Date() < deadline else { Issue.record("deadline: only \(kill - 1) kills in 180 s (seed \(seed))\n\(log.joined(separator: "\n"))"); break }
            let waitMs = Int.random(in: 20...400, using: &rng)
            usleep(UInt32(waitMs) * 1000)
            // Every other kill comes right after a status the server answered: what
            // it said then (committed candles) must still be there after the restart.
            var acknowledged = lastCandles
            if kill % 2 == 0 {
                acknowledged = max(acknowledged, try c.status().int("candlesProcessed"))
            }
            try killHard(server)
            // The last server finishes the run at the default batch: quicker, and the batching must not matter.
            server = try ServerProcess(certs: f.certs, dataDir: Fixture.dataDir, database: database,
                                       extra: kill == Self.kills ? [] : Self.crashedServer)
            c = Ctl(f, server)
            let after = try c.status()
            let candles = after.int("candlesProcessed")
            log.append("kill \(kill) after \(waitMs) ms: restarted \(after.state) at candle \(candles) of \(after.int("candlesTotal")) (acknowledged before: \(acknowledged))")
            #expect(after.state == Self.running || after.state == Self.finished,
                    "kill \(kill) (seed \(seed)): resumed as \(after.state)\n\(log.joined(separator: "\n"))\n\(server.stderr)")
            #expect(candles > 0 && candles >= acknowledged,
                    "kill \(kill) (seed \(seed)): candle \(candles) after the restart, \(acknowledged) acknowledged before\n\(log.joined(separator: "\n"))")
            lastCandles = max(lastCandles, candles)
            // A finished run comes back finished: running after the restart means the kill hit a running engine.
            if after.state == Self.running { killsWhileRunning += 1 }
        }
        let status = try c.waitForState([Self.finished], seconds: 180)
        let crashed = try Outcome(c, status: status)
        let crashSeconds = Date().timeIntervalSince(crashStarted)
        print("ServerCrashTests: reference run \(String(format: "%.1f", referenceSeconds)) s; crashed run \(String(format: "%.1f", crashSeconds)) s, \(log.count) kills (\(killsWhileRunning) while running), seed \(seed)\n" + log.joined(separator: "\n"))
        #expect(killsWhileRunning >= Self.kills / 2, "only \(killsWhileRunning) of \(log.count) kills hit a running engine: the run is too short for the kills\n\(log.joined(separator: "\n"))")

        // 3. Nothing lost, nothing doubled: the same trades, orders and account as the uninterrupted run.
        #expect(crashed.account == reference.account)
        #expect(crashed.trades.count == reference.trades.count, "trades: \(crashed.trades.count) after the kills, \(reference.trades.count) uninterrupted")
        if let i = crashed.trades.indices.first(where: { $0 < reference.trades.count && crashed.trades[$0] != reference.trades[$0] }) {
            Issue.record("trade \(i + 1) differs:\n  killed:        \(crashed.trades[i])\n  uninterrupted: \(reference.trades[i])")
        }
        #expect(crashed.orders.count == reference.orders.count, "orders: \(crashed.orders.count) after the kills, \(reference.orders.count) uninterrupted")
        if let i = crashed.orders.indices.first(where: { $0 < reference.orders.count && crashed.orders[$0] != reference.orders[$0] }) {
            Issue.record("order \(i + 1) differs:\n  killed:        \(crashed.orders[i])\n  uninterrupted: \(reference.orders[i])")
        }
        #expect(Set(crashed.clientOrderIDs).count == crashed.clientOrderIDs.count, "client order ids repeat")
        #expect(crashed.clientOrderIDs.allSatisfy { !$0.isEmpty })
        #expect(server.stop() == 0, "graceful shutdown after the kills: \(server.stderr)")
        try expectSound(database)
    }

    /// Each acknowledged command survives a SIGKILL right after its answer:
    /// pause, resume, a parameter change and halt, each followed by kill -9 and a restart.
    @Test(.timeLimit(.minutes(4))) func anAcknowledgedCommandSurvivesAKillRightAfterIt() throws {
        let f = try Fixture()
        let database = f.server.database
        var server = f.server
        defer { server.stop() }
        var c = Ctl(f, server)
        // 60x: a bar a second, so the run is alive throughout and the halt's flatten can be seen.
        try c.ok(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "ema_cross_rsi"])
        _ = try c.waitFor("a few bars", seconds: 30) { $0.int("candlesProcessed") >= 3 }

        /// Runs the command, kills the server at once, restarts it and returns the
        /// command's answer and the first status of the new server.
        func commandThenKill(_ args: [String]) throws -> (answer: Reply, restarted: Reply) {
            let answer = try Reply(c.ok(args, json: true).json())
            try killHard(server)
            server = try ServerProcess(certs: f.certs, dataDir: Fixture.dataDir, database: database)
            c = Ctl(f, server)
            return (answer, try c.status())
        }

        let pause = try commandThenKill(["pause", "--reason", "crash drill"])
        #expect(pause.answer.state == Self.paused)
        #expect(pause.restarted.state == Self.paused, "paused, killed, restarted: \(pause.restarted)")
        #expect(pause.restarted.int("candlesProcessed") >= pause.answer.int("candlesProcessed"))

        let resume = try commandThenKill(["resume"])
        #expect(resume.answer.state == Self.running)
        #expect(resume.restarted.state == Self.running, "resumed, killed, restarted: \(resume.restarted)")

        let params = try commandThenKill(["params", "set", "ema_cross_rsi.notional=1100", "--comment", "crash drill"])
        #expect(params.restarted.int("parameterVersion") == 2, "parameters v2 acknowledged, killed, restarted: \(params.restarted)")
        #expect(params.restarted.state == Self.running)

        let halt = try commandThenKill(["halt", "--reason", "crash drill"])
        #expect(halt.answer.state == Self.halted)
        #expect(halt.restarted.state == Self.halted, "halted, killed, restarted: \(halt.restarted)")
        #expect(halt.restarted.int("candlesProcessed") >= halt.answer.int("candlesProcessed"))
        #expect(halt.restarted.raw["message"] as? String == halt.answer.raw["message"] as? String)
        // The halt's flatten goes in at the next bar; two bars on, nothing is open and it is still halted.
        let barsOn = try c.waitFor("two bars after the halt", seconds: 30) {
            $0.int("candlesProcessed") >= halt.restarted.int("candlesProcessed") + 2
        }
        #expect(barsOn.state == Self.halted)
        #expect(barsOn.int("openPositions") == 0, "open positions after a halt and a kill: \(barsOn)")

        let audit = try c.ok(["audit", "--method", "Halt"], json: true).json()
        #expect((audit["entries"] as? [[String: Any]])?.contains { ($0["requestSummary"] as? String)?.contains("crash drill") == true } == true,
                "the acknowledged halt is in the audit log after the kill: \(audit)")
        #expect(try c.ok(["stop"]).exitCode == 0)
        #expect(server.stop() == 0, "\(server.stderr)")
        try expectSound(database)
    }
}

// MARK: - Helpers

/// tradectl against one particular server process of a fixture.
struct Ctl {
    let f: Fixture
    let server: ServerProcess
    init(_ f: Fixture, _ server: ServerProcess) { self.f = f; self.server = server }

    func call(_ arguments: [String], json: Bool = false) throws -> CommandResult {
        var args = arguments + ["--server", server.address, "--ca", f.certs + "/ca.pem",
                                "--cert", f.certs + "/admin.pem", "--key", f.certs + "/admin.key"]
        if json { args += ["-o", "json"] }
        return try run(Binaries.tradectl, args, timeout: 30)
    }

    @discardableResult
    func ok(_ arguments: [String], json: Bool = false) throws -> CommandResult {
        let r = try call(arguments, json: json)
        guard r.exitCode == 0 else { throw ServerError("tradectl \(arguments.joined(separator: " ")): \(r)\nserver: \(server.stderr)") }
        return r
    }

    func status() throws -> Reply { try Reply(ok(["status"], json: true).json()) }

    func waitFor(_ what: String, seconds: Double, _ done: (Reply) -> Bool) throws -> Reply {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let s = try status()
            if done(s) { return s }
            if Date() > deadline { throw ServerError("waited \(seconds) s for \(what); status: \(s)") }
            usleep(100_000)
        }
    }

    func waitForState(_ states: Set<String>, seconds: Double) throws -> Reply {
        try waitFor("state \(states)", seconds: seconds) { states.contains($0.state) }
    }

    /// Every page of a list command, as canonical JSON per item (every field, sorted keys).
    func all(_ command: String, key: String) throws -> [[String: Any]] {
        var items: [[String: Any]] = []
        var token = ""
        for _ in 0..<10_000 {
            var args = [command, "--page-size", "1000"]
            if !token.isEmpty { args += ["--page-token", token] }
            let page = try ok(args, json: true).json()
            items += page[key] as? [[String: Any]] ?? []
            token = (page["page"] as? [String: Any])?["nextPageToken"] as? String ?? ""
            if token.isEmpty { return items }
        }
        throw ServerError("\(command): more than 10,000 pages")
    }
}

/// The engine status in a command's JSON answer.
struct Reply: CustomStringConvertible {
    let raw: [String: Any]
    init(_ json: [String: Any]) { raw = json["status"] as? [String: Any] ?? [:] }
    var state: String { raw["state"] as? String ?? "?" }
    /// int64 fields come as strings in proto JSON; absent means 0.
    func int(_ key: String) -> Int64 {
        if let s = raw[key] as? String { return Int64(s) ?? -1 }
        return (raw[key] as? NSNumber)?.int64Value ?? 0
    }
    var description: String { canonical(raw) }
}

/// What a finished run leaves: its fills and orders (every field) and its account.
struct Outcome {
    let trades: [String]
    let orders: [String]
    let clientOrderIDs: [String]
    let account: [String]

    init(_ c: Ctl, status: Reply) throws {
        trades = try c.all("trades", key: "trades").map(canonical)
        let orders = try c.all("orders", key: "orders")
        self.orders = orders.map(canonical)
        clientOrderIDs = orders.map { $0["clientOrderId"] as? String ?? "" }
        account = ["equity", "cash", "realizedPnl", "feesPaid", "pnlTotal", "openPositions", "candlesProcessed", "candlesTotal",
                   "engineTime", "parameterVersion"]
            .map { "\($0)=\(status.raw[$0].map { "\($0)" } ?? "-")" }
    }
}

func canonical(_ object: [String: Any]) -> String {
    let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    return String(decoding: data, as: UTF8.self)
}

/// kill -9, and wait (bounded) until the process is gone.
func killHard(_ server: ServerProcess) throws {
    let p = server.process
    guard p.isRunning else { throw ServerError("the server died before it was killed: \(server.stderr)") }
    kill(p.processIdentifier, SIGKILL)
    let deadline = Date().addingTimeInterval(10)
    while p.isRunning && Date() < deadline { usleep(5_000) }
    guard !p.isRunning else { throw ServerError("the server outlived SIGKILL for 10 s") }
    p.waitUntilExit()
}

/// `PRAGMA integrity_check` on the database, once the server is gone.
private func expectSound(_ path: String) throws {
    var options = TradeStore.Options()
    options.integrityCheck = .full
    let store = try TradeStore(path: path, options: options)
    #expect(try store.integrityProblems(full: true) == [], "integrity_check of \(path)")
}

/// A small seeded generator, so a failing sequence of kills can be repeated (TRADEENGINE_CRASH_SEED).
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
