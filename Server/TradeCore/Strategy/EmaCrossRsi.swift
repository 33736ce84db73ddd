/// The reference strategy `ema_cross_rsi` (`../shared/reference/STRATEGY.md`),
/// an accounting oracle: five independent engines agree on its trade list.
///
/// d = EMA(fast) − EMA(slow) on close, both seeded with the first close.
/// From bar `warmupBars` on: when flat and d crosses up (d[t] > 0, d[t−1] ≤ 0)
/// with RSI < `rsiCeiling`, buy floor(notional / close × 1e8) / 1e8; when long
/// and d crosses down (d[t] < 0, d[t−1] ≥ 0), sell the whole position. Long only.
public struct EmaCrossRsi: Strategy, Codable {
    public struct Parameters: Sendable, Codable, Equatable {
        public var fastPeriod = 12
        public var slowPeriod = 26
        public var rsiPeriod = 14
        public var rsiCeiling = 70.0
        public var warmupBars = 500
        /// Quote notional per entry (USDT).
        public var notional = 1000.0
        public init() {}
    }

    /// Everything kept per symbol, in one place so a bar touches one array element.
    struct SymbolState: Codable {
        var fast: EMA
        var slow: EMA
        var rsi: RSI
        var previousD = 0.0
        var barsSeen = 0
    }

    public var name: String { "ema_cross_rsi" }
    public let timeframes: [Timeframe]
    public private(set) var parameters: Parameters
    private var state: [SymbolState]

    public init(symbolCount: Int, timeframe: Timeframe = .m1, parameters: Parameters = Parameters()) {
        self.timeframes = [timeframe]
        self.parameters = parameters
        state = Array(repeating: SymbolState(fast: EMA(period: parameters.fastPeriod, seeding: .firstValue),
                                             slow: EMA(period: parameters.slowPeriod, seeding: .firstValue),
                                             rsi: RSI(period: parameters.rsiPeriod, seeding: .zero)),
                      count: symbolCount)
    }

    /// Switches to `p` between two bars. A changed period replaces that
    /// indicator, in every symbol, with a fresh one seeded as at the start (EMA
    /// from the next close, RSI from zero), so it warms up again — its old
    /// state was built for another period and is not carried over. Indicators
    /// whose period is unchanged keep their state, as do the previous d and the
    /// bar count: `warmupBars` still counts from the first bar, not from the
    /// change (restarting it would also hold back exits, which share that
    /// gate), so the first d after a replaced EMA may cross at once.
    /// `rsiCeiling`, `warmupBars` and `notional` apply from the next bar.
    public mutating func adopt(_ p: Parameters) {
        let old = parameters
        parameters = p
        for i in state.indices {
            if p.fastPeriod != old.fastPeriod { state[i].fast = EMA(period: p.fastPeriod, seeding: .firstValue) }
            if p.slowPeriod != old.slowPeriod { state[i].slow = EMA(period: p.slowPeriod, seeding: .firstValue) }
            if p.rsiPeriod != old.rsiPeriod { state[i].rsi = RSI(period: p.rsiPeriod, seeding: .zero) }
        }
    }

    public mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        let close = bar.candle.close
        let (d, dPrev, index, rsi) = Self.step(&state[bar.symbol], close)
        guard index >= parameters.warmupBars, bar.workingOrders == 0 else { return }

        let position = bar.tradablePosition   // dust below one lot (a fee taken in coins) is flat
        if position.isZero {
            if d > 0 && dPrev <= 0 && rsi < parameters.rsiCeiling {
                // The reference's exact expression, evaluated left to right in Double.
                let lots = (parameters.notional / close * 1e8).rounded(.down)
                guard lots >= 1 else { return }
                orders.submit(OrderIntent(symbol: bar.symbol, side: .buy, quantity: Quantity(raw: Int64(lots)),
                                          reason: "ema_cross_up"))
            }
        } else if position.raw > 0 && d < 0 && dPrev >= 0 {
            orders.submit(OrderIntent(symbol: bar.symbol, side: .sell, quantity: position, reason: "ema_cross_down"))
        }
    }

    /// Updates one symbol's indicators; returns (d, previous d, bar index, RSI).
    private static func step(_ s: inout SymbolState, _ close: Double) -> (Double, Double, Int, Double) {
        s.fast.update(close)
        s.slow.update(close)
        s.rsi.update(close)
        let d = s.fast.value - s.slow.value
        let previous = s.previousD
        s.previousD = d
        let index = s.barsSeen
        s.barsSeen = index + 1
        return (d, previous, index, s.rsi.value)
    }
}
