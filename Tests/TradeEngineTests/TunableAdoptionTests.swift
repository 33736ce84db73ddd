import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Adopting parameters mid-run through `TradingEngine`, on real data:
/// deterministic, and adopting the values in force changes nothing at all
/// (state is kept, nothing reset).
@Suite(.serialized) struct TunableAdoptionTests {
    struct Run {
        var orders: [Order]
        var fills: [Fill]
        var equity: Money
        var strategyBytes: Data
    }

    /// Drives `strategy` through the engine over `series` (merged in time
    /// order); before the first event at or after `adoptAt` (a step boundary),
    /// `adopt` runs on the engine.
    static func run<S: Strategy & Codable>(_ series: [MarketSeries], _ strategy: S, adoptAt: Int64 = .max,
                                           adopt: (inout TradingEngine<S, PaperBroker>) throws -> Void = { _ in }) throws -> Run {
        let config = EngineConfiguration(instruments: series.map(\.instrument))
        var engine = TradingEngine(configuration: config, strategy: strategy)
        var cursor = Array(repeating: 0, count: series.count)
        var adopted = false
        while let next = series.indices.filter({ cursor[$0] < series[$0].candles.count })
            .min(by: { series[$0].candles[cursor[$0]].openTime < series[$1].candles[cursor[$1]].openTime }) {
            let candle = series[next].candles[cursor[next]]
            if !adopted && candle.openTime >= adoptAt {
                try adopt(&engine)
                adopted = true
            }
            try engine.handleCandle(symbol: next, candle: candle, barIndex: cursor[next])
            cursor[next] += 1
        }
        engine.finish()
        return Run(orders: Array(engine.orders), fills: Array(engine.fills), equity: engine.equity,
                   strategyBytes: try SnapshotCodec.encode(engine.strategy))
    }

    // MARK: - models

    /// Three real symbols, 2025-01-01 to 02-04 (the models first trade on the 7th).
    static func modelsData() throws -> [MarketSeries] { try ModelsRun.series(ModelsRun.january) }

    static func modelsStrategy(_ series: [MarketSeries]) -> ModelsStrategy {
        var settings = RunSettings()
        settings.models.risk.killSwitchLoss = 1_000_000   // keep the models trading throughout
        let config = EngineConfiguration(instruments: series.map(\.instrument))
        return StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1)
    }

    @Test func modelsAdoptionMidRunIsDeterministicAndTheSameValuesChangeNothing() throws {
        let data = try Self.modelsData()
        let strategy = Self.modelsStrategy(data)
        let adoptAt = SharedData.utc(2025, 1, 17, 13) + 7 * 60_000
        let baseline = try Self.run(data, strategy)
        let entries = baseline.orders.filter { $0.reason.hasPrefix("entry:") }
        try #require(entries.filter { $0.submittedAt < adoptAt }.count >= 5 && entries.filter { $0.submittedAt >= adoptAt }.count >= 5,
                     "the models must trade on both sides of the adoption")

        // The values in force, adopted mid-run: byte for byte the run without it.
        let same = try Self.run(data, strategy, adoptAt: adoptAt) { engine in
            try engine.adopt(parameterValues: engine.strategy.parameterValues)
        }
        #expect(same.orders == baseline.orders)
        #expect(same.fills == baseline.fills)
        #expect(same.equity == baseline.equity)
        #expect(same.strategyBytes == baseline.strategyBytes)

        // A changed set: aggressive entry threshold +10 %, Kelly fraction −10 %,
        // and shorter windows (returns, degradation, edge decay: the newest kept).
        let change = { (engine: inout TradingEngine<ModelsStrategy, PaperBroker>) throws in
            var v = engine.strategy.parameterValues
            v["models.aggressive.entry_threshold"]! *= 1.1
            v["models.risk.kelly_fraction"]! *= 0.9
            v["models.risk.return_window_hours"] = 120
            v["models.monitors.window_trades"] = 20
            v["models.monitors.edge_window_days"] = 20
            try engine.adopt(parameterValues: v)
        }
        let first = try Self.run(data, strategy, adoptAt: adoptAt, adopt: change)
        let second = try Self.run(data, strategy, adoptAt: adoptAt, adopt: change)
        #expect(first.orders == second.orders)
        #expect(first.fills == second.fills)
        #expect(first.equity == second.equity)
        #expect(first.strategyBytes == second.strategyBytes)
        // Identical up to the adoption, different after it.
        #expect(first.orders.filter { $0.submittedAt < adoptAt } == baseline.orders.filter { $0.submittedAt < adoptAt })
        #expect(first.orders != baseline.orders)
        let final = try SnapshotCodec.decode(ModelsStrategy.self, from: first.strategyBytes)
        #expect(final.parameters[.aggressive].thresholds.base == 0.45 * 1.1)
        #expect(final.parameters.risk.sizing.kellyFraction == 0.25 * 0.9)
        #expect(final.risk.parameters.sizing.kellyFraction == 0.25 * 0.9)
        #expect(final.risk.returns.window == 120 && final.degradation.allSatisfy { $0.parameters.windowTrades == 20 })
        // What happened before the adoption is all still there.
        let before = try SnapshotCodec.decode(ModelsStrategy.self, from: baseline.strategyBytes)
        #expect(final.trades.filter { $0.exitTime < adoptAt } == before.trades.filter { $0.exitTime < adoptAt })
        #expect(final.log.records.prefix { $0.signal.time < adoptAt }.count == before.log.records.prefix { $0.signal.time < adoptAt }.count)
    }

    /// Disabling a model mid-run stops its entries at once; the position it
    /// holds still gets its exit, and its trade still counts.
    @Test func aModelDisabledMidRunStopsEnteringButStillExits() throws {
        let data = try Self.modelsData()
        let strategy = Self.modelsStrategy(data)
        let baseline = try Self.run(data, strategy)
        let final = try SnapshotCodec.decode(ModelsStrategy.self, from: baseline.strategyBytes)
        // Right after an aggressive entry filled: the model holds a position.
        let entry = try #require(baseline.orders.first { o in
            o.reason.hasPrefix("entry:") && final.tags[Int(o.id) - 1].model == .aggressive
                && o.submittedAt > SharedData.utc(2025, 1, 4)
        })
        let adoptAt = entry.submittedAt + 2 * 60_000
        var heldAtAdoption = false
        let run = try Self.run(data, strategy, adoptAt: adoptAt) { engine in
            heldAtAdoption = engine.strategy.risk.book.held(.aggressive, entry.symbol) != nil
            var v = engine.strategy.parameterValues
            v["models.aggressive.enabled"] = 0
            try engine.adopt(parameterValues: v)
        }
        #expect(heldAtAdoption)
        let after = try SnapshotCodec.decode(ModelsStrategy.self, from: run.strategyBytes)
        let aggressiveAfter = run.orders.filter { $0.submittedAt >= adoptAt && after.tags[Int($0.id) - 1].model == .aggressive }
        #expect(aggressiveAfter.allSatisfy { !after.tags[Int($0.id) - 1].isEntry })
        #expect(aggressiveAfter.contains { $0.symbol == entry.symbol && $0.reason.hasPrefix("exit:") })
        #expect(after.trades.contains { $0.model == .aggressive && $0.exitTime >= adoptAt })
        #expect(run.orders.contains { $0.submittedAt >= adoptAt && after.tags[Int($0.id) - 1].isEntry })   // the others go on
        #expect(after.parameterValues["models.aggressive.enabled"] == 0)

        // The big-picture model off: no more of its entries, and its postures
        // are NEUTRAL (no veto) as for a model off from the start.
        let postureTime = SharedData.utc(2025, 1, 20)
        var hadPosture = false, neutralAfter = false
        let noBigPicture = try Self.run(data, strategy, adoptAt: postureTime) { engine in
            hadPosture = engine.strategy.risk.postures.contains { $0 != .none }
            var v = engine.strategy.parameterValues
            v["models.big_picture.enabled"] = 0
            try engine.adopt(parameterValues: v)
            neutralAfter = engine.strategy.risk.postures.allSatisfy { $0 == .none }
        }
        #expect(hadPosture && neutralAfter)
        let s = try SnapshotCodec.decode(ModelsStrategy.self, from: noBigPicture.strategyBytes)
        #expect(noBigPicture.orders.allSatisfy { o in
            let tag = s.tags[Int(o.id) - 1]
            return o.submittedAt < postureTime || !tag.isEntry || tag.model != .bigPicture
        })
        #expect(!s.log.records.contains { $0.signal.time >= postureTime && $0.verdict.rule == .postureVeto })
    }

    /// The parts that hold a window keep its newest entries when it changes.
    @Test func windowsKeepTheirNewestEntriesWhenResized() {
        var returns = ReturnHistory(symbolCount: 2, timeframe: .h1, window: 8)
        for k in 0..<11 {
            let t = Int64(k) * 3_600_000
            returns.add(symbol: 0, openTime: t, close: 100 + Double(k * k))
            returns.add(symbol: 1, openTime: t, close: 50 - Double(k))
        }
        var full: [Double] = [], rows: [Double] = []
        #expect(returns.aligned([0, 1], into: &full) == 8)
        var longer = returns
        longer.adopt(window: 12)
        #expect(longer.aligned([0, 1], into: &rows) == 8 && rows == full)
        var shorter = returns
        shorter.adopt(window: 4)
        #expect(shorter.aligned([0, 1], into: &rows) == 4 && rows == Array(full.suffix(8)))
        // And they go on from there.
        shorter.add(symbol: 0, openTime: 11 * 3_600_000, close: 300)
        shorter.add(symbol: 1, openTime: 11 * 3_600_000, close: 38)
        let newest: [Double] = [300.0 / 200 - 1, 38.0 / 40 - 1]
        #expect(shorter.aligned([0, 1], into: &rows) == 4)
        #expect(Array(rows.suffix(2)) == newest && Array(rows.prefix(6)) == Array(full.suffix(6)))

        var buffer = RingBuffer(capacity: 5)
        for x in 1...7 { buffer.push(Double(x)) }
        let three = buffer.resized(to: 3), nine = buffer.resized(to: 9)
        #expect((0..<three.count).map { three[$0] } == [5, 6, 7])
        #expect((0..<nine.count).map { nine[$0] } == [3, 4, 5, 6, 7] && nine.capacity == 9)

        var monitor = DegradationMonitor()
        for x in [-1.0, 2, -3, -4, 5, -6] { monitor.record(netPnL: x) }
        let reading = monitor.assess(sharpe: nil)
        var same = monitor
        same.adopt(DegradationParameters())
        #expect(same.assess(sharpe: nil) == reading)
        var p = DegradationParameters()
        p.windowTrades = 2
        p.minTrades = 1
        monitor.adopt(p)
        let narrow = monitor.assess(sharpe: nil)
        #expect(narrow.trades == 2 && narrow.expectancy == -0.5 && monitor.tradesSinceReset == 6 && monitor.consecutiveLosses == 1)
    }

    // MARK: - ema_cross_rsi

    static func emaData() throws -> [MarketSeries] {
        [MarketSeries(instrument: .spot("BTCUSDT"), candles: try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv"))]
    }

    @Test func emaCrossRsiSameValuesChangeNothingAndNotionalChangesOnlyLaterSizes() throws {
        let data = try Self.emaData()
        let strategy = EmaCrossRsi(symbolCount: 1)
        let adoptAt = SharedData.utc(2025, 1, 15)
        let baseline = try Self.run(data, strategy)
        try #require(baseline.orders.filter { $0.submittedAt >= adoptAt && $0.side == .buy }.count >= 5)

        let same = try Self.run(data, strategy, adoptAt: adoptAt) { engine in
            try engine.adopt(parameterValues: engine.strategy.parameterValues)
        }
        #expect(same.orders == baseline.orders && same.fills == baseline.fills && same.strategyBytes == baseline.strategyBytes)

        let doubled = try Self.run(data, strategy, adoptAt: adoptAt) { engine in
            var v = engine.strategy.parameterValues
            v["ema_cross_rsi.notional"] = 2_000
            try engine.adopt(parameterValues: v)
        }
        // The same orders at the same bars; only the sizes after the change differ.
        #expect(doubled.orders.count == baseline.orders.count)
        let closes = Dictionary(uniqueKeysWithValues: data[0].candles.map { ($0.openTime, $0.close) })
        for (a, b) in zip(doubled.orders, baseline.orders) {
            #expect(a.submittedAt == b.submittedAt && a.side == b.side && a.reason == b.reason)
            if a.submittedAt < adoptAt {
                #expect(a == b)
            } else if a.side == .buy {
                let close = try #require(closes[a.submittedAt])
                #expect(a.quantity.raw == Int64((2_000 / close * 1e8).rounded(.down)))
                #expect(a.quantity.raw > b.quantity.raw)
            }
        }
        // A changed period: deterministic, identical before the change.
        let faster = { (engine: inout TradingEngine<EmaCrossRsi, PaperBroker>) throws in
            var v = engine.strategy.parameterValues
            v["ema_cross_rsi.fast_period"] = 9
            try engine.adopt(parameterValues: v)
        }
        let p1 = try Self.run(data, strategy, adoptAt: adoptAt, adopt: faster)
        let p2 = try Self.run(data, strategy, adoptAt: adoptAt, adopt: faster)
        #expect(p1.orders == p2.orders && p1.fills == p2.fills)
        #expect(p1.orders.filter { $0.submittedAt < adoptAt } == baseline.orders.filter { $0.submittedAt < adoptAt })
        #expect(p1.orders != baseline.orders)
    }
}
