/// Everything that shapes one model: its families, scoring, thresholds, rule
/// parameters, stops and targets, risk budget and holding times. Each model has
/// its own set; `defaults(for:)` gives the documented defaults.
public struct ModelParameters: Sendable, Codable, Equatable {
    public var enabled = true
    public var families: FamilySet
    public var thresholds: RegimeThresholds
    /// Category weights per family, indexed by `SignalFamily.rawValue`.
    public var weights: [CategoryWeights] = SignalFamily.allCases.map(CategoryWeights.defaults)
    public var damping = CategoryScores.VolatilityDamping()
    public var momentumBurst = EntryRules.MomentumBurst()
    public var meanReversion = EntryRules.MeanReversion()
    public var trendFollowing = EntryRules.TrendFollowing()
    public var postureTrend = EntryRules.PostureTrend()
    /// Stop distance in ATRs of the model's regime timeframe.
    public var stopATR: Double
    /// Target distance as a multiple of the stop distance (trend and momentum
    /// families; mean reversion targets the Bollinger middle band instead).
    public var targetRewardRisk: Double
    public var budget: BudgetParameters
    /// Multiplies the regime time limits of `ExitParameters` (the defaults
    /// there are for the aggressive model's minutes-scale trades).
    public var holdingTimeScale: Double
    /// Balanced: the 1h score must have the 15m signal's sign and at least this size.
    public var agreementMinimum = 0.15
    /// Balanced: size × clamp(1 / volatility ratio, low, high).
    public var volatilityScaleLow = 0.5
    public var volatilityScaleHigh = 1.5

    public init(families: [SignalFamily], threshold: Double, stopATR: Double, targetRewardRisk: Double,
                budget: BudgetParameters, holdingTimeScale: Double) {
        self.families = FamilySet(families)
        self.thresholds = RegimeThresholds(base: threshold)
        self.stopATR = stopATR
        self.targetRewardRisk = targetRewardRisk
        self.budget = budget
        self.holdingTimeScale = holdingTimeScale
    }

    public static func defaults(for model: ModelID) -> ModelParameters {
        switch model {
        case .aggressive:
            return ModelParameters(
                families: [.momentumBurst, .meanReversion, .trendFollowing], threshold: 0.45,
                stopATR: 2, targetRewardRisk: 2.5,
                budget: BudgetParameters(dailyLossLimit: 700, maxTradesPerDay: 20, maxTradesPerWeek: nil,
                                         cooldownAfterLosses: 3, cooldownMinutes: 30),
                holdingTimeScale: 1)
        case .balanced:
            var p = ModelParameters(
                families: [.trendFollowing, .meanReversion], threshold: 0.40,
                stopATR: 1.5, targetRewardRisk: 3,
                budget: BudgetParameters(dailyLossLimit: 700, maxTradesPerDay: nil, maxTradesPerWeek: nil,
                                         cooldownAfterLosses: 5, cooldownMinutes: 60),
                holdingTimeScale: 4)
            p.meanReversion.rsiOversold = 30
            p.meanReversion.rsiOverbought = 70
            return p
        case .bigPicture:
            return ModelParameters(
                families: [.postureTrend], threshold: 0.35,
                stopATR: 2, targetRewardRisk: 3,
                budget: BudgetParameters(dailyLossLimit: 600, maxTradesPerDay: nil, maxTradesPerWeek: 2,
                                         cooldownAfterLosses: 0, cooldownMinutes: 0),
                holdingTimeScale: 48)
        }
    }

    @inline(__always) public func weights(_ f: SignalFamily) -> CategoryWeights { weights[f.rawValue] }
}

extension ModelID {
    /// The timeframe whose regime sets a model's entry threshold, time limit and
    /// regime-change exit, and whose ATR sets its stop.
    public var regimeTimeframe: Timeframe {
        switch self {
        case .aggressive: return .m5
        case .balanced: return .h1
        case .bigPicture: return .h4
        }
    }

    /// The timeframes the model reads.
    public var timeframes: [Timeframe] {
        switch self {
        case .aggressive: return [.m1, .m5]
        case .balanced: return [.m15, .h1]
        case .bigPicture: return [.h1, .h4, .d1]
        }
    }
}
