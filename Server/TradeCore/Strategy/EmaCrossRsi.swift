/// The reference strategy `ema_cross_rsi` (`../shared/reference/STRATEGY.md`),
/// an accounting oracle: five independent engines agree on its trade list.
///
/// d = EMA(fast) − EMA(slow) on close, both seeded with the first close.
/// From bar `warmupBars` on: when flat and d crosses up (d[t] > 0, d[t−1] ≤ 0)
/// with RSI < `rsiCeiling`, buy floor(notional / close × 1e8) / 1e8; when long
/// and d crosses down (d[t] < 0, d[t−1] ≥ 0), sell the whole position. Long only.
public struct EmaCrossRsi: Strategy {
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

    public let name = "ema_cross_rsi"
    public let timeframes: [Timeframe]
    public let parameters: Parameters

    private var fast: [EMA]
    private var slow: [EMA]
    private var rsi: [RSI]
    private var previousD: [Double]
    private var barsSeen: [Int]

    public init(symbolCount: Int, timeframe: Timeframe = .m1, parameters: Parameters = Parameters()) {
        self.timeframes = [timeframe]
        self.parameters = parameters
        fast = Array(repeating: EMA(period: parameters.fastPeriod, seeding: .firstValue), count: symbolCount)
        slow = Array(repeating: EMA(period: parameters.slowPeriod, seeding: .firstValue), count: symbolCount)
        rsi = Array(repeating: RSI(period: parameters.rsiPeriod, seeding: .zero), count: symbolCount)
        previousD = Array(repeating: 0, count: symbolCount)
        barsSeen = Array(repeating: 0, count: symbolCount)
    }

    public mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        let s = bar.symbol
        let close = bar.candle.close
        fast[s].update(close)
        slow[s].update(close)
        rsi[s].update(close)
        let d = fast[s].value - slow[s].value
        let dPrev = previousD[s]
        previousD[s] = d
        let index = barsSeen[s]
        barsSeen[s] = index + 1
        guard index >= parameters.warmupBars, bar.workingOrders == 0 else { return }

        if bar.position.isZero {
            if d > 0 && dPrev <= 0 && rsi[s].value < parameters.rsiCeiling {
                // The reference's exact expression, evaluated left to right in Double.
                let lots = (parameters.notional / close * 1e8).rounded(.down)
                guard lots >= 1 else { return }
                orders.submit(OrderIntent(symbol: s, side: .buy, quantity: Quantity(raw: Int64(lots)),
                                          reason: "ema_cross_up rsi=\(rsi[s].value)"))
            }
        } else if bar.position.raw > 0 && d < 0 && dPrev >= 0 {
            orders.submit(OrderIntent(symbol: s, side: .sell, quantity: bar.position, reason: "ema_cross_down"))
        }
    }
}
