/// What a live kline feed connects to, and how it behaves there.
public struct FeedSettings: Sendable {
    public var dialect: any MarketDataDialect
    /// REST base URL ("https://api.binance.com", "http://127.0.0.1:PORT").
    public var endpoint: String
    public var symbols: [String]
    public var timing = FeedTiming()

    public init(dialect: any MarketDataDialect, endpoint: String, symbols: [String], timing: FeedTiming = FeedTiming()) {
        self.dialect = dialect
        self.endpoint = endpoint
        self.symbols = symbols
        self.timing = timing
    }
}

/// When a feed calls a connection stale, gives up on a request, opens a breaker
/// and how long it waits to reconnect: the same for every venue (`serve --feed-*`).
public struct FeedTiming: Sendable {
    /// No kline frame for this long (wall time) = a silent feed: entries freeze,
    /// the connection is dropped and remade, and the gap is backfilled.
    public var staleAfterMilliseconds: Int64 = 90_000
    public var requestTimeoutMilliseconds: Int64 = 10_000
    public var breakerThreshold = 5
    public var breakerCoolOffMilliseconds: Int64 = 60_000
    public var backoffBaseMilliseconds: Int64 = 1_000
    public var backoffCapMilliseconds: Int64 = 60_000
    /// Seeds the backoff's jitter (a test's delays repeat).
    public var seed: UInt64 = 1
    /// Pause REST when the venue says this share of its request weight is used.
    public var weightPauseShare = 0.9

    public init() {}
}
