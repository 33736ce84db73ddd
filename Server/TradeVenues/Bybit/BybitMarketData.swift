import Foundation
import TradeCore

/// Bybit v5 spot market data: `GET /v5/market/time`, `GET /v5/market/kline`
/// (`result.list`, newest first, strings, up to 1000), and the public stream
/// `/v5/public/spot` with `kline.1.<SYMBOL>` topics (`confirm` = closed), which
/// wants a `{"op":"ping"}` at least every 20 seconds.
public struct BybitMarketData: MarketDataDialect {
    public init() {}

    public var venue: String { "bybit" }
    public var productionEndpoint: String { "https://api.bybit.com" }
    public var testnetEndpoint: String { "https://api-testnet.bybit.com" }
    public var klinesPerRequest: Int { 1_000 }
    public var keepAlive: (message: String, everyMilliseconds: Int64)? { ("{\"op\":\"ping\"}", 20_000) }

    public func serverTimeRequest() -> String { "/v5/market/time" }

    public func serverTime(from body: Data) throws(VenueFeedError) -> Int64 {
        let result = try Self.result(body)
        if let nano = result["timeNano"] { return try FeedJSON.integer(nano, "bybit timeNano") / 1_000_000 }
        return try FeedJSON.integer(result["timeSecond"], "bybit timeSecond") * 1_000
    }

    /// Both ends given: with `start` alone Bybit answers the newest candles, not those after it.
    public func klinesRequest(symbol: String, start: Int64, limit: Int) -> String {
        let end = start + Int64(limit) * CandleMerger.minute - 1
        return "/v5/market/kline?category=spot&symbol=\(symbol)&interval=1&start=\(start)&end=\(end)&limit=\(limit)"
    }

    public func klines(from body: Data) throws(VenueFeedError) -> [Candle] {
        guard let list = try Self.result(body)["list"] as? [Any] else { throw .malformed("bybit kline result has no list") }
        var candles: [Candle] = []
        candles.reserveCapacity(list.count)
        for (i, row) in list.enumerated() {
            guard let f = row as? [Any], f.count >= 6 else { throw .malformed("bybit kline \(i) is not an array of at least 6 fields") }
            let t = try FeedJSON.integer(f[0], "bybit kline start")
            candles.append(try FeedJSON.candle(openTime: t, try FeedJSON.number(f[1], "open"), try FeedJSON.number(f[2], "high"),
                                               try FeedJSON.number(f[3], "low"), try FeedJSON.number(f[4], "close"),
                                               try FeedJSON.number(f[5], "volume"), venue))
        }
        return candles.reversed()
    }

    public func streamURL(restEndpoint: String) -> String { LiveEndpoints.webSocketURL(restEndpoint, path: "/v5/public/spot") }

    public func subscribeMessages(symbols: [String]) -> [String] {
        // Bybit's spot stream takes at most 10 topics per subscribe request.
        stride(from: 0, to: symbols.count, by: 10).map { i in
            let args = symbols[i..<min(i + 10, symbols.count)].map { "\"kline.1.\($0)\"" }.joined(separator: ",")
            return "{\"op\":\"subscribe\",\"args\":[\(args)]}"
        }
    }

    public func streamMessage(_ text: String) throws(VenueFeedError) -> StreamMessage {
        guard let object = try FeedJSON.parse(Data(text.utf8), venue) as? [String: Any] else {
            throw .malformed("bybit stream frame is not an object: \(text.prefix(200))")
        }
        guard let topic = object["topic"] as? String else {
            if object["success"] as? Bool == false {
                throw VenueFeedError(.refused, "bybit refused a stream request: \(object["ret_msg"] ?? text.prefix(200))")
            }
            return .control
        }
        guard topic.hasPrefix("kline.1.") else { return .control }
        let symbol = String(topic.dropFirst("kline.1.".count))
        guard let data = object["data"] as? [Any], let bar = data.last as? [String: Any] else {
            throw .malformed("bybit kline frame without data: \(text.prefix(200))")
        }
        guard let closed = bar["confirm"] as? Bool else { throw .malformed("bybit kline without confirm") }
        let t = try FeedJSON.integer(bar["start"], "bybit kline start")
        let candle = try FeedJSON.candle(openTime: t, try FeedJSON.number(bar["open"], "open"), try FeedJSON.number(bar["high"], "high"),
                                         try FeedJSON.number(bar["low"], "low"), try FeedJSON.number(bar["close"], "close"),
                                         try FeedJSON.number(bar["volume"], "volume"), venue)
        return .kline(symbol: symbol, candle: candle, closed: closed)
    }

    public func instrumentRequest(symbol: String) -> String { "/v5/market/instruments-info?category=spot&symbol=\(symbol)" }

    /// priceFilter.tickSize, lotSizeFilter.basePrecision (the quantity step) and lotSizeFilter.minOrderAmt (quote).
    public func instrument(symbol: String, from body: Data) throws(VenueFeedError) -> Instrument? {
        guard let listed = (try Self.result(body)["list"] as? [[String: Any]])?.first(where: { $0["symbol"] as? String == symbol }) else { return nil }
        guard let base = listed["baseCoin"] as? String, let quote = listed["quoteCoin"] as? String else {
            throw .malformed("bybit instruments-info \(symbol) without baseCoin/quoteCoin")
        }
        let lot = listed["lotSizeFilter"] as? [String: Any]
        let tick = try FeedJSON.decimal((listed["priceFilter"] as? [String: Any])?["tickSize"], "bybit \(symbol) priceFilter.tickSize", Price.init)
        let step = try FeedJSON.decimal(lot?["basePrecision"], "bybit \(symbol) lotSizeFilter.basePrecision", Quantity.init)
        let minimum = try FeedJSON.decimal(lot?["minOrderAmt"], "bybit \(symbol) lotSizeFilter.minOrderAmt", Money.init)
        guard tick.raw > 0, step.raw > 0, minimum.raw >= 0 else { throw .malformed("bybit \(symbol) filters are not positive") }
        return Instrument(symbol: symbol, baseAsset: base, quoteAsset: quote, tickSize: tick, lotSize: step, minNotional: minimum)
    }

    /// Bybit reports the per-endpoint limit's remainder, not a weight.
    public func requestWeight(headers: [(String, String)]) -> (used: Int, limit: Int)? {
        func header(_ name: String) -> Int? { headers.first { $0.0.lowercased() == name }.flatMap { Int($0.1) } }
        guard let limit = header("x-bapi-limit"), let remaining = header("x-bapi-limit-status") else { return nil }
        return (limit - remaining, limit)
    }

    private static func result(_ body: Data) throws(VenueFeedError) -> [String: Any] {
        guard let object = try FeedJSON.parse(body, "bybit") as? [String: Any] else { throw .malformed("bybit answer is not an object") }
        let code = (try? FeedJSON.integer(object["retCode"], "retCode")) ?? -1
        guard code == 0 else { throw VenueFeedError(.refused, "bybit retCode \(code): \(object["retMsg"] as? String ?? "")") }
        guard let result = object["result"] as? [String: Any] else { throw .malformed("bybit answer has no result") }
        return result
    }
}
