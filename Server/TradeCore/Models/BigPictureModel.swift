/// The big-picture model: 1h, 4h and 1d.
///
/// It keeps a posture per symbol (`PostureClassifier`, re-read on every 1h
/// close) which the resolver uses to veto the other models, and trades rarely
/// itself: on a 4h close, the `postureTrend` rule on 4h in the posture's
/// direction (at most `maxTradesPerWeek` entries a week, enforced by its budget).
/// Threshold by the 4h regime; stops `stopATR` × ATR(4h).
public struct BigPictureModel: Sendable, Codable {
    public let parameters: ModelParameters
    public var classifier: PostureClassifier

    public init(parameters: ModelParameters = .defaults(for: .bigPicture),
                classifier: PostureClassifier = PostureClassifier()) {
        self.parameters = parameters
        self.classifier = classifier
    }

    public func posture(h1: TimeframeView, h4: TimeframeView, d1: TimeframeView) -> PostureClassifier.Reading {
        classifier.classify(h1: h1.hasBar ? h1.features : nil, h4: h4.hasBar ? h4.features : nil,
                            d1: d1.hasBar ? d1.features : nil)
    }

    public func evaluate(symbol: Int, time: Int64, h4: TimeframeView, posture: PostureClassifier.Reading) -> Signal? {
        let p = parameters
        guard p.families.contains(.postureTrend), h4.closedNow, h4.features.isWarm else { return nil }
        let f = h4.features
        guard let direction = p.postureTrend.validate(f, posture: posture.posture) else { return nil }
        let regime = f.regime.label
        let threshold = p.thresholds.threshold(regime)
        let categories = CategoryScores.of(f, open: h4.open, damping: p.damping)
        let score = p.weights(.postureTrend).score(categories)
        guard score * direction.sign >= threshold, score != 0 else { return nil }
        let stop = p.stopATR * f.atr
        guard stop > 0 else { return nil }
        var reasons = SignalReasons(f)
        reasons.postureScore = posture.score
        return Signal(time: time, symbol: symbol, model: .bigPicture, family: .postureTrend, timeframe: .h4,
                      direction: direction, score: score, threshold: threshold, regime: regime,
                      categories: categories, reasons: reasons, stopDistance: stop,
                      targetDistance: p.targetRewardRisk * stop)
    }
}
