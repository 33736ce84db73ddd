/// One symbol's latest closed bar on one timeframe, as a model sees it: the
/// features, the bar's open (for the volume category's direction) and the
/// previous bar's features (for crosses).
public struct TimeframeView: Sendable, Codable {
    public var features = FeatureSnapshot()
    public var previous = FeatureSnapshot()
    public var open = Double.nan
    /// Open time of the latest bar; `Int64.min` before the first.
    public var time = Int64.min
    /// True when this timeframe's bar closed in the current base step.
    public var closedNow = false

    public init() {}

    public var hasBar: Bool { time != .min }

    public mutating func update(_ f: FeatureSnapshot, open: Double, time: Int64) {
        previous = features
        features = f
        self.open = open
        self.time = time
        closedNow = true
    }
}
