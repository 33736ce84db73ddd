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
        #expect(resumed.engine.fills == whole.fills)
        #expect(resumed.engine.equity == whole.finalEquity)
        // Opening a finished run changes nothing.
        try resumed.store.close()
        let again = try open(path)
        #expect(again.isFinished && again.engine.fills == whole.fills)
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
