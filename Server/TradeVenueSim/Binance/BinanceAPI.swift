import TradeVenues
import TradeCore

/// Binance Spot's REST API (`/api/v3/…`) over the simulated exchange: the
/// endpoints, their weights, parameters, signatures and answers as Binance's
/// docs give them. Framework-free (a request in, a response out), so it is
/// tested without sockets; `VenueSimServer` puts it on HTTP.
public struct BinanceAPI: Sendable {
    public let core: VenueCore
    /// The client everything is rate-limited as: on loopback every client is one address, as at Binance.
    static let client = "127.0.0.1"

    public init(core: VenueCore) { self.core = core }

    /// The answer in a rate-limit storm (the fault schedule's): 429, -1003, retry in a second.
    public static let stormResponse = VenueResponse(
        status: 429, headers: [("Retry-After", "1")],
        body: BinanceError(status: 429, code: -1003, "Too many requests; current limit is 6000 request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.").json)

    /// The endpoints served, by method and path, with Binance's request weights.
    enum Endpoint: String, CaseIterable {
        case ping = "GET /api/v3/ping", time = "GET /api/v3/time", exchangeInfo = "GET /api/v3/exchangeInfo",
             klines = "GET /api/v3/klines", newOrder = "POST /api/v3/order", queryOrder = "GET /api/v3/order",
             cancelOrder = "DELETE /api/v3/order", openOrders = "GET /api/v3/openOrders", myTrades = "GET /api/v3/myTrades",
             account = "GET /api/v3/account"

        func weight(_ r: VenueRequest) -> Int {
            switch self {
            case .ping, .time, .newOrder, .cancelOrder: return 1
            case .klines: return 2
            case .queryOrder: return 4
            case .exchangeInfo, .account: return 20
            case .openOrders: return r["symbol"] == nil ? 80 : 6
            case .myTrades: return r["orderId"] == nil ? 20 : 5
            }
        }

        var signed: Bool { ![.ping, .time, .exchangeInfo, .klines].contains(self) }

        func handle(_ r: VenueRequest, key: String, wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
            switch self {
            case .ping: return .object([])
            case .time: return .object([("serverTime", .int(wall))])
            case .exchangeInfo: return try BinanceAPI.exchangeInfo(r, wall, s)
            case .klines: return try BinanceAPI.klines(r, wall, &s)
            case .newOrder: return try BinanceAPI.newOrder(r, key, wall, &s)
            case .queryOrder: return try BinanceAPI.queryOrder(r, key, wall, &s)
            case .cancelOrder: return try BinanceAPI.cancelOrder(r, key, wall, &s)
            case .openOrders: return try BinanceAPI.openOrders(r, key, wall, &s)
            case .myTrades: return try BinanceAPI.myTrades(r, key, wall, &s)
            case .account: return try BinanceAPI.account(r, key, wall, &s)
            }
        }
    }

    public func respond(_ request: VenueRequest) -> VenueResponse {
        let wall = core.now()
        return core.withState { state in
            guard let route = Endpoint(rawValue: "\(request.method) \(request.path)") else {
                return VenueResponse(status: 404, headers: [], body: "")
            }
            var headers: [(String, String)] = []
            switch state.limiter.admit(client: Self.client, weight: route.weight(request), wall: wall) {
            case .allowed(let used):
                headers.append(("X-MBX-USED-WEIGHT-1M", String(used)))
            case .tooMany(let used, let retry):
                let limit = state.limiter.limit
                return VenueResponse(status: 429, headers: [("X-MBX-USED-WEIGHT-1M", String(used)), ("Retry-After", String(retry))],
                                       body: BinanceError(status: 429, code: -1003, "Too much request weight used; current limit is \(limit) request weight per 1 MINUTE. Please use WebSocket Streams for live updates to avoid polling the API.").json)
            case .banned(let until, let retry):
                return VenueResponse(status: 418, headers: [("Retry-After", String(retry))],
                                       body: BinanceError(status: 418, code: -1003, "Way too much request weight used; IP banned until \(until). Please use WebSocket Streams for live updates to avoid bans.").json)
            }
            do throws(BinanceError) {
                let key = route.signed ? try Self.authenticate(request, wall: wall, state) : ""
                let value = try route.handle(request, key: key, wall: wall, &state)
                return VenueResponse(status: 200, headers: headers, body: value.text)
            } catch {
                return VenueResponse(status: error.status, headers: headers, body: error.json)
            }
        }
    }

    /// SIGNED endpoint security: the API key, `timestamp` within `recvWindow`, the HMAC signature.
    static func authenticate(_ r: VenueRequest, wall: Int64, _ s: VenueCore.State) throws(BinanceError) -> String {
        guard let key = r.header("X-MBX-APIKEY"), !key.isEmpty, key.count <= 256 else { throw .apiKeyFormat }
        guard let account = s.exchange.account(key) else { throw .invalidKey }
        guard let stamp = r["timestamp"] else { throw .mandatory("timestamp") }
        guard let timestamp = Int64(stamp) else { throw .illegal("timestamp", "^[0-9]{1,20}$") }
        let window = try r["recvWindow"].map { text throws(BinanceError) -> Int64 in
            guard let w = Int64(text), w > 0 else { throw .illegal("recvWindow", "^[0-9]{1,20}$") }
            return w
        } ?? 5_000
        guard window <= 60_000 else { throw .recvWindowTooLarge }
        let (signed, signature) = BinanceSignature.split(query: r.query, body: r.body)
        guard let signature, !signature.isEmpty else { throw .mandatory("signature") }
        guard BinanceSignature.sign(signed, secret: account.secret) == signature.lowercased() else { throw .badSignature }
        if timestamp > wall + 1_000 { throw .aheadOfServer }
        if wall - timestamp >= window { throw .outsideRecvWindow }
        return key
    }

    // MARK: - Parameters

    static func symbol(_ r: VenueRequest, _ s: VenueCore.State) throws(BinanceError) -> Int {
        guard let name = r["symbol"] else { throw .mandatory("symbol") }
        guard let i = s.exchange.market.index(of: name) else { throw .invalidSymbol }
        return i
    }

    static func decimal(_ r: VenueRequest, _ name: String) throws(BinanceError) -> Decimal8? {
        guard let text = r[name] else { return nil }
        guard let d = Decimal8(text), d.raw > 0 else { throw .illegal(name, "^([0-9]{1,20})(\\.[0-9]{1,20})?$") }
        return d
    }

    static func integer(_ r: VenueRequest, _ name: String) throws(BinanceError) -> Int64? {
        guard let text = r[name] else { return nil }
        guard let n = Int64(text) else { throw .illegal(name, "^[0-9]{1,20}$") }
        return n
    }

    static let clientIDPattern = "^[\\.A-Z\\:/a-z0-9_-]{1,36}$"
    static func clientID(_ r: VenueRequest, _ name: String) throws(BinanceError) -> String? {
        guard let id = r[name] else { return nil }
        guard id.count <= 36, id.unicodeScalars.allSatisfy({ $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "._:/-".unicodeScalars.contains($0)) }) else {
            throw .illegal(name, clientIDPattern)
        }
        return id
    }
}

extension BinanceError {
    var json: String {
        JSONValue.object([("code", .int(Int64(code))), ("msg", .string(message))]).text
    }
}
