import Foundation
import TradeCore

/// One venue's market-data wire format: where its REST and WebSocket live,
/// what a request for server time or klines looks like, and how to read the
/// answers. Pure (no I/O), so each venue's parsing is tested on its own bytes;
/// `LiveKlineFeed` does the talking for all of them.
public protocol MarketDataDialect: Sendable {
    /// "binance", "bybit".
    var venue: String { get }
    /// REST base URLs of the real venue and its testnet.
    var productionEndpoint: String { get }
    var testnetEndpoint: String { get }
    /// The most klines one REST request returns.
    var klinesPerRequest: Int { get }

    /// Path and query of the server-time request.
    func serverTimeRequest() -> String
    /// The venue's clock (Unix ms) from that request's body.
    func serverTime(from body: Data) throws(VenueFeedError) -> Int64
    /// Path and query for up to `limit` one-minute klines of `symbol` opening at or after `start`.
    func klinesRequest(symbol: String, start: Int64, limit: Int) -> String
    /// The klines in a response body, oldest first (closed or not: the feed keeps the closed ones).
    func klines(from body: Data) throws(VenueFeedError) -> [Candle]
    /// The WebSocket URL for a REST base URL.
    func streamURL(restEndpoint: String) -> String
    /// Text frames that subscribe to the one-minute klines of `symbols`.
    func subscribeMessages(symbols: [String]) -> [String]
    /// A keep-alive frame the venue expects from the client, if any, and how often.
    var keepAlive: (message: String, everyMilliseconds: Int64)? { get }
    /// What a text frame from the stream says.
    func streamMessage(_ text: String) throws(VenueFeedError) -> StreamMessage
    /// Used and allowed request weight from a response's headers, when the venue reports it.
    func requestWeight(headers: [(String, String)]) -> (used: Int, limit: Int)?
    /// Path and query of the request for `symbol`'s trading rules.
    func instrumentRequest(symbol: String) -> String
    /// `symbol`'s trading rules (tick, lot step, minimum notional) from that request's body;
    /// nil when the venue does not list the symbol.
    func instrument(symbol: String, from body: Data) throws(VenueFeedError) -> Instrument?
}

/// A frame of a kline stream, read.
public enum StreamMessage: Sendable, Equatable {
    /// A kline update; `closed` when the venue says the candle is final.
    case kline(symbol: String, candle: Candle, closed: Bool)
    /// Subscription acknowledgements, pongs and anything else the feed can ignore.
    case control
}

/// A failure talking to a venue, with what it was doing.
public struct VenueFeedError: Error, CustomStringConvertible, Sendable, Equatable {
    public enum Kind: String, Sendable { case transport, http, rateLimited, malformed, refused }
    public let kind: Kind
    public let description: String
    /// Seconds the venue asked us to wait (HTTP 429/418 Retry-After).
    public var retryAfterSeconds: Int?

    public init(_ kind: Kind, _ description: String, retryAfterSeconds: Int? = nil) {
        self.kind = kind
        self.description = description
        self.retryAfterSeconds = retryAfterSeconds
    }

    public static func malformed(_ what: String) -> VenueFeedError { VenueFeedError(.malformed, what) }
}

/// JSON reading shared by the dialects: every shape check fails with the venue and what was wrong.
enum FeedJSON {
    static func parse(_ body: Data, _ venue: String) throws(VenueFeedError) -> Any {
        do { return try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) }
        catch { throw .malformed("\(venue) sent a body that is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))") }
    }

    static func number(_ value: Any?, _ what: String) throws(VenueFeedError) -> Double {
        switch value {
        case let s as String:
            guard let d = Double(s), d.isFinite else { throw .malformed("\(what) is not a number: \(s)") }
            return d
        // (Not `!(n is Bool)`: on Linux every NSNumber 0 or 1 casts to Bool.)
        case let n as NSNumber: return n.doubleValue
        default: throw .malformed("\(what) is missing or not a number")
        }
    }

    static func integer(_ value: Any?, _ what: String) throws(VenueFeedError) -> Int64 {
        switch value {
        case let s as String:
            guard let i = Int64(s) else { throw .malformed("\(what) is not an integer: \(s)") }
            return i
        case let n as NSNumber:
            guard let i = Int64(exactly: n.doubleValue) ?? Int64(n.stringValue) else { throw .malformed("\(what) is not an integer: \(n)") }
            return i
        default: throw .malformed("\(what) is missing or not an integer")
        }
    }

    /// A candle that passes the candle files' own row rules (so a feed accepts exactly what a file would).
    static func candle(openTime: Int64, _ o: Double, _ h: Double, _ l: Double, _ c: Double, _ v: Double,
                       _ venue: String) throws(VenueFeedError) -> Candle {
        guard RowRules.check(open: o, high: h, low: l, close: c, volume: v) == nil else {
            throw .malformed("\(venue) kline at \(openTime) is inconsistent: open \(o) high \(h) low \(l) close \(c) volume \(v)")
        }
        return Candle(openTime: openTime, open: o, high: h, low: l, close: c, volume: v)
    }
}

extension FeedJSON {
    /// A venue's decimal text (filters are strings, "0.01000000") as the exact value `make` builds, or malformed.
    /// (`make` parses through `parseScaledDecimal`, which already takes zeros past the scale.)
    static func decimal<T>(_ value: Any?, _ what: String, _ make: (String) -> T?) throws(VenueFeedError) -> T {
        guard let text = value as? String, let v = make(text) else {
            throw .malformed("\(what) is not a decimal: \(String(describing: value))")
        }
        return v
    }
}
