/// The statistics of an equity curve that need its whole history — daily returns
/// (for Sharpe and Sortino), the deepest drawdown and the longest time under
/// water — kept step by step, so a hosted run can let go of old steps and still
/// report them. The array forms in `PerformanceMetrics` run through this same
/// code, so both give the same numbers.
public struct EquityStatistics: Sendable, Codable, Equatable {
    public let startEquity: Double
    public let barMilliseconds: Int64
    public private(set) var steps = 0

    /// Returns of the UTC days already closed; the current day's is added by `dailyReturns`.
    private var closedDayReturns: [Double] = []
    private var previousClose: Double
    private var day: Int64?
    private var dayClose = 0.0

    private var peak: Double
    private var peakTime: Int64 = 0
    private var worst = 0.0
    private var longest: Int64 = 0
    private var underwater = false
    private var lastTime: Int64 = 0

    public init(startEquity: Double, barMilliseconds: Int64) {
        self.startEquity = startEquity
        self.barMilliseconds = barMilliseconds
        previousClose = startEquity
        peak = startEquity
    }

    public mutating func add(time: Int64, equity: Double) {
        let d = UTC.day(time)
        if let day, d != day {
            closedDayReturns.append(Self.dayReturn(close: dayClose, previous: previousClose))
            previousClose = dayClose
        }
        day = d
        dayClose = equity

        if steps == 0 { peakTime = time }
        if equity >= peak {
            if underwater { longest = max(longest, time - peakTime) }
            underwater = false
            peak = equity
            peakTime = time
        } else {
            underwater = true
            worst = max(worst, (peak - equity) / peak)
        }
        lastTime = time
        steps += 1
    }

    /// One return per UTC day, from each day's closing equity to the next (the first from the start).
    public var dailyReturns: [Double] {
        day == nil ? closedDayReturns : closedDayReturns + [Self.dayReturn(close: dayClose, previous: previousClose)]
    }

    /// (max drawdown fraction, longest time under water in ms, counting a drawdown still open).
    public var drawdown: (fraction: Double, longestMs: Int64) {
        guard underwater, steps > 0 else { return (worst, longest) }
        return (worst, max(longest, lastTime + barMilliseconds - peakTime))
    }

    private static func dayReturn(close: Double, previous: Double) -> Double { previous != 0 ? close / previous - 1 : 0 }
}
