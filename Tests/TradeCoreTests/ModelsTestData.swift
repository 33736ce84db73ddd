import Foundation
import TestSupport
@testable import TradeCore

/// Real candles for the model, risk and exit tests, loaded once per process.
enum ModelsTestData {
    static let btcJan: [Candle] = (try? SharedData.candles("BTCUSDT-1m-20250101-20250204.csv")) ?? []
    static let ethJan: [Candle] = (try? SharedData.candles("ETHUSDT-1m-20250101-20250204.csv")) ?? []
    static let solJan: [Candle] = (try? SharedData.candles("SOLUSDT-1m-20250101-20250204.csv")) ?? []
    static let btcHourly: [Candle] = (try? SharedData.candles("BTCUSDT-1h-20170817-20251202.csv")) ?? []

    /// 2025-02-03 02:07 UTC: ETH −9.6 % in one minute (the crash in the January files).
    static let crashMinute = RegimeTestData.utc(2025, 2, 3, 2) + 7 * 60_000

    static func index(_ candles: [Candle], at time: Int64) -> Int {
        candles.firstIndex { $0.openTime >= time }!
    }

    /// Candles with from ≤ openTime < to.
    static func slice(_ candles: [Candle], from: Int64, to: Int64) -> ArraySlice<Candle> {
        let lower = candles.firstIndex { $0.openTime >= from } ?? candles.count
        let upper = candles.firstIndex { $0.openTime >= to } ?? candles.count
        return candles[lower..<upper]
    }
}

/// Replays base candles through the same aggregation and feature pipeline the
/// engine runs (`CandleAggregator` → `MarketFeatures` per timeframe) and keeps
/// one `TimeframeView` per timeframe, as `ModelsStrategy` does.
struct Replay {
    let base: Timeframe
    var aggregator: CandleAggregator
    var features: [MarketFeatures?]
    var views: [TimeframeView]

    init(base: Timeframe = .m1, timeframes: [Timeframe], regime: RegimeSettings = RegimeSettings()) {
        self.base = base
        aggregator = CandleAggregator(base: base, targets: timeframes)
        features = Timeframe.allCases.map { timeframes.contains($0) || $0 == base ? MarketFeatures(timeframe: $0, regime: regime) : nil }
        views = Array(repeating: TimeframeView(), count: Timeframe.allCases.count)
    }

    subscript(tf: Timeframe) -> TimeframeView { views[tf.rawValue] }

    /// Feeds one base candle; afterwards `closedNow` marks the timeframes it closed.
    mutating func add(_ c: Candle) {
        for i in views.indices { views[i].closedNow = false }
        update(base, c)
        var closed: [(Timeframe, Candle)] = []
        aggregator.add(c) { closed.append(($0, $1)) }
        for (tf, bar) in closed { update(tf, bar) }
    }

    private mutating func update(_ tf: Timeframe, _ c: Candle) {
        guard features[tf.rawValue] != nil else { return }
        features[tf.rawValue]!.update(c)
        views[tf.rawValue].update(features[tf.rawValue]!.snapshot, open: c.open, time: c.openTime)
    }

    /// Replays `candles`, calling `body` after each with the replay state.
    static func run<C: Collection>(_ candles: C, base: Timeframe = .m1, timeframes: [Timeframe],
                                   _ body: (Candle, Replay) -> Void) where C.Element == Candle {
        var r = Replay(base: base, timeframes: timeframes)
        for c in candles {
            r.add(c)
            body(c, r)
        }
    }
}
