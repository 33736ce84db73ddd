import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Walk-forward on real BTC minutes: window geometry, no look-ahead, stitching.
@Suite(.serialized) struct WalkForwardTests {
    static let day = UTC.dayMs
    static let series: [MarketSeries] = {
        let candles = (try? SharedData.candles("BTCUSDT-1m-20250101-20250204.csv")) ?? []
        return [MarketSeries(instrument: .spot("BTCUSDT"), candles: Array(candles.prefix(14 * 1440)))]
    }()
    static let grid = try! ParameterGrid.parse(Data(#"{"fast_period": [8, 16], "slow_period": [21, 34]}"#.utf8),
                                               source: "grid.json", strategy: "ema_cross_rsi", bounds: EmaCrossRsi.parameterBounds)
    static let plan = WalkForward(inSample: 3 * day, outOfSample: 2 * day, step: 2 * day, anchored: false)

    static func run(_ series: [MarketSeries], _ plan: WalkForward = plan) throws -> [WalkForward.WindowResult] {
        try plan.run(series: series, grid: grid, indices: Array(0..<grid.count), strategy: "ema_cross_rsi",
                     configuration: EngineConfiguration(instruments: series.map(\.instrument)), settings: RunSettings(),
                     baseTimeframe: .m1, objective: .netPnL, minTrades: 5, jobs: 2)
    }

    @Test func rollingAndAnchoredWindows() {
        let rolling = Self.plan.windows(first: 0, end: 9 * Self.day)
        #expect(rolling.map(\.inSample) == [0..<3 * Self.day, 2 * Self.day..<5 * Self.day, 4 * Self.day..<7 * Self.day])
        #expect(rolling.map(\.outOfSample) == [3 * Self.day..<5 * Self.day, 5 * Self.day..<7 * Self.day, 7 * Self.day..<9 * Self.day])
        let anchored = WalkForward(inSample: 3 * Self.day, outOfSample: 2 * Self.day, step: 2 * Self.day, anchored: true)
            .windows(first: 0, end: 9 * Self.day)
        #expect(anchored.map(\.inSample) == [0..<3 * Self.day, 0..<5 * Self.day, 0..<7 * Self.day])
        #expect(anchored.map(\.outOfSample) == rolling.map(\.outOfSample))
        #expect(Self.plan.windows(first: 0, end: 4 * Self.day).isEmpty)
    }

    /// No bar after a window's out-of-sample end can change that window: the
    /// same windows on data cut right after it give identical choices and results.
    @Test func noLaterBarInfluencesAnEarlierWindow() throws {
        let whole = try Self.run(Self.series)
        #expect(whole.count == 5)
        for k in [0, 2] {
            let cut = WalkForward.slice(Self.series, Int64.min..<whole[k].window.outOfSample.upperBound)
            let early = try Self.run(cut)
            #expect(early.count == k + 1)
            #expect(early == Array(whole.prefix(k + 1)), "window \(k + 1) changed when later bars were removed")
        }
        // The choice itself is made in sample: a window's chosen point is the best of its in-sample sweep alone.
        let w = whole[1]
        let inSample = WalkForward.slice(Self.series, w.window.inSample)
        let config = EngineConfiguration(instruments: Self.series.map(\.instrument))
        let sweep = try (0..<Self.grid.count).map { i in
            try SweepResult.evaluate(index: i, parameters: Self.grid.point(i), strategy: "ema_cross_rsi", series: inSample,
                                     configuration: config, settings: RunSettings(), baseTimeframe: .m1)
        }
        #expect(Sweep.ranked(sweep, by: .netPnL, minTrades: 5)[0] == w.chosen)
        // Out of sample is the chosen parameters on the out-of-sample candles only.
        let oos = try SweepResult.evaluate(index: w.chosen.index, parameters: w.chosen.parameters, strategy: "ema_cross_rsi",
                                           series: WalkForward.slice(Self.series, w.window.outOfSample), configuration: config,
                                           settings: RunSettings(), baseTimeframe: .m1)
        #expect(oos == w.outOfSample)
        #expect(w.equityTimes.first == w.window.outOfSample.lowerBound && w.equityTimes.last! < w.window.outOfSample.upperBound)
    }

    @Test func theOutOfSampleSegmentsChainIntoOneCurve() throws {
        let results = try Self.run(Self.series)
        let stitched = WalkForward.stitched(results, initial: 100_000)
        #expect(stitched.times.count == results.reduce(0) { $0 + $1.equityTimes.count })
        #expect(zip(stitched.times, stitched.times.dropFirst()).allSatisfy { $0 < $1 })
        let product = results.reduce(100_000.0) { $0 * ($1.equity.last! / 100_000) }
        #expect(abs(stitched.equity.last! - product) < 1e-6)
        // Each segment's first value continues from the last one's end.
        #expect(abs(stitched.equity[results[0].equity.count] - results[0].equity.last! * results[1].equity[0] / 100_000) < 1e-6)
    }
}
