/// Monte Carlo validation of a backtest: how much of its result is the order
/// and the luck of its trades and days.
///
/// Three resamplings, each seeded (`SplitMix64`), so a report's numbers are
/// reproduced exactly from its command line:
/// - **shuffle**: the closed trades' net PnLs in a random order (same trades:
///   the final equity never changes; drawdowns do);
/// - **bootstrap**: as many trades drawn with replacement (final equity varies too);
/// - **block bootstrap** of daily returns: blocks of `blockDays` consecutive
///   days drawn with replacement until the run's length is filled (keeps the
///   days' autocorrelation within a block).
/// For each: the distribution of final equity, maximum drawdown (fraction of
/// the peak) and longest drawdown (trades or days below a previous peak),
/// percentiles 5/50/95, and the share of paths whose equity ever fell
/// `killSwitchLoss` below the start — the kill switch would have tripped.
public struct MonteCarlo: Sendable {
    public struct Distribution: Sendable, Equatable, Codable {
        public var p5: Double
        public var p50: Double
        public var p95: Double
        public var mean: Double
        /// Every path's value, sorted (for histograms and fan charts).
        public var sorted: [Double]

        public init(_ values: [Double]) {
            let s = values.sorted()
            sorted = s
            p5 = Self.percentile(s, 0.05)
            p50 = Self.percentile(s, 0.50)
            p95 = Self.percentile(s, 0.95)
            mean = s.isEmpty ? .nan : s.reduce(0, +) / Double(s.count)
        }

        /// Linear interpolation between closest ranks (numpy's default).
        public static func percentile(_ sorted: [Double], _ q: Double) -> Double {
            guard !sorted.isEmpty else { return .nan }
            let h = q * Double(sorted.count - 1)
            let lo = Int(h.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (h - Double(lo)) * (sorted[hi] - sorted[lo])
        }
    }

    /// Percentiles of the paths' equity after `step` trades or days (a fan chart's column).
    public struct FanPoint: Sendable, Equatable, Codable {
        public var step: Int
        public var p5: Double
        public var p25: Double
        public var p50: Double
        public var p75: Double
        public var p95: Double
    }

    public struct Outcome: Sendable, Equatable, Codable {
        public var method: String
        public var paths: Int
        public var finalEquity: Distribution
        public var maxDrawdown: Distribution
        /// In trades (shuffle, bootstrap) or days (block bootstrap).
        public var longestDrawdown: Distribution
        public var killSwitchProbability: Double
        /// Equity percentiles along the paths, at up to `fanColumns` evenly spaced
        /// steps from 0, over the first `fanPaths` paths (bounded memory for any N).
        public var fan: [FanPoint]
    }

    public static let fanColumns = 100
    public static let fanPaths = 2_000

    public var initialEquity: Double
    public var killSwitchLoss: Double
    public var paths: Int
    public var seed: UInt64

    public init(initialEquity: Double, killSwitchLoss: Double, paths: Int = 1_000, seed: UInt64 = 1) {
        precondition(paths >= 1)
        self.initialEquity = initialEquity
        self.killSwitchLoss = killSwitchLoss
        self.paths = paths
        self.seed = seed
    }

    /// Random orders of the same trades.
    public func shuffle(trades: [Double]) -> Outcome {
        var rng = SplitMix64(seed: seed)
        var order = trades
        return outcome("shuffle", steps: trades.count) { trace in
            for i in stride(from: order.count - 1, to: 0, by: -1) { order.swapAt(i, Int(rng.next() % UInt64(i + 1))) }
            return walk(pnl: order, trace: &trace)
        }
    }

    /// As many trades, drawn with replacement.
    public func bootstrap(trades: [Double]) -> Outcome {
        var rng = SplitMix64(seed: seed &+ 1)
        var draw = trades
        return outcome("bootstrap", steps: trades.count) { trace in
            for i in draw.indices { draw[i] = trades[Int(rng.next() % UInt64(trades.count))] }
            return walk(pnl: draw, trace: &trace)
        }
    }

    /// Blocks of consecutive daily returns, drawn with replacement, to the run's number of days.
    public func blockBootstrap(dailyReturns r: [Double], blockDays: Int = 5) -> Outcome {
        precondition(blockDays >= 1)
        var rng = SplitMix64(seed: seed &+ 2)
        let b = min(blockDays, max(1, r.count))
        var path: [Double] = []
        path.reserveCapacity(r.count)
        return outcome("block_bootstrap", steps: r.count) { trace in
            path.removeAll(keepingCapacity: true)
            while path.count < r.count {
                let start = Int(rng.next() % UInt64(r.count - b + 1))
                path.append(contentsOf: r[start..<min(start + b, start + r.count - path.count)])
            }
            return walk(returns: path, trace: &trace)
        }
    }

    /// Where a path's equity is kept for the fan chart: after each step of
    /// `steps` (ascending; step 0 is the start).
    struct Trace {
        let steps: [Int]
        var equity: [Double] = []
        var next = 0

        init(pathLength n: Int) {
            let columns = min(MonteCarlo.fanColumns, n)
            steps = [0] + (columns > 0 ? (1...columns).map { $0 * n / columns } : [])
        }

        mutating func reset() { equity.removeAll(keepingCapacity: true); next = 0 }

        /// Called with the equity after `step` steps, for every step in order.
        mutating func observe(step: Int, equity value: Double) {
            while next < steps.count, steps[next] == step { equity.append(value); next += 1 }
        }
    }

    private func outcome(_ method: String, steps: Int,
                         _ path: (inout Trace) -> (final: Double, drawdown: Double, longest: Int, killed: Bool)) -> Outcome {
        var finals: [Double] = [], drawdowns: [Double] = [], longest: [Double] = []
        var killed = 0
        var trace = Trace(pathLength: steps)
        var columns = [[Double]](repeating: [], count: trace.steps.count)
        for k in 0..<paths {
            trace.reset()
            let p = path(&trace)
            finals.append(p.final)
            drawdowns.append(p.drawdown)
            longest.append(Double(p.longest))
            if p.killed { killed += 1 }
            if k < Self.fanPaths { for (c, e) in trace.equity.enumerated() { columns[c].append(e) } }
        }
        let fan = zip(trace.steps, columns).map { step, values -> FanPoint in
            let s = values.sorted()
            func q(_ x: Double) -> Double { Distribution.percentile(s, x) }
            return FanPoint(step: step, p5: q(0.05), p25: q(0.25), p50: q(0.5), p75: q(0.75), p95: q(0.95))
        }
        return Outcome(method: method, paths: paths, finalEquity: Distribution(finals), maxDrawdown: Distribution(drawdowns),
                       longestDrawdown: Distribution(longest), killSwitchProbability: Double(killed) / Double(paths), fan: fan)
    }

    /// Equity through a sequence of PnLs (USDT).
    func walk(pnl: [Double], trace: inout Trace) -> (final: Double, drawdown: Double, longest: Int, killed: Bool) {
        var equity = initialEquity
        var tracker = DrawdownTracker(start: equity, killLevel: initialEquity - killSwitchLoss)
        trace.observe(step: 0, equity: equity)
        for (i, x) in pnl.enumerated() {
            equity += x
            tracker.observe(equity)
            trace.observe(step: i + 1, equity: equity)
        }
        return (equity, tracker.maxDrawdown, tracker.longest, tracker.killed)
    }

    /// Equity through a sequence of simple returns.
    func walk(returns: [Double], trace: inout Trace) -> (final: Double, drawdown: Double, longest: Int, killed: Bool) {
        var equity = initialEquity
        var tracker = DrawdownTracker(start: equity, killLevel: initialEquity - killSwitchLoss)
        trace.observe(step: 0, equity: equity)
        for (i, r) in returns.enumerated() {
            equity *= 1 + r
            tracker.observe(equity)
            trace.observe(step: i + 1, equity: equity)
        }
        return (equity, tracker.maxDrawdown, tracker.longest, tracker.killed)
    }
}

/// Peak, deepest fall from it, the longest stretch below it, and whether a level was touched.
struct DrawdownTracker {
    var peak: Double
    var maxDrawdown = 0.0
    var longest = 0
    var current = 0
    let killLevel: Double
    var killed = false

    init(start: Double, killLevel: Double) {
        peak = start
        self.killLevel = killLevel
    }

    mutating func observe(_ equity: Double) {
        if equity >= peak {
            peak = equity
            current = 0
        } else {
            current += 1
            longest = max(longest, current)
            maxDrawdown = max(maxDrawdown, (peak - equity) / peak)
        }
        if equity <= killLevel { killed = true }
    }
}
