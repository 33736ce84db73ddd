/// The indicator categories an entry score is built from, each read from one
/// timeframe's `FeatureSnapshot` at a bar's close.
///
/// The four directional categories lie in [−1, 1], positive = bullish:
/// - **trend**: EMA(20) − EMA(50) in units of 2 ATR, scaled by trend strength
///   min(1, ADX / 25): aligned averages in a strong trend read ±1.
/// - **momentum**: half the 10-bar move (ROC) in units of 3 ATR, half RSI's
///   distance from 50 in units of 25.
/// - **meanReversion**: positive when price is stretched *down* (expect a move
///   up): 0.6·(−z / 2.5) + 0.4·(−(RSI − 50) / 30), each clamped.
/// - **volume**: the bar's direction (close against open) times how unusual its
///   volume is, (volume ratio − 1) / 2 clamped — volume confirms the move it
///   carries.
///
/// **volatility** is not directional, so it does not add to the sum: it is a
/// damping factor in [floor, 1] that multiplies it — 1 at or below normal
/// volatility (ratio ≤ 1), then falling by `slope` per unit of ratio above 1.
/// A signal in a volatility burst needs a stronger directional case.
public struct CategoryScores: Sendable, Codable, Equatable {
    public var trend: Double
    public var momentum: Double
    public var meanReversion: Double
    public var volume: Double
    public var volatility: Double

    public init(trend: Double, momentum: Double, meanReversion: Double, volume: Double, volatility: Double) {
        self.trend = trend
        self.momentum = momentum
        self.meanReversion = meanReversion
        self.volume = volume
        self.volatility = volatility
    }

    public static let zero = CategoryScores(trend: 0, momentum: 0, meanReversion: 0, volume: 0, volatility: 1)

    /// Damping of the volatility category: 1 − slope·(ratio − 1) above ratio 1, never below `floor`.
    public struct VolatilityDamping: Sendable, Codable, Equatable {
        public var slope = 0.5
        public var floor = 0.3
        public init() {}
    }

    /// Categories of one snapshot; `open` is the bar's open (for the volume category's direction).
    /// Warm-up NaNs read as 0 (no opinion), so a cold snapshot scores 0.
    public static func of(_ f: FeatureSnapshot, open: Double, damping: VolatilityDamping = VolatilityDamping()) -> CategoryScores {
        let atr = f.atr > 0 ? f.atr : .nan
        let spread = (f.emaFast - f.emaSlow) / (2 * atr)
        let strength = min(1, f.adx / 25)
        let trend = clamp(spread) * finite(strength)
        let move = (f.roc / 100) * f.close / (3 * atr)
        let momentum = 0.5 * clamp(move) + 0.5 * clamp((f.rsi - 50) / 25)
        let meanReversion = 0.6 * clamp(-f.zScore / 2.5) + 0.4 * clamp(-(f.rsi - 50) / 30)
        let barDirection: Double = f.close > open ? 1 : (f.close < open ? -1 : 0)
        let volume = barDirection * clamp((f.volumeRatio - 1) / 2)
        var volatility = 1.0
        if f.volatilityRatio > 1 {
            volatility = max(damping.floor, 1 - damping.slope * (f.volatilityRatio - 1))
        }
        return CategoryScores(trend: trend, momentum: momentum, meanReversion: meanReversion,
                              volume: volume, volatility: volatility)
    }

    /// Clamp to [−1, 1]; NaN (warm-up) reads as 0.
    @inline(__always) static func clamp(_ x: Double) -> Double {
        x.isNaN ? 0 : min(max(x, -1), 1)
    }

    @inline(__always) static func finite(_ x: Double) -> Double { x.isNaN ? 0 : x }
}

/// How a family weighs the directional categories. The score is the weighted
/// mean, Σ wᵢ·sᵢ / Σ |wᵢ|, so it stays in [−1, 1], times the volatility damping.
public struct CategoryWeights: Sendable, Codable, Equatable {
    public var trend: Double
    public var momentum: Double
    public var meanReversion: Double
    public var volume: Double

    public init(trend: Double, momentum: Double, meanReversion: Double, volume: Double) {
        self.trend = trend
        self.momentum = momentum
        self.meanReversion = meanReversion
        self.volume = volume
    }

    /// Defaults by family, chosen by what each family's thesis is about:
    /// a burst is momentum carried by volume; mean reversion is the stretch
    /// (with a little trend, so fading a strong trend scores lower); trend
    /// following is trend confirmed by momentum.
    public static func defaults(_ family: SignalFamily) -> CategoryWeights {
        switch family {
        case .momentumBurst: return CategoryWeights(trend: 0.2, momentum: 0.5, meanReversion: 0, volume: 0.3)
        case .meanReversion: return CategoryWeights(trend: 0.15, momentum: 0, meanReversion: 0.85, volume: 0)
        case .trendFollowing: return CategoryWeights(trend: 0.55, momentum: 0.3, meanReversion: 0, volume: 0.15)
        case .postureTrend: return CategoryWeights(trend: 0.6, momentum: 0.3, meanReversion: 0, volume: 0.1)
        }
    }

    /// The score in [−1, 1].
    public func score(_ c: CategoryScores) -> Double {
        let total = abs(trend) + abs(momentum) + abs(meanReversion) + abs(volume)
        guard total > 0 else { return 0 }
        let sum = trend * c.trend + momentum * c.momentum + meanReversion * c.meanReversion + volume * c.volume
        return CategoryScores.clamp(sum / total) * c.volatility
    }
}

/// The entry threshold on |score|, by regime: a base plus an additive
/// adjustment per regime — stricter in RANGE and CHOP (and VOLATILE), looser in
/// strong trends. Clamped to [0, 1].
public struct RegimeThresholds: Sendable, Codable, Equatable {
    public var base: Double
    public var trend = -0.05
    public var range = 0.10
    public var chop = 0.15
    public var volatile = 0.20

    public init(base: Double) { self.base = base }

    public func threshold(_ regime: RegimeLabel) -> Double {
        let adjustment: Double
        switch regime {
        case .trendUp, .trendDown: adjustment = trend
        case .range: adjustment = range
        case .chop: adjustment = chop
        case .volatile: adjustment = volatile
        }
        return min(max(base + adjustment, 0), 1)
    }
}
