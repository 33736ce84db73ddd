import TradeVenues
import Foundation
import TradeCore

/// Bybit v5's REST API for spot (`/v5/…`, `category=spot`) over the simulated
/// exchange: market time, instruments, klines, order create / cancel /
/// realtime / history, executions and the wallet balance, signed as Bybit
/// signs (`X-BAPI-*` headers), answered in Bybit's envelope
/// (`retCode`, `retMsg`, `result`, `retExtInfo`, `time`). Bybit refuses any
/// reused `orderLinkId` (110072), open or not.
public struct BybitAPI: Sendable {
    public let core: VenueCore

    public init(core: VenueCore) { self.core = core }

    /// The answer in a rate-limit storm (the fault schedule's): retCode 10006.
    public static let stormResponse = VenueResponse(status: 200, headers: [],
                                                    body: envelope(10006, "Too many visits!", .object([]), 0).text)

    enum Endpoint: String {
        case time = "GET /v5/market/time", instruments = "GET /v5/market/instruments-info", kline = "GET /v5/market/kline"
        case create = "POST /v5/order/create", cancel = "POST /v5/order/cancel", realtime = "GET /v5/order/realtime"
        case history = "GET /v5/order/history", executions = "GET /v5/execution/list", wallet = "GET /v5/account/wallet-balance"

        var signed: Bool { ![.time, .instruments, .kline].contains(self) }
    }

    public func respond(_ r: VenueRequest) -> VenueResponse {
        let wall = core.now()
        return core.withState { state in
            guard let endpoint = Endpoint(rawValue: "\(r.method) \(r.path)") else { return VenueResponse(status: 404, headers: [], body: "") }
            var headers: [(String, String)] = []
            do throws(BybitError) {
                var key = ""
                if endpoint.signed {
                    key = try Self.authenticate(r, wall: wall, state)
                    let (allowed, left, reset) = state.bybitLimiter.admit(key: key, endpoint: endpoint.rawValue, wall: wall)
                    headers += [("X-Bapi-Limit", String(state.bybitLimiter.perSecond)), ("X-Bapi-Limit-Status", String(left)),
                                ("X-Bapi-Limit-Reset-Timestamp", String(reset))]
                    guard allowed else { throw .tooManyVisits }
                }
                let params = try Self.parameters(r)
                let result = try handle(endpoint, params, key: key, wall: wall, &state)
                return VenueResponse(status: 200, headers: headers, body: Self.envelope(0, "OK", result, wall).text)
            } catch {
                return VenueResponse(status: 200, headers: headers, body: Self.envelope(error.code, error.message, .object([]), wall).text)
            }
        }
    }

    static func envelope(_ code: Int, _ message: String, _ result: JSONValue, _ wall: Int64) -> JSONValue {
        .object([("retCode", .int(Int64(code))), ("retMsg", .string(message)), ("result", result), ("retExtInfo", .object([])), ("time", .int(wall))])
    }

    /// The parameters: the query of a GET, the JSON object of a POST (values as strings).
    static func parameters(_ r: VenueRequest) throws(BybitError) -> [String: String] {
        guard r.method == "POST" else { return r.parameters }
        guard let object = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any] else {
            throw .parameter("the body is not a JSON object")
        }
        var out: [String: String] = [:]
        for (k, v) in object {
            switch v {
            case let s as String: out[k] = s
            case let b as Bool: out[k] = b ? "true" : "false"
            case let n as NSNumber: out[k] = n.stringValue
            default: throw .parameter("\(k) has an unsupported type")
            }
        }
        return out
    }

    /// The X-BAPI-* headers: key, timestamp within the receive window, signature.
    static func authenticate(_ r: VenueRequest, wall: Int64, _ s: VenueCore.State) throws(BybitError) -> String {
        guard let key = r.header("X-BAPI-API-KEY"), let account = s.exchange.account(key) else { throw .invalidKey }
        guard let stamp = r.header("X-BAPI-TIMESTAMP"), let timestamp = Int64(stamp) else { throw .parameter("X-BAPI-TIMESTAMP missing") }
        let windowText = r.header("X-BAPI-RECV-WINDOW") ?? "5000"
        guard let window = Int64(windowText), window > 0 else { throw .parameter("X-BAPI-RECV-WINDOW invalid") }
        guard let signature = r.header("X-BAPI-SIGN") else { throw .badSignature }
        let payload = r.method == "POST" ? r.body : r.query
        guard BybitSignature.sign(timestamp: stamp, apiKey: key, recvWindow: windowText, payload: payload, secret: account.secret)
                == signature.lowercased() else { throw .badSignature }
        // Bybit: server_time - recv_window <= timestamp < server_time + 1000.
        guard timestamp >= wall - window, timestamp < wall + 1_000 else { throw .timestamp }
        return key
    }

    func handle(_ e: Endpoint, _ p: [String: String], key: String, wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        if e != .time, e != .wallet {
            guard p["category"] == "spot" else { throw .parameter("category: only spot is served") }
        }
        switch e {
        case .time:
            return .object([("timeSecond", .string(String(wall / 1000))), ("timeNano", .string(String(wall) + "000000"))])
        case .instruments: return try Self.instruments(p, s)
        case .kline: return try Self.kline(p, wall, &s)
        case .create: return try Self.create(p, key, wall, &s)
        case .cancel: return try Self.cancel(p, key, wall, &s)
        case .realtime: return try Self.orders(p, key, wall, &s, open: true)
        case .history: return try Self.orders(p, key, wall, &s, open: false)
        case .executions: return try Self.executions(p, key, wall, &s)
        case .wallet: return try Self.wallet(p, key, wall, &s)
        }
    }

    static func symbol(_ p: [String: String], _ s: VenueCore.State, required: Bool = true) throws(BybitError) -> Int? {
        guard let name = p["symbol"], !name.isEmpty else {
            if required { throw .parameter("symbol is required") }
            return nil
        }
        guard let i = s.exchange.market.index(of: name) else { throw .unknownSymbol }
        return i
    }

    static func integer(_ p: [String: String], _ name: String) throws(BybitError) -> Int64? {
        guard let text = p[name], !text.isEmpty else { return nil }
        guard let n = Int64(text) else { throw .parameter("\(name) must be an integer") }
        return n
    }
}
