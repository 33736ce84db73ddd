import Foundation
import TradeCore
import TradeVenues

/// A paper run's market: which venue, which endpoint, which symbols, and the
/// buffer its feed fills and its engine reads.
struct LiveFeedPlan {
    var settings: FeedSettings
    var buffer: LiveCandleBuffer
}

extension ReplayData {
    static let venues: [String: any MarketDataDialect] = ["binance": BinanceMarketData(), "bybit": BybitMarketData()]

    /// A venue's live klines for `selection`, backfilled from the minute `from`.
    static func live(_ selection: StartOptions.VenueSelection, from start: Int64, timing: FeedTiming) throws(HostError) -> ReplayData {
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
        guard start % CandleMerger.minute == 0 else { throw .invalidArgument("a paper run's start must be on a minute (got \(start) ms)") }
        let settings = FeedSettings(dialect: dialect, endpoint: endpoint, symbols: selection.symbols, timing: timing)
        let buffer = LiveCandleBuffer(instruments: selection.symbols.map { .spot($0) }, start: start, venue: selection.venue)
        return ReplayData(series: [], interval: .m1, live: LiveFeedPlan(settings: settings, buffer: buffer))
    }
}
