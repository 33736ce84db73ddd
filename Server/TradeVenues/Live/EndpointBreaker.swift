/// A circuit breaker for one venue endpoint ("klines", "time", "stream").
///
/// CLOSED: calls go through; `failureThreshold` consecutive failures open it.
/// OPEN: calls are refused without touching the venue until `coolOffMilliseconds`
/// have passed, then one probe is allowed (HALF_OPEN): its success closes the
/// breaker, its failure opens it again for another cool-off. Time is passed in
/// (wall milliseconds), so tests step it instead of sleeping.
public struct EndpointBreaker: Sendable, Equatable {
    public enum State: String, Sendable, Equatable { case closed, open, halfOpen = "half_open" }

    public let endpoint: String
    public let failureThreshold: Int
    public let coolOffMilliseconds: Int64
    public private(set) var state: State = .closed
    public private(set) var consecutiveFailures = 0
    public private(set) var openedAt: Int64?
    public private(set) var lastError = ""

    public init(endpoint: String, failureThreshold: Int = 5, coolOffMilliseconds: Int64 = 60_000) {
        precondition(failureThreshold > 0 && coolOffMilliseconds > 0, "a breaker needs a positive threshold and cool-off")
        self.endpoint = endpoint
        self.failureThreshold = failureThreshold
        self.coolOffMilliseconds = coolOffMilliseconds
    }

    /// Whether a call may go out at `now`. An OPEN breaker past its cool-off turns
    /// HALF_OPEN and lets exactly this one probe through.
    public mutating func allows(at now: Int64) -> Bool {
        switch state {
        case .closed: return true
        case .halfOpen: return false  // a probe is already out
        case .open:
            guard let openedAt, now - openedAt >= coolOffMilliseconds else { return false }
            state = .halfOpen
            return true
        }
    }

    /// How long until an OPEN breaker lets a probe through (0 when it would now).
    public func waitMilliseconds(at now: Int64) -> Int64 {
        guard state == .open, let openedAt else { return 0 }
        return max(0, openedAt + coolOffMilliseconds - now)
    }

    public mutating func recordSuccess() {
        state = .closed
        consecutiveFailures = 0
        openedAt = nil
    }

    public mutating func recordFailure(_ error: String, at now: Int64) {
        consecutiveFailures += 1
        lastError = error
        if state == .halfOpen || consecutiveFailures >= failureThreshold {
            state = .open
            openedAt = now
        }
    }
}
