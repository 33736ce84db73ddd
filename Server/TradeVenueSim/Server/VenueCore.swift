import Synchronization

/// The simulator's one piece of shared state: the exchange and the rate
/// limiter behind one lock. Requests arrive concurrently; each runs its whole
/// read-check-change step under the lock, so two requests never interleave
/// inside the matching engine (a venue is a single writer too).
public final class VenueCore: Sendable {
    public struct State: Sendable {
        public var exchange: SimulatedExchange
        public var limiter: BinanceRateLimiter
        public var bybitLimiter: BybitRateLimiter
        public var faults: FaultInjector
        /// The stream connections pacing a `--speed max` market.
        public var readers = StreamReaders()
    }

    private let state: Mutex<State>
    /// The wall clock (Unix ms); tests give their own.
    public let wallClock: @Sendable () -> Int64

    public init(exchange: SimulatedExchange, weightLimit: Int = 6_000, bybitPerSecond: Int = 20, faults: FaultSchedule = .none,
                faultsStart: Int64? = nil, now: @escaping @Sendable () -> Int64) {
        state = Mutex(State(exchange: exchange, limiter: BinanceRateLimiter(limit: weightLimit),
                            bybitLimiter: BybitRateLimiter(perSecond: bybitPerSecond),
                            faults: FaultInjector(schedule: faults, start: faultsStart ?? now())))
        wallClock = now
    }

    /// The venue's clock: the wall clock, off by the clock skew the fault schedule has in force.
    public func now() -> Int64 {
        let wall = wallClock()
        return wall + state.withLock { $0.faults.skew(at: wall) }
    }

    public func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }
}
