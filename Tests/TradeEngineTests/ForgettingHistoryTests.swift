import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// A hosted run lets go of its stored history after every batch; the engine must
/// decide exactly as one that keeps it all — the same orders, fills, signals and
/// equity — while holding only its recent past, through snapshots too.
@Suite struct ForgettingHistoryTests {
    @Test func anEngineThatForgetsAfterEveryBatchDecidesExactlyAsOneThatKeepsEverything() throws {
        let run = try ModelsTradingThroughout(symbols: ["BTCUSDT", "ETHUSDT"], candles: 30_000)
        let (series, config, strategy, whole, final) = (run.series, run.configuration, run.strategy, run.whole, run.final)
        try #require(whole.fills.count >= 10, "the models must trade for this test to mean anything")

        let keep = 500
        var engine = TradingEngine(configuration: config, strategy: strategy)
        var fills: [Fill] = [], orders: [Order] = [], signals: [SignalRecord] = []
        var (fillsSeen, signalsSeen) = (0, 0)
        var mostHeld = 0
        /// What a hosted run's store receives before the engine forgets it.
        func collect() {
            fills += engine.fills[fillsSeen...]
            fillsSeen = engine.fills.endIndex
            signals += engine.strategy.log.records[signalsSeen...]
            signalsSeen = engine.strategy.log.records.endIndex
            // Orders are stored when made and again as they change; the test keeps their final states.
            for order in engine.orders {
                if order.id <= orders.count { orders[Int(order.id - 1)] = order } else { orders.append(order) }
            }
        }
        var cursor = [0, 0]
        var k = 0
        while let next = (0..<2).filter({ cursor[$0] < series[$0].candles.count })
            .min(by: { series[$0].candles[cursor[$0]].openTime < series[$1].candles[cursor[$1]].openTime }) {
            try engine.handleCandle(symbol: next, candle: series[next].candles[cursor[next]], barIndex: cursor[next])
            cursor[next] += 1
            k += 1
            if k % 97 == 0 {
                collect()
                engine.forgetStoredHistory(keepingEquitySteps: keep)
                mostHeld = max(mostHeld, engine.fills.count + engine.strategy.log.records.count)
            }
            if k % 9_973 == 0 {   // a forgetting engine's snapshot carries on too
                let bytes = try SnapshotCodec.encode(engine.snapshot())
                engine = try TradingEngine(configuration: config,
                                           restoring: SnapshotCodec.decode(EngineSnapshot<ModelsStrategy, PaperBroker>.self, from: bytes))
            }
        }
        engine.finish()
        collect()
        engine.forgetStoredHistory(keepingEquitySteps: keep)

        #expect(fills == whole.fills)
        #expect(orders == whole.orders)
        #expect(engine.equity == whole.finalEquity)
        #expect(try SnapshotCodec.encode(signals) == SnapshotCodec.encode(Array(final.log.records)))
        #expect(engine.strategy.breakerTransitions == final.breakerTransitions)
        // It holds only its recent past: no fill, no signal, the orders from the oldest working one, two windows of equity.
        #expect(engine.fills.isEmpty && engine.fills.endIndex == whole.fills.count)
        #expect(engine.strategy.log.records.isEmpty && engine.strategy.log.count == final.log.records.count)
        #expect(engine.orders.count <= engine.workingOrders.count + 1 || engine.orders.count < 20, "\(engine.orders.count) orders held")
        #expect(engine.equityCurve.count <= 2 * keep && engine.equityCurve.totalSteps == whole.equityCurve.count)
        #expect(mostHeld < 200, "held at most \(mostHeld) fills and signals")
        // The curve's whole-run statistics are those of the full curve.
        let full = PerformanceMetrics.statistics(times: whole.equityCurve.times, equity: whole.equityCurve.equity,
                                                 startEquity: config.initialCash.doubleValue, barMs: 60_000)
        #expect(engine.equityCurve.statistics == full)
        #expect(engine.equityCurve.stepsInMarket == whole.equityCurve.stepsInMarket)
        #expect(Array(engine.equityCurve.times) == Array(whole.equityCurve.times.suffix(engine.equityCurve.count)))
        #expect(engine.equityCurve.equity == Array(whole.equityCurve.equity.suffix(engine.equityCurve.count)))
    }

    @Test func aRetainedLogKeepsAbsoluteIndicesAndCodesWhatItHolds() throws {
        var log = RetainedLog<Int>()
        for i in 0..<10 { log.append(i * 10) }
        log.forget(before: 4)
        #expect(log.startIndex == 4 && log.endIndex == 10 && log.count == 6)
        #expect(log[4] == 40 && log[9] == 90 && Array(log[7...]) == [70, 80, 90])
        #expect(log.isForgotten(3) && !log.isForgotten(4) && !log.isForgotten(10))
        log.forget(before: 2)   // already gone: nothing changes
        #expect(log.startIndex == 4)
        log[5] = 55
        log.append(100)
        let decoded = try JSONDecoder().decode(RetainedLog<Int>.self, from: JSONEncoder().encode(log))
        #expect(decoded == log && decoded[5] == 55 && decoded.endIndex == 11)
        // A plain array (snapshots from before) decodes as entries from 0.
        let old = try JSONDecoder().decode(RetainedLog<Int>.self, from: Data("[1,2,3]".utf8))
        #expect(old.startIndex == 0 && Array(old) == [1, 2, 3])
        log.forget(before: 1_000)
        #expect(log.isEmpty && log.startIndex == 11 && log.endIndex == 11)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RetainedLog<Int>.self, from: Data(#"{"first":-1,"items":[]}"#.utf8)) }
    }
}
