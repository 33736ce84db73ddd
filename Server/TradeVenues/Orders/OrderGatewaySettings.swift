/// How an `OrderGateway` paces, signs and retries.
public struct OrderGatewaySettings: Sendable, Equatable {
    /// The receive window sent with every signed call: the venue refuses a request that
    /// reaches it later than its timestamp plus this. Also how long a send whose answer
    /// was lost is waited out before the order is looked for (a late copy is refused by then).
    public var recvWindowMs: Int64 = 5_000
    /// One HTTP exchange, connection to last byte.
    public var timeoutMs: Int64 = 10_000
    /// Tries of one operation (a send and its retries) before giving up.
    public var maxAttempts = 4
    /// Backoff between tries: full jitter from this base, doubling to the cap.
    public var backoffBaseMs: Int64 = 200
    public var backoffCapMs: Int64 = 5_000
    /// Consecutive failures (no answer, 5xx, unreadable answers) that open an endpoint's breaker, and its cool-off.
    public var breakerThreshold = 5
    public var breakerCoolOffMs: Int64 = 60_000
    /// Share of the venue's request weight the gateway uses before it holds back until the window resets.
    public var weightHeadroom = 0.9
    /// The longest wait for a rate limit to lift that an operation sits out itself; longer ones are the caller's.
    public var maxRateLimitWaitMs: Int64 = 2_000
    /// Seed of the backoff's jitter (fixed: a failing test replays with the same delays).
    public var seed: UInt64 = 0x0bad_cafe

    public init() {}
}
