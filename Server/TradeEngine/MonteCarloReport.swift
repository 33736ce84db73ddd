import TradeCore

/// The Monte Carlo section of a backtest report (`backtest --monte-carlo N`):
/// the closed trades shuffled and bootstrapped, the daily returns block-bootstrapped.
public struct MonteCarloReport: Codable, Sendable {
    public var paths: Int
    public var seed: UInt64
    public var blockDays: Int
    public var killSwitchLoss: Double
    public var trades: Int
    public var days: Int
    public var outcomes: [MonteCarlo.Outcome]

    public init(tradePnL: [Double], dailyReturns: [Double], initialEquity: Double, killSwitchLoss: Double,
                paths: Int, seed: UInt64, blockDays: Int) {
        let mc = MonteCarlo(initialEquity: initialEquity, killSwitchLoss: killSwitchLoss, paths: paths, seed: seed)
        self.paths = paths
        self.seed = seed
        self.blockDays = blockDays
        self.killSwitchLoss = killSwitchLoss
        trades = tradePnL.count
        days = dailyReturns.count
        var out: [MonteCarlo.Outcome] = []
        if !tradePnL.isEmpty { out += [mc.shuffle(trades: tradePnL), mc.bootstrap(trades: tradePnL)] }
        if !dailyReturns.isEmpty { out.append(mc.blockBootstrap(dailyReturns: dailyReturns, blockDays: blockDays)) }
        outcomes = out
    }
}

extension BacktestReport {
    /// Adds the Monte Carlo section, from the run's round trips and daily returns.
    public mutating func addMonteCarlo(result: BacktestResult, initialEquity: Double, killSwitchLoss: Double,
                                       paths: Int, seed: UInt64, blockDays: Int) {
        let trips = RoundTripBuilder.build(fills: result.fills, symbolCount: result.instruments.count, lots: result.instruments.map(\.lotSize)).closed
        let curve = result.equityCurve
        let daily = PerformanceMetrics.dailyReturns(times: curve.times, equity: curve.equity, startEquity: initialEquity)
        monteCarlo = MonteCarloReport(tradePnL: trips.map(\.netPnL.doubleValue), dailyReturns: daily, initialEquity: initialEquity,
                                      killSwitchLoss: killSwitchLoss, paths: paths, seed: seed, blockDays: blockDays)
    }
}
