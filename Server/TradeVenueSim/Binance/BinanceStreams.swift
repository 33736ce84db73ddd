import Foundation
import Synchronization
import TradeCore

/// Binance's market streams over WebSocket, kline streams only
/// (`<symbol>@kline_<interval>`): raw (`/ws/<stream>`, or `/ws` and then
/// SUBSCRIBE), combined (`/stream?streams=a/b`, each message wrapped as
/// `{"stream": …, "data": …}`), and the live SUBSCRIBE / UNSUBSCRIBE /
/// LIST_SUBSCRIPTIONS requests. A name in the path that is not a kline stream
/// opens a connection without it (ccxt.pro connects to `/ws/0` and then
/// subscribes), as Binance does. A kline is pushed when it closes (`"x": true`),
/// at the wall time its close falls on at the market's speed; the files hold
/// no ticks inside a minute, so the forming candle's updates (`"x": false`)
/// are not sent.
public struct BinanceStreams: Sendable {
    public let core: VenueCore

    public init(core: VenueCore) { self.core = core }

    /// What a WebSocket path asks for: combined or raw, and the streams named in it; nil if it is not a stream path.
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

    /// A subscription: which symbol, which interval, and the open time of the next kline to push.
    struct Subscription {
        var symbol: Int
        var span: Int64
        var interval: String
        var nextOpen: Int64
    }

    /// One connection's subscriptions by stream name (shared by its reader and its writer).
    final class Subscriptions: Sendable {
        let state = Mutex<[String: Subscription]>([:])
    }

    /// `btcusdt@kline_1m` → its subscription starting at the kline being formed now; nil for anything else.
    func subscription(_ name: String, marketNow: Int64) -> Subscription? {
        let parts = name.split(separator: "@")
        guard parts.count == 2, parts[1].hasPrefix("kline_"), String(parts[0]) == parts[0].lowercased() else { return nil }
        let interval = String(parts[1].dropFirst("kline_".count))
        guard let minutes = BinanceAPI.intervals[interval],
              let symbol = core.withState({ $0.exchange.market.index(of: parts[0].uppercased()) }) else { return nil }
        let span = minutes * ReplayedMarket.barMilliseconds
        return Subscription(symbol: symbol, span: span, interval: interval, nextOpen: marketNow - ((marketNow % span) + span) % span)
    }

    func marketNow() -> Int64 {
        let wall = core.now()   // outside the lock: the venue's clock takes it too
        return core.withState { $0.exchange.market.marketTime(atWall: wall) }
    }

    /// Serves one connection until the client leaves: pushes klines as they close, answers requests.
    /// `read` calls its argument with every text message the client sends, until the connection closes.
    public func serve(read: @escaping @Sendable (@escaping @Sendable (String) async throws -> Void) async throws -> Void,
                      send: @escaping @Sendable (String) async throws -> Void,
                      combined: Bool, initial: [String]) async throws {
        let subs = Subscriptions()
        let now = marketNow()
        for name in initial {
            if let s = subscription(name, marketNow: now) { subs.state.withLock { $0[name] = s } }
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await read { text in try await send(self.answer(text, subs)) }
            }
            group.addTask {
                while !Task.isCancelled {
                    let wall = self.core.wallClock()
                    // The fault schedule: drop every connection in a disconnect window; lose, repeat or reorder messages.
                    if self.core.withState({ $0.faults.disconnects(at: wall) }) { return }
                    let due = self.due(subs, combined: combined)
                    for message in self.core.withState({ $0.faults.stream(due, at: wall) }) { try await send(message) }
                    try await Task.sleep(for: .milliseconds(self.pause(subs)))
                }
            }
            try await group.next()   // the client left, or the venue dropped the connection
            group.cancelAll()
        }
    }

    /// The klines that closed since they were last pushed, in close-time order, and the subscriptions moved past them.
    func due(_ subs: Subscriptions, combined: Bool) -> [String] {
        let wall = core.now()
        return core.withState { state in
            let market = state.exchange.market
            let now = market.marketTime(atWall: wall)
            var out: [(Int64, String, String)] = []
            subs.state.withLock { all in
                for (name, var s) in all {
                    let candles = market.series[s.symbol].candles
                    let closed = market.closedCount(s.symbol, at: now)
                    while s.nextOpen + s.span <= now {
                        let lo = Self.firstIndex(candles, atOrAfter: s.nextOpen), hi = Self.firstIndex(candles, atOrAfter: s.nextOpen + s.span)
                        if lo < min(hi, closed), let b = KlineBucket.aggregate(candles[lo..<min(hi, closed)], span: s.span).first {
                            let event = Self.klineEvent(b, s, market.series[s.symbol].rules.symbol, eventTime: wall)
                            out.append((b.openTime + s.span, name, combined ? JSONValue.object([("stream", .string(name)), ("data", event)]).text : event.text))
                        }
                        s.nextOpen += s.span
                    }
                    all[name] = s
                }
            }
            return out.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
    }

    /// Milliseconds until the next kline of any subscription closes, at the market's speed (at most 1 s, so new subscriptions start promptly).
    func pause(_ subs: Subscriptions) -> Int {
        let next = subs.state.withLock { $0.values.map { $0.nextOpen + $0.span }.min() }
        guard let next else { return 1_000 }
        let wall = core.now()
        let (start, wallStart, speed) = core.withState { ($0.exchange.market.start, $0.exchange.market.wallStart, $0.exchange.market.speed) }
        let due = wallStart + Int64((Double(next - start) / speed).rounded(.up))
        return Int(max(1, min(1_000, due - wall)))
    }

    static func firstIndex(_ candles: [Candle], atOrAfter t: Int64) -> Int {
        var lo = 0, hi = candles.count
        while lo < hi { let mid = (lo + hi) / 2; if candles[mid].openTime < t { lo = mid + 1 } else { hi = mid } }
        return lo
    }

    static func klineEvent(_ b: KlineBucket, _ s: Subscription, _ symbol: String, eventTime: Int64) -> JSONValue {
        func d(_ x: Double) -> JSONValue { .decimal(Decimal8(exactly: x)) }
        return .object([
            ("e", "kline"), ("E", .int(eventTime)), ("s", .string(symbol)),
            ("k", .object([("t", .int(b.openTime)), ("T", .int(b.openTime + s.span - 1)), ("s", .string(symbol)), ("i", .string(s.interval)),
                           ("f", -1), ("L", -1), ("o", d(b.candle.open)), ("c", d(b.candle.close)), ("h", d(b.candle.high)), ("l", d(b.candle.low)), ("v", d(b.candle.volume)),
                           ("n", 0), ("x", true), ("q", d(b.quoteVolume)), ("V", "0.00000000"), ("Q", "0.00000000"), ("B", "0")])),
        ])
    }

    /// A request on the connection, answered as Binance answers it.
    func answer(_ text: String, _ subs: Subscriptions) -> String {
        guard let object = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] else {
            return JSONValue.object([("error", .object([("code", 3), ("msg", "Invalid JSON: expected value at line 1 column 1")])), ("id", .null)]).text
        }
        let id: JSONValue = (object["id"] as? Int).map { .int(Int64($0)) } ?? (object["id"] as? String).map { .string($0) } ?? .null
        func error(_ msg: String) -> String { JSONValue.object([("error", .object([("code", 2), ("msg", .string(msg))])), ("id", id)]).text }
        let method = object["method"] as? String ?? ""
        let params = object["params"] as? [String] ?? []
        switch method {
        case "SUBSCRIBE":
            let now = marketNow()
            var added: [String: Subscription] = [:]
            for name in params {
                guard let s = subscription(name, marketNow: now) else { return error("Invalid request: unknown stream \(name)") }
                added[name] = s
            }
            subs.state.withLock { all in for (k, v) in added where all[k] == nil { all[k] = v } }
            return JSONValue.object([("result", .null), ("id", id)]).text
        case "UNSUBSCRIBE":
            subs.state.withLock { all in for name in params { all[name] = nil } }
            return JSONValue.object([("result", .null), ("id", id)]).text
        case "LIST_SUBSCRIPTIONS":
            let names = subs.state.withLock { $0.keys.sorted() }
            return JSONValue.object([("result", .array(names.map { .string($0) })), ("id", id)]).text
        default:
            return error("Invalid request: unknown variant `\(method)`, expected one of `SUBSCRIBE`, `UNSUBSCRIBE`, `LIST_SUBSCRIPTIONS`, `SET_PROPERTY`, `GET_PROPERTY`")
        }
    }
}

extension Array where Element == String {
    /// ["a", "b"] → ("a", "b"); ["a"] → ("a", "").
    var splitPair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
