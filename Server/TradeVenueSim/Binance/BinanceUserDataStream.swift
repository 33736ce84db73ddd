import TradeVenues
import Foundation

/// Binance's user-data stream as its current docs serve it: on the WebSocket
/// API (`/ws-api/v3`), `userDataStream.subscribe.signature` (apiKey,
/// timestamp, optional recvWindow, an HMAC signature over the other
/// parameters sorted by name as a query string — checked exactly as a signed
/// REST call is), then `{"subscriptionId": N, "event": {…}}` for every
/// `executionReport` and `outboundAccountPosition` of that account.
/// `userDataStream.unsubscribe`, `session.subscriptions`, `ping` and `time`
/// are answered too; answers echo the request's `id`, with `status`, and
/// `result` or `error`. (The listenKey endpoints Binance retired are not served.)
public typealias BinanceUserDataStream = PrivateStreamHub<BinanceUserDataDialect>

public struct BinanceUserDataDialect: PrivateStreamDialect {
    public init() {}

    public static func route(_ path: String) -> Bool { path.split(separator: "?").first == "/ws-api/v3" }

    public func answer(_ text: String, session: inout PrivateSession, state: VenueCore.State, wall: Int64) -> String {
        guard let request = jsonObject(text) else {
            return reply(.null, error: BinanceError(code: -1000, "Invalid JSON: the request is not a JSON object."))
        }
        let id: JSONValue = (request["id"] as? String).map { .string($0) } ?? (request["id"] as? Int).map { .int(Int64($0)) } ?? .null
        let params = request["params"] as? [String: Any] ?? [:]
        switch request["method"] as? String ?? "" {
        case "ping": return reply(id, result: .object([]))
        case "time": return reply(id, result: .object([("serverTime", .int(wall))]))
        case "userDataStream.subscribe.signature":
            do throws(BinanceError) {
                let key = try BinanceAPI.authenticate(signedRequest(params), wall: wall, state)
                guard !session.subscriptions.contains(where: { $0.account == key }) else {
                    throw BinanceError(code: -2035, "User Data Stream subscription already active.")
                }
                let subscription = session.subscribe(key, topics: [], from: state.exchange.events.next)
                return reply(id, result: .object([("subscriptionId", .int(subscription))]))
            } catch {
                return reply(id, error: error)
            }
        case "userDataStream.unsubscribe":
            if let which = params["subscriptionId"] as? Int {
                guard session.subscriptions.contains(where: { $0.id == Int64(which) }) else {
                    return reply(id, error: BinanceError(code: -2036, "Invalid subscriptionId."))
                }
                session.subscriptions.removeAll { $0.id == Int64(which) }
            } else {
                session.subscriptions.removeAll()
            }
            return reply(id, result: .object([]))
        case "session.subscriptions":
            return reply(id, result: .array(session.subscriptions.map { .object([("subscriptionId", .int($0.id))]) }))
        case let method:
            return reply(id, error: BinanceError(code: -1020, "Unsupported operation: '\(method)'."))
        }
    }

    /// The subscription's parameters as a signed request: the signed text is every parameter but the
    /// signature, sorted by name, form-encoded (as Binance's docs and its clients build it).
    func signedRequest(_ params: [String: Any]) -> VenueRequest {
        func text(_ v: Any) -> String { (v as? String) ?? (v as? Int).map(String.init) ?? "\(v)" }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-_.~")
        let fields = params.filter { $0.key != "signature" }.sorted { $0.key < $1.key }
            .map { "\($0.key)=\(text($0.value).addingPercentEncoding(withAllowedCharacters: allowed) ?? "")" }
        let signature = params["signature"].map { "&signature=\(text($0))" } ?? ""
        return VenueRequest(method: "WS", path: "userDataStream.subscribe.signature", query: fields.joined(separator: "&") + signature,
                            body: "", headers: ["X-MBX-APIKEY": (params["apiKey"] as? String) ?? ""])
    }

    func reply(_ id: JSONValue, result: JSONValue) -> String {
        JSONValue.object([("id", id), ("status", 200), ("result", result)]).text
    }

    func reply(_ id: JSONValue, error: BinanceError) -> String {
        JSONValue.object([("id", id), ("status", .int(Int64(error.status))),
                          ("error", .object([("code", .int(Int64(error.code))), ("msg", .string(error.message))]))]).text
    }

    public func messages(_ event: AccountEvent, _ sub: PrivateSession.Subscription, _ exchange: SimulatedExchange) -> [String] {
        let body: JSONValue
        switch event.kind {
        case .order(let o, let execution, let trade):
            body = Self.executionReport(o, execution, trade, rules: exchange.market.series[o.symbol].rules, sequence: event.sequence, wall: event.wall)
        case .balances(let balances):
            body = .object([("e", "outboundAccountPosition"), ("E", .int(event.wall)), ("u", .int(event.wall)),
                            ("B", .array(balances.keys.sorted().map { asset in
                                .object([("a", .string(asset)), ("f", .decimal(balances[asset]!.free)), ("l", .decimal(balances[asset]!.locked))])
                            }))])
        }
        return [JSONValue.object([("subscriptionId", .int(sub.id)), ("event", body)]).text]
    }

    /// An order's change as Binance writes it. A cancel's `C` is the order's own client id (the simulator
    /// does not keep the cancel request's id).
    static func executionReport(_ o: SimOrder, _ execution: AccountEvent.Execution, _ trade: SimTrade?, rules: SymbolRules,
                                sequence: Int64, wall: Int64) -> JSONValue {
        .object([
            ("e", "executionReport"), ("E", .int(wall)), ("s", .string(rules.symbol)), ("c", .string(o.clientID)),
            ("S", .string(o.side.rawValue)), ("o", .string(o.kind.rawValue)), ("f", .string((o.timeInForce ?? .gtc).rawValue)),
            ("q", .decimal(o.quantity)), ("p", .decimal(o.price ?? .zero)), ("P", "0.00000000"), ("F", "0.00000000"), ("g", -1),
            ("C", .string(execution == .canceled ? o.clientID : "")), ("x", .string(execution.rawValue)), ("X", .string(o.status.rawValue)),
            ("r", "NONE"), ("i", .int(o.id)), ("l", .decimal(trade?.quantity ?? .zero)), ("z", .decimal(o.executed)),
            ("L", .decimal(trade?.price ?? .zero)), ("n", .decimal(trade?.fee ?? .zero)), ("N", trade.map { .string($0.feeAsset) } ?? .null),
            ("T", .int(wall)), ("t", .int(trade?.id ?? -1)), ("I", .int(sequence)), ("w", .bool(o.status.isOpen && o.kind != .market)),
            ("m", .bool(trade?.maker ?? false)), ("M", .bool(trade != nil)), ("O", .int(o.created)), ("Z", .decimal(o.cumulativeQuote)),
            ("Y", .decimal(trade?.quote ?? .zero)), ("Q", "0.00000000"), ("W", .int(o.created)), ("V", "NONE"),
        ])
    }

    public func terminated(_ sub: PrivateSession.Subscription, wall: Int64) -> String {
        JSONValue.object([("subscriptionId", .int(sub.id)), ("event", .object([("e", "eventStreamTerminated"), ("E", .int(wall))]))]).text
    }
}
