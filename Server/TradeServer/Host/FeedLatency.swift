/// How long a paper run on a live feed takes from a candle coming off the
/// venue's stream to the decision on it being journaled (committed), in
/// microseconds — split by whether handling the candle sent an order. Keeps
/// the newest `capacity` of each, so a run of months stays bounded.
public struct FeedLatency: Sendable, Equatable {
    public static let capacity = 100_000
    public private(set) var withOrder: [Double] = []
    public private(set) var withoutOrder: [Double] = []

    public init() {}

    mutating func record(microseconds: Double, ordered: Bool) {
        if ordered { Self.push(&withOrder, microseconds) } else { Self.push(&withoutOrder, microseconds) }
    }

    private static func push(_ samples: inout [Double], _ value: Double) {
        samples.append(value)
        // Trim in chunks: removing one from the front each time would move the array each time.
        if samples.count > capacity + capacity / 10 { samples.removeFirst(samples.count - capacity) }
    }

    /// The `p`-th percentile (0…100, nearest rank) of the samples with or without an order; nil when there are none.
    public func percentile(_ p: Double, ordered: Bool) -> Double? {
        let sorted = (ordered ? withOrder : withoutOrder).sorted()
        guard !sorted.isEmpty else { return nil }
        let rank = Int((p / 100 * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
