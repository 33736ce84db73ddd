import Foundation
import TradeCore
import TradeVenues

/// A paper run's market: which venue, which endpoint, which symbols, and the
/// buffer its feed fills and its engine reads.
struct LiveFeedPlan {
    var settings: FeedSettings
    var buffer: LiveCandleBuffer
}

/// How the server's feeds behave (`serve --feed-*`); every run's feed takes them.
public struct FeedDefaults: Sendable {
    /// No kline frame for this long: the feed is stale, entries freeze, the stream is remade.
    public var staleAfterMilliseconds: Int64 = 90_000
    public var breakerCoolOffMilliseconds: Int64 = 60_000
    public var backoffBaseMilliseconds: Int64 = 1_000
    public var backoffCapMilliseconds: Int64 = 60_000
    public init() {}
}

extension ReplayData {
    static let venues: [String: any MarketDataDialect] = ["binance": BinanceMarketData(), "bybit": BybitMarketData()]

    /// A venue's live klines for `selection`, backfilled from `from` (a minute; default: the current one).
    static func live(_ selection: StartOptions.VenueSelection, from: Int64?, feed: FeedDefaults) throws(HostError) -> ReplayData {
        guard let dialect = venues[selection.venue] else {
            throw .invalidArgument("unknown venue '\(selection.venue)'; use one of \(venues.keys.sorted().joined(separator: ", "))")
        }
        guard !selection.symbols.isEmpty else { throw .invalidArgument("give at least one symbol (--symbols BTCUSDT,ETHUSDT)") }
        guard Set(selection.symbols).count == selection.symbols.count else { throw .invalidArgument("a symbol is given twice") }
        for symbol in selection.symbols where !symbol.allSatisfy({ $0.isASCII && ($0.isUppercase || $0.isNumber) }) || symbol.isEmpty {
            throw .invalidArgument("'\(symbol)' is not a venue symbol (upper-case letters and digits, like BTCUSDT)")
        }
        let endpoint = selection.endpoint ?? (selection.testnet ? dialect.testnetEndpoint : dialect.productionEndpoint)
        guard let url = URL(string: endpoint), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
            throw .invalidArgument("the endpoint '\(endpoint)' is not an http(s) URL")
        }
        let minute = CandleMerger.minute
        let start: Int64
        if let from {
            guard from % minute == 0 else { throw .invalidArgument("a paper run's start must be on a minute (got \(from) ms)") }
            start = from
        } else {
            start = ReplayEngineHost.nowMs() / minute * minute
        }
        var settings = FeedSettings(dialect: dialect, endpoint: endpoint, symbols: selection.symbols)
        settings.staleAfterMilliseconds = feed.staleAfterMilliseconds
        settings.breakerCoolOffMilliseconds = feed.breakerCoolOffMilliseconds
        settings.backoffBaseMilliseconds = feed.backoffBaseMilliseconds
        settings.backoffCapMilliseconds = feed.backoffCapMilliseconds
        let buffer = LiveCandleBuffer(instruments: selection.symbols.map { .spot($0) }, start: start, venue: selection.venue)
        return ReplayData(series: [], interval: .m1, live: LiveFeedPlan(settings: settings, buffer: buffer))
    }
}
