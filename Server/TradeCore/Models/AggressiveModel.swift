/// The aggressive model: 1m signals with 5m context.
///
/// - momentum burst and mean reversion on every 1m close (context: the 5m regime);
/// - trend following on every 5m close (the pullback-resume rule on 5m).
/// The threshold follows the 5m regime; stops are `stopATR` × ATR(5m).
/// At most one signal per symbol per step: the most confident family.
public struct AggressiveModel: Sendable, Codable {
    public let parameters: ModelParameters

    public init(parameters: ModelParameters = .defaults(for: .aggressive)) { self.parameters = parameters }

    public func evaluate(symbol: Int, time: Int64, m1: TimeframeView, m5: TimeframeView) -> Signal? {
        let p = parameters
        guard m1.hasBar, m5.hasBar, m1.features.isWarm, m5.features.isWarm else { return nil }
        let f = m1.features
        let regime = m5.features.regime.label
        let threshold = p.thresholds.threshold(regime)
        let stop = p.stopATR * m5.features.atr
        guard stop > 0 else { return nil }
        var best: Signal?

        func consider(_ family: SignalFamily, _ direction: Direction?, _ view: TimeframeView, _ tf: Timeframe,
                      target: Double) {
            guard let direction else { return }
            let categories = CategoryScores.of(view.features, open: view.open, damping: p.damping)
            let score = p.weights(family).score(categories)
            guard score * direction.sign >= threshold, score != 0 else { return }
            guard best == nil || abs(score) > best!.confidence else { return }
            var reasons = SignalReasons(view.features)
            reasons.contextScore = p.weights(.trendFollowing).score(
                CategoryScores.of(m5.features, open: m5.open, damping: p.damping))
            best = Signal(time: time, symbol: symbol, model: .aggressive, family: family, timeframe: tf,
                          direction: direction, score: score, threshold: threshold, regime: regime,
                          categories: categories, reasons: reasons, stopDistance: stop, targetDistance: target)
        }

        if p.families.contains(.momentumBurst) {
            consider(.momentumBurst, p.momentumBurst.validate(f, context: regime), m1, .m1,
                     target: p.targetRewardRisk * stop)
        }
        if p.families.contains(.meanReversion) {
            consider(.meanReversion, p.meanReversion.validate(f, context: regime), m1, .m1,
                     target: abs(f.bollingerMiddle - f.close))
        }
        if p.families.contains(.trendFollowing), m5.closedNow {
            consider(.trendFollowing, p.trendFollowing.validate(m5.features, previous: m5.previous), m5, .m5,
                     target: p.targetRewardRisk * stop)
        }
        return best
    }
}
