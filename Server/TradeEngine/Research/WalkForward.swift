import TradeCore

/// Walk-forward optimisation: choose parameters on an in-sample window by a
/// sweep, run the choice on the out-of-sample window right after it, move on.
///
/// Windows are rolling (the in-sample window slides by `step`) or anchored
/// (it always starts at the first bar and grows). Each window's choice is made
/// from its in-sample candles only, and its out-of-sample run is a fresh engine
/// on its out-of-sample candles only (its indicators warm up there, as they
/// would after a real deployment), so no bar after a choice can influence it
/// (tested by truncating the data). The out-of-sample segments are stitched
/// into one equity curve (each segment's returns chained onto the previous
/// segment's end), and each window reports in-sample against out-of-sample
/// results — the gap between them is the overfitting signal.
public struct WalkForward: Sendable, Equatable, Codable {
    public var inSampleMilliseconds: Int64
    public var outOfSampleMilliseconds: Int64
    public var stepMilliseconds: Int64
    public var anchored: Bool

    public init(inSample: Int64, outOfSample: Int64, step: Int64, anchored: Bool) {
        inSampleMilliseconds = inSample
        outOfSampleMilliseconds = outOfSample
        stepMilliseconds = step
        self.anchored = anchored
    }

    public struct Window: Sendable, Equatable, Codable {
        public var index: Int
        /// [start, end) in Unix ms.
        public var inSample: Range<Int64>
        public var outOfSample: Range<Int64>
    }

    /// Every window whose out-of-sample part fits in [first, end).
    public func windows(first: Int64, end: Int64) -> [Window] {
        var out: [Window] = []
        var start = first
        while true {
            let isStart = anchored ? first : start
            let isEnd = start + inSampleMilliseconds
            let oosEnd = isEnd + outOfSampleMilliseconds
            guard oosEnd <= end else { break }
            out.append(Window(index: out.count, inSample: isStart..<isEnd, outOfSample: isEnd..<oosEnd))
            start += stepMilliseconds
        }
        return out
    }

    public struct WindowResult: Sendable, Equatable, Codable {
        public var window: Window
        /// The in-sample winner, and its in-sample and out-of-sample results.
        public var chosen: SweepResult
        public var outOfSample: SweepResult
        /// Net PnL per day in sample and out of sample; their ratio (nil when the in-sample one is not positive).
        public var inSamplePerDay: Double
        public var outOfSamplePerDay: Double
        public var efficiency: Double? { inSamplePerDay > 0 ? outOfSamplePerDay / inSamplePerDay : nil }
        /// The out-of-sample equity curve (open times, equity), starting from the initial cash.
        public var equityTimes: [Int64]
        public var equity: [Double]
    }

    /// The candles of `series` with open times in `range`, keeping their bar numbers.
    public static func slice(_ series: [MarketSeries], _ range: Range<Int64>) -> [MarketSeries] {
        series.map { s in
            let lo = s.candles.partitionIndex { $0.openTime >= range.lowerBound }
            let hi = s.candles.partitionIndex { $0.openTime >= range.upperBound }
            return MarketSeries(instrument: s.instrument, candles: Array(s.candles[lo..<hi]), firstBarIndex: s.firstBarIndex + lo)
        }
    }

    /// The windows over `series`.
    public func windows(series: [MarketSeries], baseTimeframe: Timeframe) -> [Window] {
        let first = series.compactMap { $0.candles.first?.openTime }.min() ?? 0
        let end = (series.compactMap { $0.candles.last?.openTime }.max() ?? 0) + baseTimeframe.milliseconds
        return windows(first: first, end: end)
    }

    /// Runs every window of `shard` (index mod N == I): a sweep of `indices`
    /// of `grid` in sample (ranked by `objective` with `minTrades`), then the
    /// winner out of sample. A window depends on its own candles only, so
    /// shards' results together are exactly the whole run's.
    public func run(series: [MarketSeries], grid: ParameterGrid, indices: [Int], strategy: String,
                    configuration: EngineConfiguration, settings: RunSettings, baseTimeframe: Timeframe,
                    objective: SweepObjective, minTrades: Int, jobs: Int, shard: Sweep.Shard = .whole,
                    progress: @escaping @Sendable (String) -> Void = { _ in }) throws -> [WindowResult] {
        var results: [WindowResult] = []
        for w in windows(series: series, baseTimeframe: baseTimeframe) where shard.contains(w.index) {
            let inSample = Self.slice(series, w.inSample), outOfSample = Self.slice(series, w.outOfSample)
            let swept = try Sweep.run(indices: indices, jobs: jobs, evaluate: { i in
                try SweepResult.evaluate(index: i, parameters: grid.point(i), strategy: strategy, series: inSample,
                                         configuration: configuration, settings: settings, baseTimeframe: baseTimeframe)
            }, done: { _ in })
            let best = Sweep.ranked(swept, by: objective, minTrades: minTrades)[0]
            let run = try StrategyCatalog.run(name: strategy, series: outOfSample, configuration: configuration, settings: settings,
                                              baseTimeframe: baseTimeframe, parameters: best.parameters)
            let oos = SweepResult.measure(run, index: best.index, parameters: best.parameters, configuration: configuration,
                                          baseTimeframe: baseTimeframe)
            let curve = run.equityCurve
            let days = { (r: Range<Int64>) in Double(r.upperBound - r.lowerBound) / Double(UTC.dayMs) }
            results.append(WindowResult(window: w, chosen: best, outOfSample: oos,
                                        inSamplePerDay: best.netPnL / days(w.inSample), outOfSamplePerDay: oos.netPnL / days(w.outOfSample),
                                        equityTimes: curve.times, equity: curve.equity))
            progress("window \(w.index + 1): chose point \(best.index) (in sample \(Int(best.netPnL.rounded())) USDT), out of sample \(Int(oos.netPnL.rounded())) USDT")
        }
        return results
    }

    /// The out-of-sample segments chained into one curve from `initial`: each
    /// segment's equity relative to its start, multiplied onto the previous end.
    public static func stitched(_ results: [WindowResult], initial: Double) -> (times: [Int64], equity: [Double]) {
        var times: [Int64] = [], equity: [Double] = []
        var level = initial
        for r in results {
            for (t, e) in zip(r.equityTimes, r.equity) {
                times.append(t)
                equity.append(level * e / initial)
            }
            level = equity.last ?? level
        }
        return (times, equity)
    }
}
