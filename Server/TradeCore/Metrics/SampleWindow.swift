/// The newest samples of a measurement (latencies, slippage), bounded for a run of
/// months, with nearest-rank percentiles. Trimmed in chunks — dropping one from the
/// front on every append would move the whole array each time — so it holds between
/// `capacity` and 10 % more.
public struct SampleWindow: Sendable, Equatable {
    public let capacity: Int
    /// Oldest first.
    public private(set) var values: [Double] = []

    public init(capacity: Int) {
        precondition(capacity > 0, "a sample window holds at least one sample")
        self.capacity = capacity
    }

    public var count: Int { values.count }
    public var isEmpty: Bool { values.isEmpty }

    public mutating func append(_ value: Double) {
        values.append(value)
        if values.count > capacity + capacity / 10 { values.removeFirst(values.count - capacity) }
    }

    /// The nearest-rank percentile at `fraction` (0…1); nil when there are no samples.
    public func percentile(_ fraction: Double) -> Double? { Self.percentile(values, fraction) }

    public static func percentile(_ samples: [Double], _ fraction: Double) -> Double? {
        guard !samples.isEmpty else { return nil }
        let sorted = samples.sorted()
        let rank = Int((fraction * Double(sorted.count)).rounded(.up))
        return sorted[min(max(rank, 1), sorted.count) - 1]
    }
}
