import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeStore
@testable import TradeRuntime

@Suite struct JournaledReplayTests {
    let candles = try! SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 12_000)
    var series: [MarketSeries] { [MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)] }
    let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
    let identity = RunIdentity(strategy: "ema_cross_rsi", symbols: ["BTCUSDT"], settings: ["fill": "next-open"])

    func freshPath() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("replay-\(UUID().uuidString).sqlite").path
    }

    func open(_ path: String, identity: RunIdentity? = nil, series: [MarketSeries]? = nil) throws -> JournaledReplay<EmaCrossRsi> {
        try JournaledReplay(store: TradeStore(path: path), identity: identity ?? self.identity, series: series ?? self.series,
                            configuration: config, strategy: EmaCrossRsi(symbolCount: 1), snapshotEvery: 2_500)
    }

    @Test func resumeUsesTheLatestSnapshotAndOnlyTheJournalAfterIt() throws {
        let path = freshPath()
        let first = try open(path)
        for _ in 0..<13 { try first.advance(maxCandles: 500) }   // 6,500 candles: snapshots at 2,500 and 5,000
        try first.store.close()
        let resumed = try open(path)
        #expect(resumed.resumedFromSnapshot)
        #expect(resumed.replayedOnResume == 1_500)
        #expect(resumed.candlesDone == 6_500)
        try resumed.runToEnd(batchSize: 777)
        let whole = try BacktestRunner.run(series: series, configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        #expect(Array(resumed.engine.fills) == whole.fills)
        #expect(resumed.engine.equity == whole.finalEquity)
        // Opening a finished run changes nothing.
        try resumed.store.close()
        let again = try open(path)
        #expect(again.isFinished && Array(again.engine.fills) == whole.fills)
        #expect(again.engine.equityCurve.count == whole.equityCurve.count)
    }

    @Test func aDifferentRunOrChangedDataIsRefused() throws {
        let path = freshPath()
        let first = try open(path)
        try first.advance(maxCandles: 2_000)   // journaled, no snapshot yet: resume replays it all
        try first.store.close()
        var other = identity
        other.settings["fill"] = "close"
        #expect(throws: RuntimeError.self) { try open(path, identity: other) }
        // Same arguments, but the data now differs where the journal has been.
        // (The command line also puts a fingerprint of the data in the run's identity,
        // which catches changes before the latest snapshot too.)
        var changed = candles
        changed[1_000].close += 0.01
        #expect(throws: RuntimeError.self) { try open(path, series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: changed)]) }
    }

    @Test func aJournalNotWrittenByAReplayIsRefused() throws {
        let path = freshPath()
        let store = try TradeStore(path: path)
        try store.journal.append([JournalEntry(sequence: 1, time: 0, event: .parameterChange(version: 1))])
        try store.close()
        #expect(throws: RuntimeError.self) { try open(path) }
    }
}

/// What a journaled models run leaves in the history tables: every signal with
/// its outcome, every round trip per model, every fill and order — once each,
/// across a resume.
@Suite struct JournaledHistoryTests {
    func all<T>(_ page: (HistoryQuery) throws -> HistoryPage<T>) throws -> [T] {
        var items: [T] = []
        var token: String?
        repeat {
            let p = try page(HistoryQuery(pageSize: 1_000, pageToken: token))
            items += p.items
            token = p.nextPageToken
        } while token != nil
        return items
    }

    @Test func modelsHistoryIsStoredOnceAcrossAResume() throws {
        let names = ["BTCUSDT", "ETHUSDT", "SOLUSDT"]
        let series = try names.map { MarketSeries(instrument: .spot($0), candles: try SharedData.candles("\($0)-1m-20250101-20250204.csv")) }
        var settings = RunSettings()
        settings.models.risk.killSwitchLoss = 1_000_000
        var config = EngineConfiguration(instruments: series.map(\.instrument))
        settings.apply(to: &config)
        let identity = RunIdentity(strategy: "models", symbols: names)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("models-\(UUID().uuidString).sqlite").path
        func open() throws -> JournaledReplay<ModelsStrategy> {
            try JournaledReplay(store: TradeStore(path: path), identity: identity, series: series, configuration: config,
                                strategy: StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1),
                                snapshotEvery: 30_000)
        }
        let first = try open()
        for _ in 0..<9 { try first.advance(maxCandles: 7_000) }   // stop mid-run, between snapshots
        try first.store.close()
        let second = try open()
        try second.runToEnd(batchSize: 5_000)
        let m = second.engine.strategy
        let history = second.store.history
        let signals = try all { try history.signals($0) }
        #expect(signals.count == m.log.records.count)
        #expect(signals.count > 1_000)
        #expect(Set(signals.map(\.outcome)).isSuperset(of: [.accepted, .vetoed]))
        let trades = try all { try history.trades($0) }
        #expect(trades.count == m.trades.count && trades.count > 5)
        #expect(trades.map(\.netPnL) == m.trades.map(\.netPnL))
        #expect(try all { try history.fills($0) }.count == second.engine.fills.count)
        #expect(try all { try history.orders($0) }.count == second.engine.orders.count)
        #expect(try all { try history.breakerTransitions($0) }.count == m.breakerTransitions.count)
    }
}

/// Operator actions and the runs of one database: journaled at their place,
/// restored exactly on resume, and each run with its own client order ids.
@Suite struct JournaledCommandTests {
    let candles = try! SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 12_000)
    var series: [MarketSeries] { [MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)] }
    let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
    let identity = RunIdentity(strategy: "ema_cross_rsi", symbols: ["BTCUSDT"])

    func path() -> String { FileManager.default.temporaryDirectory.appendingPathComponent("cmd-\(UUID().uuidString).sqlite").path }

    func open(_ path: String, opening: RunOpening = .resumeOrStart, snapshotEvery: Int = 3_000) throws -> JournaledReplay<EmaCrossRsi> {
        try JournaledReplay(store: TradeStore(path: path), identity: identity, series: series, configuration: config,
                            strategy: EmaCrossRsi(symbolCount: 1), snapshotEvery: snapshotEvery, opening: opening)
    }

    /// The script: pause at 2,000, halt at 5,000 (with a position open if there is one), resume at 8,000.
    func drive(_ r: JournaledReplay<EmaCrossRsi>, until stop: Int) throws {
        while r.candlesDone < stop, !r.isFinished {
            switch r.candlesDone {
            case 2_000: try r.apply(.pauseEntries(reason: "news"))
            case 5_000: try r.apply(.halt(reason: "drill"))
            case 8_000: try r.apply(.resume)
            default: break
            }
            let next = [2_000, 5_000, 8_000, stop].filter { $0 > r.candlesDone }.min()!
            try r.advance(maxCandles: min(next - r.candlesDone, 700))
        }
    }

    @Test func commandsAreJournaledAndAResumeReachesTheSameStateAtEveryCut() throws {
        let whole = try open(path())
        try drive(whole, until: .max)
        #expect(whole.state == .finished)
        #expect(whole.engine.orders.contains { $0.reason.hasPrefix("operator: halt") } || whole.engine.orders.contains { $0.statusMessage.contains("entries are blocked") })
        for cut in [1_999, 2_001, 4_321, 5_000, 6_100, 9_999] {
            let p = path()
            let first = try open(p)
            try drive(first, until: cut)
            let stateAtCut = first.state
            try first.store.close()
            let resumed = try open(p)
            #expect(resumed.state == stateAtCut, "cut \(cut): a paused or halted run comes back paused or halted")
            #expect(resumed.candlesDone == first.candlesDone)
            try drive(resumed, until: .max)
            #expect(resumed.engine.orders == whole.engine.orders, "cut \(cut)")
            #expect(resumed.engine.fills == whole.engine.fills && resumed.engine.equity == whole.engine.equity, "cut \(cut)")
            #expect(try resumed.store.journal.lastSequence() == whole.store.journal.lastSequence(), "cut \(cut): the same journal")
        }
    }

    @Test func aDatabaseHoldsRunAfterRunWithDistinctClientOrderIDs() throws {
        let p = path()
        let first = try open(p)
        try first.advance(maxCandles: 6_000)
        #expect(throws: RuntimeError.self) { try open(p, opening: .startNew) }   // run 1 is still running
        try first.stop(message: "enough")
        #expect(first.state == .stopped)
        #expect(throws: RuntimeError.self) { try first.advance(maxCandles: 1) }
        try first.store.close()
        let second = try open(p, opening: .startNew)
        #expect(second.runID == 2 && second.candlesDone == 0)
        try second.runToEnd(batchSize: 4_000)
        let ids = second.engine.orders.map(\.clientOrderID) + first.engine.orders.map(\.clientOrderID)
        #expect(Set(ids).count == ids.count, "no client order id is used twice across runs")
        #expect(second.engine.orders.allSatisfy { $0.clientOrderID.hasPrefix("r2-") })
        let runs = try second.store.runs.list()
        #expect(runs.map(\.state) == ["finished", "stopped"])
        let run1Orders = try second.store.history.orders(HistoryQuery(run: 1, pageSize: 1_000)).items
        #expect(run1Orders.count == first.engine.orders.count && run1Orders.allSatisfy { $0.clientOrderID.hasPrefix("r1-") })
        // Reopening resumes the latest (finished) run; it stays finished.
        try second.store.close()
        let again = try open(p, opening: .resumeLatest)
        #expect(again.runID == 2 && again.state == .finished && again.engine.fills == second.engine.fills)
    }

    @Test func aCommandOnAFinishedRunIsRefusedAndNothingIsJournaled() throws {
        let r = try open(path())
        try r.runToEnd(batchSize: 6_000)
        let before = try r.store.journal.lastSequence()
        #expect(throws: RuntimeError.self) { try r.apply(.halt(reason: "late")) }
        #expect(try r.store.journal.lastSequence() == before)
    }
}
