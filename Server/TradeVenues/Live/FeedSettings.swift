/// How a live kline feed connects and when it gives up on a connection.
public struct FeedSettings: Sendable {
    public var dialect: any MarketDataDialect
    /// REST base URL ("https://api.binance.com", "http://127.0.0.1:PORT").
    public var endpoint: String
    public var symbols: [String]
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

    public init(dialect: any MarketDataDialect, endpoint: String, symbols: [String]) {
        self.dialect = dialect
        self.endpoint = endpoint
        self.symbols = symbols
    }
}
