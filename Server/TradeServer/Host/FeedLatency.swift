import TradeCore

/// How long a paper run on a live feed takes from a candle coming off the
/// venue's stream to the decision on it being journaled (committed), in
/// microseconds — split by whether handling the candle sent an order. Keeps
/// the newest `capacity` of each, so a run of months stays bounded.
public struct FeedLatency: Sendable, Equatable {
    public static let capacity = 100_000
    private var ordered = SampleWindow(capacity: capacity)
    private var unordered = SampleWindow(capacity: capacity)
    public var withOrder: [Double] { ordered.values }
    public var withoutOrder: [Double] { unordered.values }

    public init() {}

    mutating func record(microseconds: Double, ordered isOrdered: Bool) {
        if isOrdered { ordered.append(microseconds) } else { unordered.append(microseconds) }
    }

    /// The `p`-th percentile (0…100, nearest rank) of the samples with or without an order; nil when there are none.
    public func percentile(_ p: Double, ordered isOrdered: Bool) -> Double? {
        (isOrdered ? ordered : unordered).percentile(p / 100)
    }
}
