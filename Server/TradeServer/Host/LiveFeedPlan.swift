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

    /// The venue's dialect and REST endpoint for `selection`, checked: every mistake in it is named.
    static func venue(_ selection: StartOptions.VenueSelection) throws(HostError) -> (dialect: any MarketDataDialect, endpoint: String) {
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
        return (dialect, endpoint)
    }

    /// The symbols' trading rules from the venue's filters, read when a run starts.
    static func rules(_ selection: StartOptions.VenueSelection) async throws(HostError) -> [Instrument] {
        let (dialect, endpoint) = try venue(selection)
        do {
            return try await VenueInstruments.fetch(dialect, endpoint: endpoint, symbols: selection.symbols)
        } catch {
            switch error {
            case .unknownSymbol(let why): throw .invalidArgument("\(why); nothing was started")
            case .unreadable(let why): throw .unavailable("cannot read the symbols' trading rules: \(why); nothing was started")
            }
        }
    }

    /// A venue's live klines for `selection` (its rules read at start), backfilled from the minute `from`.
    static func live(_ selection: StartOptions.VenueSelection, from start: Int64, timing: FeedTiming) throws(HostError) -> ReplayData {
        let (dialect, endpoint) = try venue(selection)
        guard start % CandleMerger.minute == 0 else { throw .invalidArgument("a paper run's start must be on a minute (got \(start) ms)") }
        guard let instruments = selection.instruments, instruments.map(\.symbol) == selection.symbols else {
            throw .unavailable("the paper run has no trading rules recorded for \(selection.symbols.joined(separator: ","))")
        }
        let settings = FeedSettings(dialect: dialect, endpoint: endpoint, symbols: selection.symbols, timing: timing)
        let buffer = LiveCandleBuffer(instruments: instruments, start: start, venue: selection.venue)
        return ReplayData(series: [], interval: .m1, live: LiveFeedPlan(settings: settings, buffer: buffer))
    }
}

/// How a run's identity records the venue's rules: `SYMBOL base quote tick lot min_notional`, one line per symbol.
enum RecordedRules {
    static func text(_ instruments: [Instrument]) -> String {
        instruments.map { "\($0.symbol) \($0.baseAsset) \($0.quoteAsset) \($0.tickSize) \($0.lotSize) \($0.minNotional.formatted(digits: 16))" }.joined(separator: "\n")
    }

    static func parse(_ text: String) -> [Instrument]? {
        var out: [Instrument] = []
        for line in text.split(separator: "\n") {
            let f = line.split(separator: " ").map(String.init)
            guard f.count == 6, let tick = Price(f[3]), tick.raw > 0, let lot = Quantity(f[4]), lot.raw > 0, let minimum = Money(f[5]) else { return nil }
            out.append(Instrument(symbol: f[0], baseAsset: f[1], quoteAsset: f[2], tickSize: tick, lotSize: lot, minNotional: minimum))
        }
        return out
    }
}
