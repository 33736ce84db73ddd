/// The balanced model: 15m signals that enter only when 1h agrees.
///
/// On every 15m close, trend following and mean reversion are validated on
/// 15m; the same family's score on the latest closed 1h bar must have the same
/// sign and |score| ≥ `agreementMinimum`. The threshold follows the 1h regime;
/// stops are `stopATR` × ATR(1h). Size is volatility-scaled: × clamp(1 / the
/// 1h volatility ratio, `volatilityScaleLow`, `volatilityScaleHigh`), so a
/// calmer market gets a larger position for the same risk budget.
public struct BalancedModel: Sendable, Codable {
    public let parameters: ModelParameters

    public init(parameters: ModelParameters = .defaults(for: .balanced)) { self.parameters = parameters }

    public func evaluate(symbol: Int, time: Int64, m15: TimeframeView, h1: TimeframeView) -> Signal? {
        let p = parameters
        guard m15.closedNow, h1.hasBar, m15.features.isWarm, h1.features.isWarm else { return nil }
        let f = m15.features
        let regime = h1.features.regime.label
        let threshold = p.thresholds.threshold(regime)
        let stop = p.stopATR * h1.features.atr
        guard stop > 0 else { return nil }
        let categories = CategoryScores.of(f, open: m15.open, damping: p.damping)
        let hourCategories = CategoryScores.of(h1.features, open: h1.open, damping: p.damping)
        let scale = min(max(1 / h1.features.volatilityRatio, p.volatilityScaleLow), p.volatilityScaleHigh)
        var best: Signal?

        func consider(_ family: SignalFamily, _ direction: Direction?, target: Double) {
            guard let direction else { return }
            let score = p.weights(family).score(categories)
            guard score * direction.sign >= threshold, score != 0 else { return }
            let context = p.weights(family).score(hourCategories)
            guard context * direction.sign >= p.agreementMinimum else { return }
            guard best == nil || abs(score) > best!.confidence else { return }
            var reasons = SignalReasons(f)
            reasons.contextScore = context
            best = Signal(time: time, symbol: symbol, model: .balanced, family: family, timeframe: .m15,
                          direction: direction, score: score, threshold: threshold, regime: regime,
                          categories: categories, reasons: reasons, stopDistance: stop, targetDistance: target,
                          sizeScale: scale.isNaN ? 1 : scale)
        }

        if p.families.contains(.trendFollowing) {
            consider(.trendFollowing, p.trendFollowing.validate(f, previous: m15.previous),
                     target: p.targetRewardRisk * stop)
        }
        if p.families.contains(.meanReversion) {
            consider(.meanReversion, p.meanReversion.validate(f, context: regime),
                     target: abs(f.bollingerMiddle - f.close))
        }
        return best
    }
}
