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
