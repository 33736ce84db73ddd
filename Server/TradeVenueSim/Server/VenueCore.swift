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
    }

    private let state: Mutex<State>
    /// Wall clock (Unix ms); tests give their own.
    public let now: @Sendable () -> Int64

    public init(exchange: SimulatedExchange, weightLimit: Int = 6_000, bybitPerSecond: Int = 20, now: @escaping @Sendable () -> Int64) {
        state = Mutex(State(exchange: exchange, limiter: BinanceRateLimiter(limit: weightLimit),
                            bybitLimiter: BybitRateLimiter(perSecond: bybitPerSecond)))
        self.now = now
    }

    public func withState<T>(_ body: (inout State) throws -> T) rethrows -> T {
        try state.withLock { try body(&$0) }
    }
}
