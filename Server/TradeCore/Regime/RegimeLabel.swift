/// The market regimes the engine distinguishes. The raw values are the stable
/// names used in configuration, logs and stored results; never rename them.
public enum RegimeLabel: String, CaseIterable, Codable, Sendable, Hashable {
    /// Directional up-move: strong trend strength with up-aligned averages.
    case trendUp = "TREND_UP"
    /// Directional down-move, the mirror of `trendUp`.
    case trendDown = "TREND_DOWN"
    /// Quiet, mean-reverting market: weak trend strength, normal volatility.
    case range = "RANGE"
    /// Neither trending nor quiet: moves without follow-through.
    case chop = "CHOP"
    /// Volatility well above its own recent norm; overrides every other label.
    case volatile = "VOLATILE"
}

/// A regime label with the detector's confidence in it, in [0, 1].
/// Each detector documents how it derives the confidence.
public struct RegimeReading: Sendable, Codable, Equatable, Hashable {
    public var label: RegimeLabel
    public var confidence: Double

    public init(label: RegimeLabel, confidence: Double) {
        self.label = label
        self.confidence = confidence
    }
}
