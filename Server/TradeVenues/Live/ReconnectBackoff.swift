import TradeCore

/// How long to wait before the next reconnect: exponential backoff with full
/// jitter (AWS architecture blog's "full jitter"): attempt n waits a uniform
/// random time in [0, min(cap, base × 2ⁿ)]. Spreads a crowd of clients that all
/// lost the venue at once, and never waits longer than the cap.
///
/// Seeded, so a test (or a replay of a failure) sees the same delays.
public struct ReconnectBackoff: Sendable {
    public let baseMilliseconds: Int64
    public let capMilliseconds: Int64
    /// Failed attempts since the last success.
    public private(set) var attempt = 0
    private var random: SplitMix64

    public init(baseMilliseconds: Int64 = 1_000, capMilliseconds: Int64 = 60_000, seed: UInt64) {
        precondition(baseMilliseconds > 0 && capMilliseconds >= baseMilliseconds, "backoff needs 0 < base ≤ cap")
        self.baseMilliseconds = baseMilliseconds
        self.capMilliseconds = capMilliseconds
        self.random = SplitMix64(seed: seed)
    }

    /// The ceiling of the next wait: base × 2^attempt, at most the cap.
    public var ceilingMilliseconds: Int64 {
        let shift = min(attempt, 30)
        let grown = baseMilliseconds.multipliedReportingOverflow(by: Int64(1) << shift)
        return grown.overflow ? capMilliseconds : min(capMilliseconds, grown.partialValue)
    }

    /// The wait before the next attempt; counts the attempt.
    public mutating func nextDelayMilliseconds() -> Int64 {
        let ceiling = ceilingMilliseconds
        attempt += 1
        return Int64.random(in: 0...ceiling, using: &random)
    }

    /// A connection worked: the next failure starts from the base again.
    public mutating func reset() { attempt = 0 }
}
