import Foundation
import Synchronization
import TradeCore

/// What differs between venues' kline streams: the paths, the names of the
/// streams (topics), how a closed kline is written and how requests on the
/// connection are answered. `KlineStreamHub` does the rest for every venue.
public protocol KlineStreamDialect: Sendable {
    init()
    /// The streams a WebSocket path asks for, and whether messages are wrapped as combined; nil: not a stream path.
    static func route(_ path: String) -> (combined: Bool, streams: [String])?
    /// A stream's symbol and interval (in minutes, with the venue's name for it); nil for anything else.
    func parse(_ name: String) -> (symbol: String, interval: String, minutes: Int64)?
    /// One closed kline of stream `name`, as the venue pushes it.
    func message(_ bucket: KlineBucket, stream name: String, symbol: String, interval: String, span: Int64, wall: Int64, combined: Bool) -> String
    /// The answer to a request sent on the connection (subscribe, unsubscribe, list, ping…).
    func answer<D>(_ text: String, hub: KlineStreamHub<D>, subs: KlineStreamHub<D>.Subscriptions) -> String
}

/// What the server asks of a venue's streams: which WebSocket paths are
/// theirs, and serving one connection.
public protocol StreamService: Sendable {
    func streams(forPath path: String) -> (combined: Bool, streams: [String])?
    func serve(read: @escaping @Sendable (@escaping @Sendable (String) async throws -> Void) async throws -> Void,
               send: @escaping @Sendable (String) async throws -> Void, combined: Bool, initial: [String]) async throws
}

/// A venue's kline streams over WebSocket: subscriptions per connection, each
/// kline pushed when it closes — at the wall time its close falls on at the
/// market's speed, or at `--speed max` as soon as every reader has read the
/// last (`StreamReaders`) — through the fault schedule (disconnects, a stale feed,
/// duplicates, reordering). The files hold no ticks inside a minute, so no
/// updates of the forming kline are sent.
public struct KlineStreamHub<Dialect: KlineStreamDialect>: StreamService {
    public let core: VenueCore
    let dialect = Dialect()

    public init(core: VenueCore) { self.core = core }

    public static func route(_ path: String) -> (combined: Bool, streams: [String])? { Dialect.route(path) }
    public func streams(forPath path: String) -> (combined: Bool, streams: [String])? { Dialect.route(path) }

    /// A subscription: which symbol, which interval, and the open time of the next kline to push.
    public struct Subscription: Sendable {
        var symbol: Int
        var span: Int64
        var interval: String
        var nextOpen: Int64
    }

    /// One connection's subscriptions by stream name (shared by its reader and its writer).
    public final class Subscriptions: Sendable {
        let state = Mutex<[String: Subscription]>([:])
    }

    /// A stream name → its subscription starting at the kline being formed now; nil for anything else.
    func subscription(_ name: String, marketNow: Int64) -> Subscription? {
        guard let (symbolName, interval, minutes) = dialect.parse(name),
              let symbol = core.withState({ $0.exchange.market.index(of: symbolName) }) else { return nil }
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
                let reader = self.core.withState { $0.readers.join() }
                defer { self.core.withState { $0.readers.leave(reader) } }
                while !Task.isCancelled {
                    let wall = self.core.wallClock()
                    // The fault schedule: drop every connection in a disconnect window; lose, repeat or reorder messages.
                    if self.core.withState({ $0.faults.disconnects(at: wall) }) { return }
                    let due = self.due(subs, combined: combined)
                    for message in self.core.withState({ $0.faults.stream(due, at: wall) }) { try await send(message) }
                    if self.stepIfAllRead(reader, subs) { continue }
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
                        let lo = candles.partitionIndex { $0.openTime >= s.nextOpen }
                        let hi = candles.partitionIndex { $0.openTime >= s.nextOpen + s.span }
                        if lo < min(hi, closed), let b = KlineBucket.aggregate(candles[lo..<min(hi, closed)], span: s.span).first {
                            out.append((b.openTime + s.span, name,
                                        dialect.message(b, stream: name, symbol: market.series[s.symbol].rules.symbol, interval: s.interval,
                                                        span: s.span, wall: wall, combined: combined)))
                        }
                        s.nextOpen += s.span
                    }
                    all[name] = s
                }
            }
            return out.sorted { ($0.0, $0.1) < ($1.0, $1.1) }.map(\.2)
        }
    }

    /// The close of the next kline this connection is owed (nil: no subscription).
    func nextClose(_ subs: Subscriptions) -> Int64? { subs.state.withLock { $0.values.map { $0.nextOpen + $0.span }.min() } }

    /// At a reader-paced market: records that this connection has been sent what closed, and moves the
    /// market a bar on if every reader has; true if it moved (the connection then has a kline to send).
    func stepIfAllRead(_ reader: UInt64, _ subs: Subscriptions) -> Bool {
        let next = nextClose(subs)
        let wall = core.now()
        return core.withState { state in
            guard state.exchange.market.pace == .readers else { return false }
            state.readers.update(reader, nextClose: next)
            guard state.readers.allCaughtUp(at: state.exchange.market.marketTime(atWall: wall)) else { return false }
            return state.exchange.stepMarket(wall: wall)
        }
    }

    /// Milliseconds until the next kline of any subscription closes, at the market's speed (at most 1 s, so new
    /// subscriptions start promptly); at a reader-paced market, a short wait for the other readers.
    func pause(_ subs: Subscriptions) -> Int {
        guard let next = nextClose(subs) else { return 1_000 }
        let wall = core.now()
        guard let due = core.withState({ $0.exchange.market.wallTime(atMarket: next) }) else { return 2 }
        return Int(max(1, min(1_000, due - wall)))
    }

    /// Adds the named streams (all or none: false if one is not a stream this venue serves).
    func subscribe(_ names: [String], _ subs: Subscriptions) -> Bool {
        let now = marketNow()
        var added: [String: Subscription] = [:]
        for name in names {
            guard let s = subscription(name, marketNow: now) else { return false }
            added[name] = s
        }
        subs.state.withLock { all in for (k, v) in added where all[k] == nil { all[k] = v } }
        return true
    }

    func unsubscribe(_ names: [String], _ subs: Subscriptions) {
        subs.state.withLock { all in for name in names { all[name] = nil } }
    }

    func names(_ subs: Subscriptions) -> [String] { subs.state.withLock { $0.keys.sorted() } }

    /// A request on the connection, answered in the venue's words.
    func answer(_ text: String, _ subs: Subscriptions) -> String { dialect.answer(text, hub: self, subs: subs) }
}

extension Array where Element == String {
    /// ["a", "b"] → ("a", "b"); ["a"] → ("a", "").
    var splitPair: (String, String) { (first ?? "", count > 1 ? self[1] : "") }
}
