/// The big-picture model's reading of a symbol's environment.
public enum Posture: Int8, Sendable, Codable, Hashable, CustomStringConvertible {
    case riskOff = -1, neutral = 0, riskOn = 1

    public var name: String {
        switch self {
        case .riskOff: return "RISK_OFF"
        case .neutral: return "NEUTRAL"
        case .riskOn: return "RISK_ON"
        }
    }

    public var description: String { name }
}

/// Classifies posture from the regimes and volatility of 1h, 4h and 1d.
///
/// Each warm timeframe (regime confidence > 0) votes with its label:
/// TREND_UP +confidence, TREND_DOWN −confidence, VOLATILE −`volatileVote`
/// (a volatility burst leans risk-off), RANGE and CHOP 0. The posture score is
/// the weighted mean over the warm timeframes (weights 1h 0.2, 4h 0.4, 1d 0.4,
/// renormalised). RISK_ON at score ≥ `riskOnAt`, RISK_OFF at ≤ `riskOffAt`;
/// and RISK_OFF regardless when the slowest warm timeframe is VOLATILE or the
/// 1h volatility ratio exceeds `extremeVolatility`. With no warm timeframe the
/// posture is NEUTRAL (no opinion, no veto).
public struct PostureClassifier: Sendable, Codable, Equatable {
    public var weightH1 = 0.2
    public var weightH4 = 0.4
    public var weightD1 = 0.4
    public var volatileVote = 0.5
    public var riskOnAt = 0.35
    public var riskOffAt = -0.35
    public var extremeVolatility = 2.0

    public init() {}

    public struct Reading: Sendable, Codable, Equatable {
        public var posture: Posture
        public var score: Double
        public init(posture: Posture, score: Double) { self.posture = posture; self.score = score }
        public static let none = Reading(posture: .neutral, score: 0)
    }

    public func classify(h1: FeatureSnapshot?, h4: FeatureSnapshot?, d1: FeatureSnapshot?) -> Reading {
        var sum = 0.0, weights = 0.0
        var slowest: RegimeLabel?
        for (snapshot, weight) in [(h1, weightH1), (h4, weightH4), (d1, weightD1)] {
            guard let s = snapshot, s.regime.confidence > 0 else { continue }
            sum += weight * vote(s.regime)
            weights += weight
            slowest = s.regime.label
        }
        guard weights > 0 else { return .none }
        let score = sum / weights
        if slowest == .volatile { return Reading(posture: .riskOff, score: score) }
        if let h1, h1.volatilityRatio > extremeVolatility { return Reading(posture: .riskOff, score: score) }
        if score >= riskOnAt { return Reading(posture: .riskOn, score: score) }
        if score <= riskOffAt { return Reading(posture: .riskOff, score: score) }
        return Reading(posture: .neutral, score: score)
    }

    private func vote(_ r: RegimeReading) -> Double {
        switch r.label {
        case .trendUp: return r.confidence
        case .trendDown: return -r.confidence
        case .volatile: return -volatileVote
        case .range, .chop: return 0
        }
    }
}
