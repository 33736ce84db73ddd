/// The explicit rule validators: the second layer of every entry. A score
/// alone never opens a position; the family's rule must hold too, and the
/// two must agree on the direction.
///
/// All rules read closed bars only and are pure functions of their inputs.
public enum EntryRules {
    /// Momentum burst: unusual volume carrying a fast move — follow it.
    /// Long when volume ratio ≥ `minVolumeRatio` and ROC(10) ≥ `minROCPercent`;
    /// short on the mirror. Not against a trending context timeframe.
    public struct MomentumBurst: Sendable, Codable, Equatable {
        public var minVolumeRatio = 2.5
        public var minROCPercent = 0.25
        /// A position's thesis is broken once ROC runs this far against it.
        public var invalidationROCPercent = 0.125
        public init() {}

        public func validate(_ f: FeatureSnapshot, context: RegimeLabel?) -> Direction? {
            guard f.volumeRatio >= minVolumeRatio, abs(f.roc) >= minROCPercent else { return nil }
            let d: Direction = f.roc > 0 ? .long : .short
            return EntryRules.against(d, context) ? nil : d
        }
    }

    /// Mean reversion: price stretched beyond its Bollinger band with RSI and
    /// z-score extreme — fade it. Long when close ≤ lower band, RSI ≤
    /// `rsiOversold` and z ≤ −`minZScore`; short on the mirror. Not against a
    /// trending context timeframe (fading a real trend is how this family dies).
    public struct MeanReversion: Sendable, Codable, Equatable {
        public var rsiOversold = 25.0
        public var rsiOverbought = 75.0
        public var minZScore = 2.0
        public init() {}

        public func validate(_ f: FeatureSnapshot, context: RegimeLabel?) -> Direction? {
            let d: Direction
            if f.close <= f.bollingerLower && f.rsi <= rsiOversold && f.zScore <= -minZScore {
                d = .long
            } else if f.close >= f.bollingerUpper && f.rsi >= rsiOverbought && f.zScore >= minZScore {
                d = .short
            } else {
                return nil
            }
            return EntryRules.against(d, context) ? nil : d
        }

        /// The thesis of a position opened on this rule no longer holds: a long
        /// whose RSI has turned overbought (or a short turned oversold).
        public func invalidates(_ d: Direction, _ f: FeatureSnapshot) -> Bool {
            d == .long ? f.rsi >= rsiOverbought : f.rsi <= rsiOversold
        }
    }

    /// Trend following: a strong, aligned trend (ADX ≥ `minADX`, EMA(20) beyond
    /// EMA(50) in the trend's direction, the dominant DI agreeing) that price
    /// resumes after a pullback — the bar closes back beyond EMA(20) after the
    /// previous bar closed on the other side. The cross makes it an event, not a
    /// state that would re-fire on every bar of a trend.
    public struct TrendFollowing: Sendable, Codable, Equatable {
        public var minADX = 25.0
        public init() {}

        public func validate(_ f: FeatureSnapshot, previous p: FeatureSnapshot) -> Direction? {
            guard f.adx >= minADX else { return nil }
            if f.emaFast > f.emaSlow && f.plusDI > f.minusDI && f.close > f.emaFast && p.close <= p.emaFast {
                return .long
            }
            if f.emaFast < f.emaSlow && f.minusDI > f.plusDI && f.close < f.emaFast && p.close >= p.emaFast {
                return .short
            }
            return nil
        }

        /// The trend the position rode has lost its alignment.
        public func invalidates(_ d: Direction, _ f: FeatureSnapshot) -> Bool {
            d == .long ? f.emaFast < f.emaSlow : f.emaFast > f.emaSlow
        }
    }

    /// The big-picture trade: the posture says risk-on (risk-off) and the
    /// timeframe trends that way — EMA(20) beyond EMA(50), close beyond EMA(20),
    /// ADX ≥ `minADX`.
    public struct PostureTrend: Sendable, Codable, Equatable {
        public var minADX = 20.0
        public init() {}

        public func validate(_ f: FeatureSnapshot, posture: Posture) -> Direction? {
            guard f.adx >= minADX else { return nil }
            if posture == .riskOn && f.emaFast > f.emaSlow && f.close > f.emaFast { return .long }
            if posture == .riskOff && f.emaFast < f.emaSlow && f.close < f.emaFast { return .short }
            return nil
        }
    }

    /// True when a context regime trends against `d`.
    @inline(__always) static func against(_ d: Direction, _ context: RegimeLabel?) -> Bool {
        guard let context else { return false }
        return (d == .long && context == .trendDown) || (d == .short && context == .trendUp)
    }
}

extension EntryRules.MomentumBurst {
    /// The burst has reversed: the 10-bar move now runs against the position
    /// by at least `invalidationROCPercent`.
    public func invalidates(_ d: Direction, _ f: FeatureSnapshot) -> Bool {
        d == .long ? f.roc <= -invalidationROCPercent : f.roc >= invalidationROCPercent
    }
}
