/// Win rate, payoff and expectancy of a model's closed trades over a window.
public struct TradeStats: Sendable, Codable, Equatable {
    /// Trades in the window (≤ the window length).
    public var sampleSize: Int
    public var winRate: Double
    /// Average win / average loss (magnitudes); nil when there was no loss.
    public var payoffRatio: Double?
    /// Mean net PnL per trade (USDT).
    public var expectancy: Double
    public var averageWin: Double
    public var averageLoss: Double

    public static let empty = TradeStats(sampleSize: 0, winRate: 0, payoffRatio: nil, expectancy: 0,
                                         averageWin: 0, averageLoss: 0)

    /// Kelly fraction f = (p·b − q) / b; with no losses yet (b unbounded) f = p.
    public var kellyFraction: Double {
        guard sampleSize > 0 else { return 0 }
        let p = winRate, q = 1 - winRate
        guard let b = payoffRatio, b > 0 else { return p }
        return (p * b - q) / b
    }
}

/// The expectancy engine of one model: its closed trades' net PnL (after
/// fees), kept for the longest window (500), and statistics over rolling
/// windows of the last 30, 100 and 500 trades. A win is a trade with net PnL > 0.
public struct ExpectancyEngine: Sendable, Codable {
    public static let windows = [30, 100, 500]

    private var pnl: RingBuffer
    /// Every closed trade ever recorded (not just those kept).
    public private(set) var totalTrades = 0

    public init(capacity: Int = 500) { pnl = RingBuffer(capacity: capacity) }

    public mutating func record(netPnL: Double) {
        pnl.push(netPnL)
        totalTrades += 1
    }

    /// Statistics over the last `window` trades (fewer if fewer were closed).
    public func stats(window: Int) -> TradeStats {
        let n = min(window, pnl.count)
        guard n > 0 else { return .empty }
        var wins = 0, winSum = 0.0, lossSum = 0.0, total = 0.0
        for age in (pnl.count - n)..<pnl.count {
            let x = pnl[age]
            total += x
            if x > 0 { wins += 1; winSum += x } else { lossSum -= x }
        }
        let losses = n - wins
        let averageWin = wins > 0 ? winSum / Double(wins) : 0
        let averageLoss = losses > 0 ? lossSum / Double(losses) : 0
        return TradeStats(sampleSize: n, winRate: Double(wins) / Double(n),
                          payoffRatio: losses > 0 && averageLoss > 0 ? averageWin / averageLoss : nil,
                          expectancy: total / Double(n), averageWin: averageWin, averageLoss: averageLoss)
    }
}
