import Foundation
import TradeCore

/// Binance Spot market data: `GET /api/v3/time`, `GET /api/v3/klines` (arrays,
/// oldest first, up to 1000, the current minute included while it is open), and
/// the `/ws` stream with `<symbol>@kline_1m` subscriptions (`k.x` = closed).
public struct BinanceMarketData: MarketDataDialect {
    public init() {}

    public var venue: String { "binance" }
    public var productionEndpoint: String { "https://api.binance.com" }
    public var testnetEndpoint: String { "https://testnet.binance.vision" }
    public var klinesPerRequest: Int { 1_000 }
    /// Binance answers pings itself; a client need not send any.
    public var keepAlive: (message: String, everyMilliseconds: Int64)? { nil }

    public func serverTimeRequest() -> String { "/api/v3/time" }

    public func serverTime(from body: Data) throws(VenueFeedError) -> Int64 {
        guard let object = try FeedJSON.parse(body, venue) as? [String: Any] else { throw .malformed("binance time is not an object") }
        return try FeedJSON.integer(object["serverTime"], "binance serverTime")
    }

    public func klinesRequest(symbol: String, start: Int64, limit: Int) -> String {
        "/api/v3/klines?symbol=\(symbol)&interval=1m&startTime=\(start)&limit=\(limit)"
    }

    public func klines(from body: Data) throws(VenueFeedError) -> [Candle] {
        guard let rows = try FeedJSON.parse(body, venue) as? [Any] else {
            throw .malformed("binance klines: expected an array, got \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
        var candles: [Candle] = []
        candles.reserveCapacity(rows.count)
        for (i, row) in rows.enumerated() {
            guard let f = row as? [Any], f.count >= 6 else { throw .malformed("binance kline \(i) is not an array of at least 6 fields") }
            let t = try FeedJSON.integer(f[0], "binance kline open time")
            candles.append(try FeedJSON.candle(openTime: t, try FeedJSON.number(f[1], "open"), try FeedJSON.number(f[2], "high"),
                                               try FeedJSON.number(f[3], "low"), try FeedJSON.number(f[4], "close"),
                                               try FeedJSON.number(f[5], "volume"), venue))
        }
        return candles
    }

    public func streamURL(restEndpoint: String) -> String { LiveEndpoints.webSocketURL(restEndpoint, path: "/ws") }

    public func subscribeMessages(symbols: [String]) -> [String] {
        let params = symbols.map { "\"\($0.lowercased())@kline_1m\"" }.joined(separator: ",")
        return ["{\"method\":\"SUBSCRIBE\",\"params\":[\(params)],\"id\":1}"]
    }

    public func streamMessage(_ text: String) throws(VenueFeedError) -> StreamMessage {
        guard let object = try FeedJSON.parse(Data(text.utf8), venue) as? [String: Any] else {
            throw .malformed("binance stream frame is not an object: \(text.prefix(200))")
        }
        // Combined streams wrap the event: {"stream": ..., "data": {...}}.
        let event = (object["data"] as? [String: Any]) ?? object
        guard event["e"] as? String == "kline" else { return .control }
        guard let symbol = event["s"] as? String, let k = event["k"] as? [String: Any] else {
            throw .malformed("binance kline event without s or k: \(text.prefix(200))")
        }
        guard k["i"] as? String == "1m" else { return .control }
        guard let closed = k["x"] as? Bool else { throw .malformed("binance kline without the closed flag x") }
        let t = try FeedJSON.integer(k["t"], "binance k.t")
        let candle = try FeedJSON.candle(openTime: t, try FeedJSON.number(k["o"], "k.o"), try FeedJSON.number(k["h"], "k.h"),
                                         try FeedJSON.number(k["l"], "k.l"), try FeedJSON.number(k["c"], "k.c"),
                                         try FeedJSON.number(k["v"], "k.v"), venue)
        return .kline(symbol: symbol, candle: candle, closed: closed)
    }

    public func instrumentRequest(symbol: String) -> String { "/api/v3/exchangeInfo?symbol=\(symbol)" }

    /// PRICE_FILTER's tickSize, LOT_SIZE's stepSize and NOTIONAL's (or the older MIN_NOTIONAL's) minNotional.
    public func instrument(symbol: String, from body: Data) throws(VenueFeedError) -> Instrument? {
        guard let object = try FeedJSON.parse(body, venue) as? [String: Any] else { throw .malformed("binance exchangeInfo is not an object") }
        if let code = object["code"] as? Int, code == -1121 { return nil }   // Invalid symbol.
        guard let listed = (object["symbols"] as? [[String: Any]])?.first(where: { $0["symbol"] as? String == symbol }) else { return nil }
        let filters = listed["filters"] as? [[String: Any]] ?? []
        func filter(_ type: String) -> [String: Any]? { filters.first { $0["filterType"] as? String == type } }
        guard let base = listed["baseAsset"] as? String, let quote = listed["quoteAsset"] as? String else {
            throw .malformed("binance exchangeInfo \(symbol) without baseAsset/quoteAsset")
        }
        let tick = try FeedJSON.decimal(filter("PRICE_FILTER")?["tickSize"], "binance \(symbol) PRICE_FILTER.tickSize", Price.init)
        let step = try FeedJSON.decimal(filter("LOT_SIZE")?["stepSize"], "binance \(symbol) LOT_SIZE.stepSize", Quantity.init)
        let minimum = try FeedJSON.decimal((filter("NOTIONAL") ?? filter("MIN_NOTIONAL"))?["minNotional"], "binance \(symbol) minNotional", Money.init)
        guard tick.raw > 0, step.raw > 0, minimum.raw >= 0 else { throw .malformed("binance \(symbol) filters are not positive") }
        return Instrument(symbol: symbol, baseAsset: base, quoteAsset: quote, tickSize: tick, lotSize: step, minNotional: minimum)
    }

    public func requestWeight(headers: [(String, String)]) -> (used: Int, limit: Int)? {
        guard let used = headers.first(where: { $0.0.lowercased() == "x-mbx-used-weight-1m" }).flatMap({ Int($0.1) }) else { return nil }
        return (used, 6_000)
    }
}
