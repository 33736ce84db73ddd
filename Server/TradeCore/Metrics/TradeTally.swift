/// A model's closed round trips summed as they close: count, wins, profit and
/// loss, gross PnL and fees exactly, and the deepest drawdown of its cumulative
/// net PnL from the run's starting equity — what its performance record needs,
/// without keeping every trade.
public struct TradeTally: Sendable, Codable, Equatable {
    public private(set) var count = 0
    public private(set) var wins = 0
    /// Sum of winning and (as a positive number) of losing net PnL.
    public private(set) var profit = 0.0
    public private(set) var loss = 0.0
    public private(set) var net = 0.0
    public private(set) var gross = Money.zero
    public private(set) var fees = Money.zero
    private var equity: Double
    private var peak: Double
    public private(set) var maxDrawdown = 0.0

    public init(startEquity: Double) {
        equity = startEquity
        peak = startEquity
    }

    public mutating func add(gross: Money, fees: Money) {
        let n = (gross - fees).doubleValue
        count += 1
        if n > 0 { wins += 1; profit += n } else if n < 0 { loss -= n }
        net += n
        self.gross += gross
        self.fees += fees
        equity += n
        peak = max(peak, equity)
        maxDrawdown = max(maxDrawdown, peak > 0 ? (peak - equity) / peak : 0)
    }

    public var winRate: Double { count == 0 ? 0 : Double(wins) / Double(count) }
    /// 0 while nothing was lost.
    public var profitFactor: Double { loss > 0 ? profit / loss : 0 }
    public var expectancy: Double { count == 0 ? 0 : net / Double(count) }
}
