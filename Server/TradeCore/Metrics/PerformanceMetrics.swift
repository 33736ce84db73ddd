#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Performance statistics of an equity curve and its round trips.
///
/// Conventions (stated once, used everywhere):
/// - Returns for Sharpe and Sortino are **daily**: equity at the last step of
///   each UTC day, the first day measured from the starting equity. Annualised
///   with √365 (crypto trades every day); risk-free rate 0. Sharpe uses the
///   sample standard deviation; Sortino the downside deviation
///   √(mean(min(r, 0)²)) over all days.
/// - CAGR over the span from the first bar's open to the last bar's close,
///   in years of 365.25 days. Calmar = CAGR / max drawdown.
/// - Max drawdown: the largest fall from a running peak, over every step, as a
///   fraction of the peak; its duration is the longest time spent below a
///   previous peak (to recovery, or to the end if it never recovered).
/// - Trade statistics are over closed round trips, net of fees.
public struct PerformanceMetrics: Sendable, Equatable, Codable {
    public var startEquity: Double
    public var finalEquity: Double
    public var totalReturn: Double
    public var cagr: Double
    public var sharpe: Double?
    public var sortino: Double?
    public var calmar: Double?
    public var maxDrawdown: Double
    public var maxDrawdownDurationDays: Double
    public var tradeCount: Int
    public var winRate: Double?
    public var profitFactor: Double?
    public var expectancy: Double?
    public var averageWin: Double?
    public var averageLoss: Double?
    public var exposure: Double
    public var feesPaid: Double
    public var days: Double

    public static let daysPerYear = 365.25
    public static let dayMs: Int64 = 86_400_000

    /// - Parameters:
    ///   - times: open time of each step; `equity` its equity at the step's close.
    ///   - barMs: length of one base bar (the span ends at the last bar's close).
    public static func compute(times: [Int64], equity: [Double], startEquity: Double, barMs: Int64,
                               roundTrips: [RoundTrip] = [], stepsInMarket: Int = 0,
                               feesPaid: Double = 0) -> PerformanceMetrics {
        precondition(times.count == equity.count, "one equity value per step")
        let final = equity.last ?? startEquity
        let spanMs = times.isEmpty ? 0 : times[times.count - 1] - times[0] + barMs
        let days = Double(spanMs) / Double(dayMs)
        let years = days / daysPerYear
        let growth = final / startEquity
        let cagr = years > 0 && growth > 0 ? pow(growth, 1 / years) - 1 : (growth <= 0 ? -1 : 0)

        let curve = statistics(times: times, equity: equity, startEquity: startEquity, barMs: barMs)
        let daily = curve.dailyReturns
        let (dd, ddDuration) = curve.drawdown

        let pnls = roundTrips.map { $0.netPnL.doubleValue }
        let wins = pnls.filter { $0 > 0 }
        let losses = pnls.filter { $0 <= 0 }
        let grossWin = wins.reduce(0, +)
        let grossLoss = -losses.reduce(0, +)

        return PerformanceMetrics(
            startEquity: startEquity, finalEquity: final, totalReturn: growth - 1, cagr: cagr,
            sharpe: sharpe(daily), sortino: sortino(daily),
            calmar: dd > 0 ? cagr / dd : nil,
            maxDrawdown: dd, maxDrawdownDurationDays: Double(ddDuration) / Double(dayMs),
            tradeCount: pnls.count,
            winRate: pnls.isEmpty ? nil : Double(wins.count) / Double(pnls.count),
            profitFactor: grossLoss > 0 ? grossWin / grossLoss : nil,
            expectancy: pnls.isEmpty ? nil : pnls.reduce(0, +) / Double(pnls.count),
            averageWin: wins.isEmpty ? nil : grossWin / Double(wins.count),
            averageLoss: losses.isEmpty ? nil : -grossLoss / Double(losses.count),
            exposure: times.isEmpty ? 0 : Double(stepsInMarket) / Double(times.count),
            feesPaid: feesPaid, days: days)
    }

    /// Returns from one UTC day's closing equity to the next.
    public static func dailyReturns(times: [Int64], equity: [Double], startEquity: Double) -> [Double] {
        statistics(times: times, equity: equity, startEquity: startEquity, barMs: 1).dailyReturns
    }

    /// The running statistics of a whole curve (the same code a hosted run keeps step by step).
    public static func statistics(times: [Int64], equity: [Double], startEquity: Double, barMs: Int64) -> EquityStatistics {
        var s = EquityStatistics(startEquity: startEquity, barMilliseconds: barMs)
        for (t, e) in zip(times, equity) { s.add(time: t, equity: e) }
        return s
    }

    public static func sharpe(_ r: [Double]) -> Double? {
        guard r.count >= 2 else { return nil }
        let mean = r.reduce(0, +) / Double(r.count)
        let variance = r.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(r.count - 1)
        guard variance > 0 else { return nil }
        return mean / variance.squareRoot() * 365.0.squareRoot()
    }

    public static func sortino(_ r: [Double]) -> Double? {
        guard r.count >= 2 else { return nil }
        let mean = r.reduce(0, +) / Double(r.count)
        let downside = (r.reduce(0) { $0 + min($1, 0) * min($1, 0) } / Double(r.count)).squareRoot()
        guard downside > 0 else { return nil }
        return mean / downside * 365.0.squareRoot()
    }

    /// (max drawdown fraction, longest time under water in ms).
    public static func drawdown(times: [Int64], equity: [Double], startEquity: Double, barMs: Int64) -> (Double, Int64) {
        let d = statistics(times: times, equity: equity, startEquity: startEquity, barMs: barMs).drawdown
        return (d.fraction, d.longestMs)
    }

    @inline(__always) static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}
