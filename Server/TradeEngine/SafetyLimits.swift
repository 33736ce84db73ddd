import TradeCore

/// The engine gate's pre-trade safety checks beyond validity and buying power, for
/// every order from every strategy and from the operator. Each is off until set;
/// a live run sets them (they are what stands between a strategy's bug and the
/// account). Checks that would stop a position from being reduced apply to orders
/// that open or grow one only — an exit is never blocked by a safety limit — except
/// the allow-list and the price band, which a mistyped exit must not pass either.
public struct SafetyLimits: Sendable, Equatable, Codable {
    /// Symbols orders may be sent for; nil = every symbol of the run.
    public var allowedSymbols: Set<String>?
    /// The most one order may be worth at the last close.
    public var maxOrderNotional: Money?
    /// The most a symbol's position (with its working orders) may be worth after an order.
    public var maxPositionNotional: Money?
    /// A limit or stop price further than this fraction from the last close is refused (fat finger).
    public var priceBand: Double?
    /// Orders that open or grow a position, at most this many in any 60 s of bar time.
    public var maxOrdersPerMinute: Int?
    /// Once equity is this far below its value at the start of the UTC day (bar time), orders
    /// that open or grow a position are refused until the next day.
    public var dailyLossLimit: Money?

    public init() {}

    public var isEmpty: Bool { self == SafetyLimits() }

    /// What the gate knows when it checks one order.
    struct Check {
        var symbol: String
        var notional: Double
        /// |position + working orders + this order| × last close.
        var positionNotional: Double
        var grows: Bool
        var limitPrice: Double?
        var lastClose: Double
        var ordersInLastMinute: Int
        var lossToday: Double
    }

    /// Why the order is refused, or nil.
    func refusal(_ c: Check) -> String? {
        if let allowed = allowedSymbols, !allowed.contains(c.symbol) {
            return "\(c.symbol) is not on the allow-list (\(allowed.sorted().joined(separator: ", ")))"
        }
        if let band = priceBand, let price = c.limitPrice, c.lastClose > 0, abs(price / c.lastClose - 1) > band {
            return "price \(price) is \(Self.percent(abs(price / c.lastClose - 1))) from the last close \(c.lastClose), beyond the \(Self.percent(band)) band"
        }
        guard c.grows else { return nil }
        if let cap = maxOrderNotional, c.notional > cap.doubleValue {
            return "order notional \(Int(c.notional)) exceeds the \(cap.formatted(digits: 0)) cap per order"
        }
        if let cap = maxPositionNotional, c.positionNotional > cap.doubleValue {
            return "\(c.symbol)'s position would be worth \(Int(c.positionNotional)), above the \(cap.formatted(digits: 0)) cap"
        }
        if let limit = maxOrdersPerMinute, c.ordersInLastMinute >= limit {
            return "order rate: \(c.ordersInLastMinute) orders in the last minute, the limit is \(limit)"
        }
        if let limit = dailyLossLimit, c.lossToday >= limit.doubleValue {
            return "daily loss \(Int(c.lossToday)) has reached the \(limit.formatted(digits: 0)) limit: no new exposure until the next UTC day"
        }
        return nil
    }

    private static func percent(_ x: Double) -> String { "\((x * 10_000).rounded() / 100) %" }
}

/// What the gate remembers for its safety checks: the times of recent growing orders
/// (at most the per-minute limit of them) and the equity the UTC day opened with.
struct SafetyState: Sendable, Equatable, Codable {
    var recentOrderTimes: [Int64] = []
    var day: Int64 = .min
    var dayStartEquity: Double = 0

    func ordersInMinute(before now: Int64) -> Int { recentOrderTimes.lazy.filter { now - $0 < 60_000 }.count }

    mutating func recordOrder(at time: Int64, keep: Int) {
        recentOrderTimes.removeAll { time - $0 >= 60_000 }
        recentOrderTimes.append(time)
        if recentOrderTimes.count > keep { recentOrderTimes.removeFirst(recentOrderTimes.count - keep) }
    }
}
