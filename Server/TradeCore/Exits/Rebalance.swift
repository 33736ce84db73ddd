/// The portfolio-level exit: when net one-sided exposure (|Σ long − Σ short|
/// notional) exceeds `trigger` × equity, close positions of the dominant side,
/// worst unrealized PnL first (ties: lower-ranked model, then symbol), until it
/// no longer does. Whole positions are closed: a model's position is one trade.
public enum Rebalance {
    public struct Candidate: Sendable, Codable, Equatable {
        public var model: ModelID
        public var symbol: Int
        /// Signed notional at the mark (USDT).
        public var notional: Double
        public var unrealizedPnL: Double

        public init(model: ModelID, symbol: Int, notional: Double, unrealizedPnL: Double) {
            self.model = model
            self.symbol = symbol
            self.notional = notional
            self.unrealizedPnL = unrealizedPnL
        }
    }

    /// The positions to close. `netExposure` includes everything committed
    /// (pending entries too); `positions` are the closable ones (filled, no
    /// exit working), either side — only the dominant side's are chosen.
    public static func select(netExposure: Double, equity: Double, trigger: Double,
                              positions: [Candidate]) -> [Candidate] {
        let limit = trigger * equity
        guard equity > 0, abs(netExposure) > limit else { return [] }
        let dominant = netExposure > 0
        let ordered = positions.filter { ($0.notional > 0) == dominant && $0.notional != 0 }.sorted {
            ($0.unrealizedPnL, $0.model.rank, $0.symbol) < ($1.unrealizedPnL, $1.model.rank, $1.symbol)
        }
        var net = netExposure
        var out: [Candidate] = []
        for c in ordered where abs(net) > limit {
            out.append(c)
            net -= c.notional
        }
        return out
    }
}
