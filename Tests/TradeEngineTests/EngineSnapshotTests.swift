import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// A snapshot taken between any two events, encoded, decoded and restored,
/// carries on exactly like the engine that was never stopped.
@Suite struct EngineSnapshotTests {
    func runWithRestarts<S: Strategy & Codable>(_ strategy: S, series: [MarketSeries], config: EngineConfiguration,
                                                restartsAt cuts: Set<Int>) throws -> (TradingEngine<S, PaperBroker>, Int) {
        var engine = TradingEngine(configuration: config, strategy: strategy)
        var restarts = 0
        var k = 0
        // Merge by time exactly as BacktestRunner does.
        var cursor = Array(repeating: 0, count: series.count)
        while let next = (0..<series.count).filter({ cursor[$0] < series[$0].candles.count })
            .min(by: { series[$0].candles[cursor[$0]].openTime < series[$1].candles[cursor[$1]].openTime }) {
            if cuts.contains(k) {
                let bytes = try SnapshotCodec.encode(engine.snapshot())
                engine = try TradingEngine(configuration: config,
                                           restoring: SnapshotCodec.decode(EngineSnapshot<S, PaperBroker>.self, from: bytes))
                restarts += 1
            }
            try engine.handleCandle(symbol: next, candle: series[next].candles[cursor[next]], barIndex: cursor[next])
            cursor[next] += 1
            k += 1
        }
        engine.finish()
        return (engine, restarts)
    }

    @Test(arguments: [FillConvention.nextOpen, .close])
    func emaCrossRsiRestoredAtRandomPointsMatchesTheUninterruptedRun(_ fill: FillConvention) throws {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv")
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.broker.fillConvention = fill
        let series = [MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)]
        let whole = try BacktestRunner.run(series: series, configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        // Every bar right after an order was placed (next-open: it is still working) plus random ones.
        var generator = SplitMix64(seed: 7)
        var cuts = Set(whole.orders.prefix(12).map { $0.submittedBarIndex + 1 })
        while cuts.count < 32 { cuts.insert(Int.random(in: 1..<candles.count, using: &generator)) }
        let (restored, restarts) = try runWithRestarts(EmaCrossRsi(symbolCount: 1), series: series, config: config, restartsAt: cuts)
        #expect(restarts == 32)
        #expect(TradeListFormat.csv(Array(restored.fills)) == TradeListFormat.csv(whole.fills))
        #expect(EquityCurveFormat.csv(restored.equityCurve) == EquityCurveFormat.csv(whole.equityCurve))
        #expect(restored.equity == whole.finalEquity)
        #expect(restored.orders.map(\.clientOrderID) == whole.orders.map(\.clientOrderID))
    }

    @Test func partialFillsLimitsAndTwoSymbolsSurviveRestarts() throws {
        let names = ["BTCUSDT-1m-20250101-20250204.csv", "ETHUSDT-1m-20250101-20250204.csv"]
        let series = try names.map { MarketSeries(instrument: .spot(String($0.prefix(7))), candles: try SharedData.candles($0, limit: 8_000)) }
        var config = EngineConfiguration(instruments: series.map(\.instrument))
        config.broker.maxVolumeParticipation = 0.002
        config.broker.slippageBps = 1
        let whole = try BacktestRunner.run(series: series, configuration: config, strategy: ChurningStrategy(symbolCount: 2))
        #expect(whole.orders.contains { $0.status == .partiallyFilled || $0.status == .open })
        var generator = SplitMix64(seed: 11)
        let cuts = Set((0..<40).map { _ in Int.random(in: 1..<16_000, using: &generator) })
        let (restored, _) = try runWithRestarts(ChurningStrategy(symbolCount: 2), series: series, config: config, restartsAt: cuts)
        #expect(TradeListFormat.csv(Array(restored.fills)) == TradeListFormat.csv(whole.fills))
        #expect(restored.ledger.cash == whole.ledger.cash)
        #expect(restored.broker.working == whole.orders.filter { !$0.status.isTerminal })
    }

    @Test func aSnapshotForOtherSymbolsIsRefused() throws {
        let engine = TradingEngine(configuration: EngineConfiguration(instruments: [.spot("BTCUSDT")]), strategy: EmaCrossRsi(symbolCount: 1))
        #expect(throws: EngineError.self) {
            try TradingEngine(configuration: EngineConfiguration(instruments: [.spot("ETHUSDT")]), restoring: engine.snapshot())
        }
    }
}

/// A tiny seeded generator, so the random restart points are the same every run.
struct SplitMix64: RandomNumberGenerator {
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

@Suite struct EquityCurveCodingTests {
    @Test func theCurveIsOneExactTextInASnapshotAndOlderArraysStillRead() throws {
        var curve = EquityCurve(barMilliseconds: 60_000)
        let values = [100_000.0, 100_000.1, 99_999.123456789, 1e-300, -0.0, 123_456_789.987654321]
        for (i, v) in values.enumerated() { curve.append(time: Int64(i == 4 ? 10 : i) * 60_000, equity: v, inMarket: i % 2 == 0) }
        let bytes = try SnapshotCodec.encode(curve)
        let object = try JSONSerialization.jsonObject(with: bytes) as! [String: Any]
        #expect(object["equity"] is String, "one base64 text, not a number per step")
        let back = try SnapshotCodec.decode(EquityCurve.self, from: bytes)
        #expect(back.equity.map(\.bitPattern) == values.map(\.bitPattern) && back.times == curve.times && back.stepsInMarket == 3)
        #expect(try SnapshotCodec.encode(back) == bytes, "the same curve, the same bytes")
        // A snapshot written before: the values as a JSON array.
        var older = object
        older["equity"] = values
        let old = try SnapshotCodec.decode(EquityCurve.self, from: JSONSerialization.data(withJSONObject: older))
        #expect(old.equity == values && old.times == curve.times)
        older["equity"] = "not base64!"
        #expect(throws: DecodingError.self) { _ = try SnapshotCodec.decode(EquityCurve.self, from: JSONSerialization.data(withJSONObject: older)) }
    }
}
