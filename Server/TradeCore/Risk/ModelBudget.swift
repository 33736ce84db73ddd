/// A model's own risk budget: daily loss limit, trade counts and the cooldown
/// after consecutive losses. All limits are parameters; the model defaults are
/// in `ModelParameters.defaults(for:)`.
public struct BudgetParameters: Sendable, Codable, Equatable {
    /// New entries stop for the rest of the UTC day once the day's realized net
    /// PnL plus the open positions' unrealized PnL reaches −this (USDT).
    public var dailyLossLimit: Double
    /// At most this many entries per UTC day (nil: no cap).
    public var maxTradesPerDay: Int?
    /// At most this many entries per UTC week, Monday 00:00 to Monday (nil: no cap).
    public var maxTradesPerWeek: Int?
    /// After this many consecutive losing trades, no entries for `cooldownMinutes` (0: never).
    public var cooldownAfterLosses: Int
    public var cooldownMinutes: Int

    public init(dailyLossLimit: Double, maxTradesPerDay: Int?, maxTradesPerWeek: Int?,
                cooldownAfterLosses: Int, cooldownMinutes: Int) {
        self.dailyLossLimit = dailyLossLimit
        self.maxTradesPerDay = maxTradesPerDay
        self.maxTradesPerWeek = maxTradesPerWeek
        self.cooldownAfterLosses = cooldownAfterLosses
        self.cooldownMinutes = cooldownMinutes
    }
}

/// UTC calendar arithmetic on Unix milliseconds (no calendar objects, no clock).
public enum UTC {
    public static let dayMs: Int64 = 86_400_000
    public static let weekMs: Int64 = 7 * dayMs

    /// Days since 1970-01-01 (UTC); resets happen when this changes.
    @inlinable public static func day(_ t: Int64) -> Int64 { floorDiv(t, dayMs) }
    /// Weeks starting Monday 00:00 UTC (1970-01-01 was a Thursday, so shift by 3 days).
    @inlinable public static func week(_ t: Int64) -> Int64 { floorDiv(t + 3 * dayMs, weekMs) }

    @inlinable public static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }
}

/// The state behind `BudgetParameters` for one model.
public struct ModelBudget: Sendable, Codable {
    public private(set) var parameters: BudgetParameters
    public private(set) var day: Int64 = .min
    /// Realized net PnL (after fees) of trades closed this UTC day.
    public private(set) var dayRealized = 0.0
    public private(set) var tradesToday = 0
    public private(set) var week: Int64 = .min
    public private(set) var tradesThisWeek = 0
    public private(set) var consecutiveLosses = 0
    /// No entries before this time (Unix ms).
    public private(set) var cooldownUntil: Int64 = .min

    public init(parameters: BudgetParameters) { self.parameters = parameters }

    /// New limits from now on; the day's and week's counts, the realized loss,
    /// the loss streak and a running cooldown (its end time) are kept.
    public mutating func adopt(_ p: BudgetParameters) { parameters = p }

    /// Moves the budget to `time`: a new UTC day resets the day's loss and
    /// count, a new UTC week the week's count.
    public mutating func roll(to time: Int64) {
        let d = UTC.day(time)
        if d != day {
            day = d
            dayRealized = 0
            tradesToday = 0
        }
        let w = UTC.week(time)
        if w != week {
            week = w
            tradesThisWeek = 0
        }
    }

    /// An entry was sent.
    public mutating func recordEntry(at time: Int64) {
        roll(to: time)
        tradesToday += 1
        tradesThisWeek += 1
    }

    /// A trade closed with net PnL `pnl` (USDT, after fees).
    public mutating func recordClose(at time: Int64, netPnL pnl: Double) {
        roll(to: time)
        dayRealized += pnl
        if pnl < 0 {
            consecutiveLosses += 1
            let n = parameters.cooldownAfterLosses
            if n > 0 && consecutiveLosses % n == 0 {
                cooldownUntil = time + Int64(parameters.cooldownMinutes) * 60_000
            }
        } else {
            consecutiveLosses = 0
        }
    }

    /// Why a new entry is not allowed at `time`, or nil. `unrealized` is the
    /// model's open positions' unrealized PnL at the marks (USDT).
    /// Numbers: daily loss as the loss so far vs the limit (USDT); cooldown as
    /// minutes left vs the cooldown length; counts vs caps.
    public func veto(at time: Int64, unrealized: Double) -> Verdict? {
        let sameDay = UTC.day(time) == day
        let loss = -((sameDay ? dayRealized : 0) + unrealized)
        if loss >= parameters.dailyLossLimit {
            return Verdict(.dailyLossLimit, value: loss, limit: parameters.dailyLossLimit)
        }
        if time < cooldownUntil {
            return Verdict(.cooldown, value: Double(cooldownUntil - time) / 60_000, limit: Double(parameters.cooldownMinutes))
        }
        if let cap = parameters.maxTradesPerDay, sameDay, tradesToday >= cap {
            return Verdict(.tradesPerDay, value: Double(tradesToday), limit: Double(cap))
        }
        if let cap = parameters.maxTradesPerWeek, UTC.week(time) == week, tradesThisWeek >= cap {
            return Verdict(.tradesPerWeek, value: Double(tradesThisWeek), limit: Double(cap))
        }
        return nil
    }
}
