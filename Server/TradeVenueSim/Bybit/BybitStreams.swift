import Foundation

/// Bybit v5's public spot kline topic (`kline.<interval>.<SYMBOL>`) on
/// `/v5/public/spot`: `{"op": "subscribe", "args": [...]}`, `unsubscribe` and
/// `ping`, answered with `success`/`ret_msg`; klines pushed closed
/// (`"confirm": true`) as `{"topic", "data": [...], "ts", "type": "snapshot"}`.
public typealias BybitStreams = KlineStreamHub<BybitStreamDialect>

public struct BybitStreamDialect: KlineStreamDialect {
    public init() {}

    public static func route(_ path: String) -> (combined: Bool, streams: [String])? {
        path.split(separator: "?").first == "/v5/public/spot" ? (false, []) : nil
    }

    public func parse(_ name: String) -> (symbol: String, interval: String, minutes: Int64)? {
        let parts = name.split(separator: ".")
        guard parts.count == 3, parts[0] == "kline", let minutes = BybitAPI.intervals[String(parts[1])] else { return nil }
        return (String(parts[2]), String(parts[1]), minutes)
    }

    public func message(_ b: KlineBucket, stream name: String, symbol: String, interval: String, span: Int64, wall: Int64, combined: Bool) -> String {
        let c = b.candle
        return JSONValue.object([
            ("topic", .string(name)),
            ("data", [.object([("start", .int(b.openTime)), ("end", .int(b.openTime + span - 1)), ("interval", .string(interval)),
                               ("open", BybitFormat.number(c.open)), ("close", BybitFormat.number(c.close)), ("high", BybitFormat.number(c.high)),
                               ("low", BybitFormat.number(c.low)), ("volume", BybitFormat.number(c.volume)),
                               ("turnover", BybitFormat.number(b.quoteVolume)), ("confirm", true), ("timestamp", .int(wall))])]),
            ("ts", .int(wall)), ("type", "snapshot"),
        ]).text
    }

    public func answer<D>(_ text: String, hub: KlineStreamHub<D>, subs: KlineStreamHub<D>.Subscriptions) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return JSONValue.object([("success", false), ("ret_msg", "error:request not json"), ("conn_id", "sim"), ("op", "")]).text
        }
        let op = object["op"] as? String ?? ""
        let args = object["args"] as? [String] ?? []
        var fields: [(String, JSONValue)] = []
        func reply(_ ok: Bool, _ message: String) -> String {
            fields = [("success", .bool(ok)), ("ret_msg", .string(message)), ("conn_id", "sim")]
            if let id = object["req_id"] as? String { fields.append(("req_id", .string(id))) }
            fields.append(("op", .string(op)))
            return JSONValue.object(fields).text
        }
        switch op {
        case "subscribe":
            guard hub.subscribe(args, subs) else { return reply(false, "error:handler not found,topics:\(args.joined(separator: ","))") }
            return reply(true, "subscribe")
        case "unsubscribe":
            hub.unsubscribe(args, subs)
            return reply(true, "unsubscribe")
        case "ping":
            return reply(true, "pong")
        default:
            return reply(false, "error:unknown op \(op)")
        }
    }
}
