/// The indicator values a signal was decided on — its machine-readable reasons.
/// Fixed fields, no strings: a signal is built on the hot path.
public struct SignalReasons: Sendable, Codable, Equatable {
    /// Values of the signal's own timeframe.
    public var close = Double.nan
    public var rsi = Double.nan
    public var zScore = Double.nan
    public var adx = Double.nan
    public var rocPercent = Double.nan
    public var volumeRatio = Double.nan
    public var volatilityRatio = Double.nan
    public var emaFast = Double.nan
    public var emaSlow = Double.nan
    public var bollingerLower = Double.nan
    public var bollingerUpper = Double.nan
    public var atr = Double.nan
    /// The confirming timeframe's family score (balanced: 1h; aggressive: 5m trend), NaN if none.
    public var contextScore = Double.nan
    /// The big-picture posture score of the symbol at the signal (−1 … 1).
    public var postureScore = Double.nan

    public init() {}

    public init(_ f: FeatureSnapshot) {
        close = f.close
        rsi = f.rsi
        zScore = f.zScore
        adx = f.adx
        rocPercent = f.roc
        volumeRatio = f.volumeRatio
        volatilityRatio = f.volatilityRatio
        emaFast = f.emaFast
        emaSlow = f.emaSlow
        bollingerLower = f.bollingerLower
        bollingerUpper = f.bollingerUpper
        atr = f.atr
    }

    /// `name=value` pairs, in a fixed order, for logs and CSV files.
    public var pairs: [(String, Double)] {
        [("close", close), ("rsi", rsi), ("z", zScore), ("adx", adx), ("roc_pct", rocPercent),
         ("volume_ratio", volumeRatio), ("volatility_ratio", volatilityRatio), ("ema_fast", emaFast),
         ("ema_slow", emaSlow), ("bb_lower", bollingerLower), ("bb_upper", bollingerUpper), ("atr", atr),
         ("context_score", contextScore), ("posture_score", postureScore)]
    }
}

/// What a model proposes: a direction, a confidence and why.
///
/// An entry signal exists only when both layers agree: the probabilistic score
/// (`score`, from the indicator categories) clears the regime's threshold *and*
/// the family's explicit rule validated it. The resolver and the risk engine
/// then decide what becomes of it.
public struct Signal: Sendable, Codable, Equatable {
    public var time: Int64
    public var symbol: Int
    public var model: ModelID
    public var family: SignalFamily
    /// The timeframe whose close produced the signal.
    public var timeframe: Timeframe
    public var direction: Direction
    /// Score in [−1, 1]; its sign is `direction`.
    public var score: Double
    /// |score|, in [0, 1].
    public var confidence: Double
    /// The threshold |score| had to clear (depends on `regime`).
    public var threshold: Double
    /// The regime of the model's regime timeframe, which set the threshold.
    public var regime: RegimeLabel
    public var categories: CategoryScores
    public var reasons: SignalReasons
    /// Price distance of the protective stop (from ATR), > 0.
    public var stopDistance: Double
    /// Price distance of the profit target, > 0.
    public var targetDistance: Double
    /// The model's own size scaling (balanced: volatility-scaled), multiplies the risk.
    public var sizeScale: Double

    public init(time: Int64, symbol: Int, model: ModelID, family: SignalFamily, timeframe: Timeframe,
                direction: Direction, score: Double, threshold: Double, regime: RegimeLabel,
                categories: CategoryScores, reasons: SignalReasons, stopDistance: Double,
                targetDistance: Double, sizeScale: Double = 1) {
        self.time = time
        self.symbol = symbol
        self.model = model
        self.family = family
        self.timeframe = timeframe
        self.direction = direction
        self.score = score
        self.confidence = min(abs(score), 1)
        self.threshold = threshold
        self.regime = regime
        self.categories = categories
        self.reasons = reasons
        self.stopDistance = stopDistance
        self.targetDistance = targetDistance
        self.sizeScale = sizeScale
    }
}
