/// Classifies one bar's regime from indicator values with fixed rules,
/// checked in this order (the first that holds wins):
///
/// 1. **VOLATILE** — `volatilityRatio > volatileRatio` (default 1.5, about the
///    95th percentile on BTC 1h). Precedence over everything: in a volatility
///    burst ADX and the EMAs lag, and a "trend" read there is the costliest mistake.
/// 2. **TREND_UP** — `adx ≥ trendADX` (25) and `close > emaFast > emaSlow` and
///    `plusDI > minusDI`.
///    **TREND_DOWN** — `adx ≥ trendADX` and `close < emaFast < emaSlow` and
///    `minusDI > plusDI`.
///    25/20 are Wilder's classic ADX bands; alignment of price and both EMAs
///    plus the dominant DI make sure ADX's (directionless) strength points the
///    same way everywhere.
/// 3. **RANGE** — `adx < rangeADX` (20) and `volatilityRatio ≤ elevatedRatio`
///    (1.2, about the 80th percentile): weak trend *and* normal volatility.
/// 4. **CHOP** — everything else: ADX between the bands, a strong ADX whose
///    direction signals disagree, or a weak ADX with elevated volatility.
///
/// Confidence, with `clamp` to [0, 1]:
/// - VOLATILE: `0.5 + 0.5·clamp((ratio − volatileRatio) / volatileRatioSpan)`;
/// - TREND: `0.5 + 0.5·(a + d + e)/3` with
///   `a = clamp((adx − trendADX) / adxSpan)` (ADX past its band),
///   `d = (DI_dominant − DI_other) / (DI_dominant + DI_other)` (DI dominance),
///   `e = clamp(|emaFast − emaSlow| / (emaSpreadATRs·atr))` (EMA spread in ATRs);
/// - RANGE: `0.5 + 0.5·clamp((rangeADX − adx) / adxSpan)`;
/// - CHOP: `residualConfidence` (0.5) — the residual class passed no threshold
///   to measure a distance from.
/// So a label that only just qualifies reads 0.5 and a decisive one reaches 1;
/// confidence never decreases as ADX moves further past the deciding band.
/// Features still warming up (any NaN) read CHOP with confidence 0.
public struct RuleRegimeClassifier: Sendable, Codable {
    public struct Parameters: Sendable, Codable, Equatable {
        /// VOLATILE above this volatility ratio (strictly).
        public var volatileRatio: Double = 1.5
        /// Ratio distance past `volatileRatio` at which VOLATILE confidence is 1.
        public var volatileRatioSpan: Double = 1.0
        /// Trends need ADX at or above this.
        public var trendADX: Double = 25
        /// RANGE needs ADX strictly below this.
        public var rangeADX: Double = 20
        /// RANGE needs the volatility ratio at or below this.
        public var elevatedRatio: Double = 1.2
        /// ADX distance from its band at which the ADX term of the confidence is 1.
        public var adxSpan: Double = 15
        /// EMA spread, in ATRs, at which the alignment term of trend confidence is 1.
        public var emaSpreadATRs: Double = 2
        /// Confidence of the residual CHOP label.
        public var residualConfidence: Double = 0.5

        public init() {}
    }

    public let parameters: Parameters

    public init(parameters: Parameters = Parameters()) {
        precondition(parameters.rangeADX <= parameters.trendADX, "rangeADX must not exceed trendADX")
        precondition(parameters.elevatedRatio <= parameters.volatileRatio,
                     "elevatedRatio must not exceed volatileRatio")
        precondition(parameters.volatileRatioSpan > 0 && parameters.adxSpan > 0 && parameters.emaSpreadATRs > 0,
                     "confidence spans must be positive")
        precondition((0...1).contains(parameters.residualConfidence), "residualConfidence must be in [0, 1]")
        self.parameters = parameters
    }

    public func classify(_ f: RegimeFeatures) -> RegimeReading {
        let p = parameters
        guard f.isComplete else { return RegimeReading(label: .chop, confidence: 0) }
        if f.volatilityRatio > p.volatileRatio {
            return RegimeReading(label: .volatile,
                                 confidence: 0.5 + 0.5 * clamp((f.volatilityRatio - p.volatileRatio) / p.volatileRatioSpan))
        }
        if f.adx >= p.trendADX {
            if f.close > f.emaFast && f.emaFast > f.emaSlow && f.plusDI > f.minusDI {
                return RegimeReading(label: .trendUp, confidence: trendConfidence(f, dominantDI: f.plusDI, otherDI: f.minusDI))
            }
            if f.close < f.emaFast && f.emaFast < f.emaSlow && f.minusDI > f.plusDI {
                return RegimeReading(label: .trendDown, confidence: trendConfidence(f, dominantDI: f.minusDI, otherDI: f.plusDI))
            }
        }
        if f.adx < p.rangeADX && f.volatilityRatio <= p.elevatedRatio {
            return RegimeReading(label: .range, confidence: 0.5 + 0.5 * clamp((p.rangeADX - f.adx) / p.adxSpan))
        }
        return RegimeReading(label: .chop, confidence: p.residualConfidence)
    }

    private func trendConfidence(_ f: RegimeFeatures, dominantDI: Double, otherDI: Double) -> Double {
        let p = parameters
        let adxTerm = clamp((f.adx - p.trendADX) / p.adxSpan)
        let diTerm = clamp((dominantDI - otherDI) / (dominantDI + otherDI))
        let emaTerm = clamp(abs(f.emaFast - f.emaSlow) / (p.emaSpreadATRs * f.atr))
        return 0.5 + 0.5 * (adxTerm + diTerm + emaTerm) / 3
    }

    private func clamp(_ x: Double) -> Double { min(max(x, 0), 1) }
}
