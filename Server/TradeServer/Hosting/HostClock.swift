import Foundation

/// The host's clock: the only place the host reads time or waits. The engine
/// itself reads no clock (its time is its events'); the host needs one to pace
/// a replay at 1×/60×, to tell a feed's lag and a run's uptime, to stamp
/// records, and to poll a live feed. Tests give a clock they move themselves,
/// so a paced run ends at once and its lags and uptimes are exact.
public protocol HostClock: Sendable {
    /// Monotonic now (pacing, lags, uptimes).
    var now: ContinuousClock.Instant { get }
    /// Wall-clock now (stamps: a paper run's start minute, parameter versions, context expiry).
    var date: Date { get }
    /// Waits `duration` of this clock's time.
    func sleep(for duration: Duration) async throws
}

extension HostClock {
    /// Wall-clock now in Unix milliseconds.
    var nowMs: Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
}

/// The machine's clocks.
public struct SystemHostClock: HostClock {
    public init() {}
    public var now: ContinuousClock.Instant { .now }
    public var date: Date { Date() }
    public func sleep(for duration: Duration) async throws { try await Task.sleep(for: duration) }
}
