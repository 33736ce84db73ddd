/// How the risk engine sizes an entry.
public struct SizingParameters: Sendable, Codable, Equatable {
    /// Below this many closed trades a model explores: fixed `explorationRisk`.
    public var explorationTrades = 30
    /// Fraction of equity at risk per trade while exploring.
    public var explorationRisk = 0.005
    /// Share of the full Kelly fraction used once the model has a record.
    public var kellyFraction = 0.25
    /// The expectancy window (trades) that Kelly and the expectancy gate read.
    public var kellyWindow = 100
    /// Never more than this fraction of equity at risk per trade.
    public var maxRiskPerTrade = 0.02
    /// Risk multipliers by the signal's regime.
    public var trendMultiplier = 1.3
    public var rangeMultiplier = 0.8
    public var chopMultiplier = 0.4
    public var volatileMultiplier = 0.3
    /// Volatility penalty: × max(floor, 1 − slope·(ratio − 1)) when the
    /// volatility ratio is above 1.
    public var volatilityPenaltySlope = 0.5
    public var volatilityPenaltyFloor = 0.25
    /// Reward:risk below this means no entry.
    public var minRewardRisk = 2.0
    /// When true, reward and risk are net of the round-trip cost: (target − cost) / (stop + cost).
    public var rewardRiskIncludesCosts = true

    public init() {}

    public func regimeMultiplier(_ r: RegimeLabel) -> Double {
        switch r {
        case .trendUp, .trendDown: return trendMultiplier
        case .range: return rangeMultiplier
        case .chop: return chopMultiplier
        case .volatile: return volatileMultiplier
        }
    }
}

/// The size of one entry before portfolio limits, with every factor recorded.
public struct SizingResult: Sendable, Codable, Equatable {
    public enum Basis: UInt8, Sendable, Codable { case exploration, kelly }
    public var basis: Basis
    /// Full Kelly f of the model's window (NaN while exploring).
    public var kelly: Double
    /// exploration risk, or kellyFraction × f.
    public var baseRisk: Double
    public var regimeMultiplier: Double
    public var volatilityMultiplier: Double
    public var sizeScale: Double
    /// The final fraction of equity at risk (after the 2 % cap).
    public var riskFraction: Double
    public var rewardRisk: Double
    /// Base-asset quantity (before rounding to the lot).
    public var quantity: Double
    /// Set when the entry must not happen.
    public var veto: Verdict?
}

/// Sizing: exploration risk below `explorationTrades` closed trades, then
/// fractional Kelly from the model's own trades; zero when the expectancy is
/// not positive; × regime multiplier × volatility penalty × the model's size
/// scale; capped at `maxRiskPerTrade`; no entry below `minRewardRisk`.
/// Quantity = equity × risk fraction / (stop distance + round-trip cost per unit).
public enum PositionSizer {
    public static func size(equity: Double, price: Double, stopDistance: Double, targetDistance: Double,
                            costPerUnit: Double, closedTrades: Int, stats: TradeStats, regime: RegimeLabel,
                            volatilityRatio: Double, sizeScale: Double,
                            parameters p: SizingParameters) -> SizingResult {
        let reward = p.rewardRiskIncludesCosts ? targetDistance - costPerUnit : targetDistance
        let risk = p.rewardRiskIncludesCosts ? stopDistance + costPerUnit : stopDistance
        let rewardRisk = risk > 0 ? reward / risk : 0
        var r = SizingResult(basis: .exploration, kelly: .nan, baseRisk: p.explorationRisk,
                             regimeMultiplier: p.regimeMultiplier(regime), volatilityMultiplier: 1,
                             sizeScale: sizeScale, riskFraction: 0, rewardRisk: rewardRisk, quantity: 0, veto: nil)
        if closedTrades >= p.explorationTrades {
            r.basis = .kelly
            r.kelly = stats.kellyFraction
            if stats.expectancy <= 0 {
                r.veto = Verdict(.expectancyNonPositive, value: stats.expectancy, limit: 0)
                return r
            }
            r.baseRisk = max(0, p.kellyFraction * r.kelly)
        }
        if rewardRisk < p.minRewardRisk || !(rewardRisk.isFinite) {
            r.veto = Verdict(.rewardRisk, value: rewardRisk, limit: p.minRewardRisk)
            return r
        }
        if volatilityRatio > 1 {
            r.volatilityMultiplier = max(p.volatilityPenaltyFloor, 1 - p.volatilityPenaltySlope * (volatilityRatio - 1))
        }
        r.riskFraction = min(r.baseRisk * r.regimeMultiplier * r.volatilityMultiplier * sizeScale, p.maxRiskPerTrade)
        guard r.riskFraction > 0, equity > 0, price > 0 else {
            r.veto = Verdict(.belowMinimumSize, value: r.riskFraction, limit: 0)
            return r
        }
        r.quantity = equity * r.riskFraction / risk
        return r
    }
}
