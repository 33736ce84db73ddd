/// The already-computed inputs of `RuleRegimeClassifier`, all for the same
/// closed bar. The classifier computes nothing itself, so it can be fed by any
/// ADX/DI/ATR/EMA implementation (and tested with hand-made values).
///
/// A NaN in any field means "still warming up"; the classifier answers such
/// features with confidence 0.
public struct RegimeFeatures: Sendable, Codable, Equatable {
    /// Average directional index, 0…100.
    public var adx: Double
    /// Positive and negative directional indicators, 0…100.
    public var plusDI: Double
    public var minusDI: Double
    /// Fast and slow moving averages of the close.
    public var emaFast: Double
    public var emaSlow: Double
    public var close: Double
    /// Average true range, in price units (scales the EMA spread in the
    /// trend confidence).
    public var atr: Double
    /// ATR/close relative to its own slow average (see `VolatilityRatio`):
    /// 1 = normal volatility, 2 = twice the recent norm.
    public var volatilityRatio: Double

    public init(adx: Double, plusDI: Double, minusDI: Double, emaFast: Double, emaSlow: Double,
                close: Double, atr: Double, volatilityRatio: Double) {
        self.adx = adx
        self.plusDI = plusDI
        self.minusDI = minusDI
        self.emaFast = emaFast
        self.emaSlow = emaSlow
        self.close = close
        self.atr = atr
        self.volatilityRatio = volatilityRatio
    }

    /// True once every input has left its warm-up.
    public var isComplete: Bool {
        !(adx.isNaN || plusDI.isNaN || minusDI.isNaN || emaFast.isNaN || emaSlow.isNaN
          || close.isNaN || atr.isNaN || volatilityRatio.isNaN)
    }
}
