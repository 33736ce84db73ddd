import Foundation

/// Binance's kline streams (`<symbol>@kline_<interval>`): raw (`/ws/<stream>`,
/// or `/ws` and then SUBSCRIBE), combined (`/stream?streams=a/b`, each message
/// wrapped as `{"stream": …, "data": …}`), and the live SUBSCRIBE /
/// UNSUBSCRIBE / LIST_SUBSCRIPTIONS requests. A name in the path that is not a
/// kline stream opens a connection without it (ccxt.pro connects to `/ws/0`
/// and then subscribes), as Binance does. Klines are pushed closed (`"x": true`).
public typealias BinanceStreams = KlineStreamHub<BinanceStreamDialect>

public struct BinanceStreamDialect: KlineStreamDialect {
    public init() {}

    public static func route(_ path: String) -> (combined: Bool, streams: [String])? {
        let (p, query) = path.split(separator: "?", maxSplits: 1).map(String.init).splitPair
        if p == "/ws" || p == "/ws/" { return (false, []) }
        if p.hasPrefix("/ws/") { return (false, [String(p.dropFirst(4))]) }
        if p == "/stream" {
            let streams = query.split(separator: "&").first { $0.hasPrefix("streams=") }
                .map { $0.dropFirst("streams=".count).split(separator: "/").map(String.init) } ?? []
            return (true, streams)
        }
        return nil
    }

    public func parse(_ name: String) -> (symbol: String, interval: String, minutes: Int64)? {
        let parts = name.split(separator: "@")
        guard parts.count == 2, parts[1].hasPrefix("kline_"), String(parts[0]) == parts[0].lowercased() else { return nil }
        let interval = String(parts[1].dropFirst("kline_".count))
        guard let minutes = BinanceAPI.intervals[interval] else { return nil }
        return (parts[0].uppercased(), interval, minutes)
    }

    public func message(_ b: KlineBucket, stream name: String, symbol: String, interval: String, span: Int64, wall: Int64, combined: Bool) -> String {
        func d(_ x: Double) -> JSONValue { .decimal(Decimal8(exactly: x)) }
        let c = b.candle
        let event = JSONValue.object([
            ("e", "kline"), ("E", .int(wall)), ("s", .string(symbol)),
            ("k", .object([("t", .int(b.openTime)), ("T", .int(b.openTime + span - 1)), ("s", .string(symbol)), ("i", .string(interval)),
                           ("f", -1), ("L", -1), ("o", d(c.open)), ("c", d(c.close)), ("h", d(c.high)), ("l", d(c.low)), ("v", d(c.volume)),
                           ("n", 0), ("x", true), ("q", d(b.quoteVolume)), ("V", "0.00000000"), ("Q", "0.00000000"), ("B", "0")])),
        ])
        return combined ? JSONValue.object([("stream", .string(name)), ("data", event)]).text : event.text
    }

    public func answer<D>(_ text: String, hub: KlineStreamHub<D>, subs: KlineStreamHub<D>.Subscriptions) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return JSONValue.object([("error", .object([("code", 3), ("msg", "Invalid JSON: expected value at line 1 column 1")])), ("id", .null)]).text
        }
        let id: JSONValue = (object["id"] as? Int).map { .int(Int64($0)) } ?? (object["id"] as? String).map { .string($0) } ?? .null
        func error(_ msg: String) -> String { JSONValue.object([("error", .object([("code", 2), ("msg", .string(msg))])), ("id", id)]).text }
        let method = object["method"] as? String ?? ""
        let params = object["params"] as? [String] ?? []
        switch method {
        case "SUBSCRIBE":
            guard hub.subscribe(params, subs) else { return error("Invalid request: unknown stream in \(params)") }
            return JSONValue.object([("result", .null), ("id", id)]).text
        case "UNSUBSCRIBE":
            hub.unsubscribe(params, subs)
            return JSONValue.object([("result", .null), ("id", id)]).text
        case "LIST_SUBSCRIPTIONS":
            return JSONValue.object([("result", .array(hub.names(subs).map { .string($0) })), ("id", id)]).text
        default:
            return error("Invalid request: unknown variant `\(method)`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`")
        }
    }
}
