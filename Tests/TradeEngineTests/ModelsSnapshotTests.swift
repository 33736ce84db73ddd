import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// The whole trading brain — models, resolver, risk engine, monitors, signal log —
/// restored from snapshots at random points carries on exactly like the
/// uninterrupted run, on three real symbols.
@Suite struct ModelsSnapshotTests {
    @Test func modelsRestoredAtRandomPointsMatchTheUninterruptedRun() throws {
        let run = try ModelsTradingThroughout(symbols: ["BTCUSDT", "ETHUSDT", "SOLUSDT"])
        let (series, config, strategy, whole, final) = (run.series, run.configuration, run.strategy, run.whole, run.final)
        try #require(whole.fills.count >= 10, "the models must trade for this test to mean anything")

        var generator = SplitMix64(seed: 3)
        var cuts = Set(whole.orders.prefix(6).map { ($0.submittedBarIndex + 1) * 3 })   // right after entries
        while cuts.count < 16 { cuts.insert(Int.random(in: 1..<150_000, using: &generator)) }
        var engine = TradingEngine(configuration: config, strategy: strategy)
        var cursor = [0, 0, 0]
        var k = 0
        while let next = (0..<3).filter({ cursor[$0] < series[$0].candles.count })
            .min(by: { series[$0].candles[cursor[$0]].openTime < series[$1].candles[cursor[$1]].openTime }) {
            if cuts.contains(k) {
                let bytes = try SnapshotCodec.encode(engine.snapshot())
                engine = try TradingEngine(configuration: config,
                                           restoring: SnapshotCodec.decode(EngineSnapshot<ModelsStrategy, PaperBroker>.self, from: bytes))
            }
            try engine.handleCandle(symbol: next, candle: series[next].candles[cursor[next]], barIndex: cursor[next])
            cursor[next] += 1
            k += 1
        }
        engine.finish()
        #expect(Array(engine.fills) == whole.fills)
        #expect(engine.equity == whole.finalEquity)
        // Encoded bytes, not ==: signal reasons hold NaN for indicators still warming up.
        #expect(try SnapshotCodec.encode(engine.strategy.log.records) == SnapshotCodec.encode(final.log.records))
        #expect(try SnapshotCodec.encode(engine.strategy.trades) == SnapshotCodec.encode(final.trades))
        #expect(engine.strategy.breakerTransitions == final.breakerTransitions)
        #expect(final.log.records.count > 100)
    }
}
