import TradeVenues
import Foundation

/// Bybit v5's private stream (`/v5/private`): `{"op": "auth", "args": [apiKey,
/// expires, signature]}` with the signature HMAC-SHA256 hex of
/// `"GET/realtime" + expires` (expires in the future, in ms), then
/// `subscribe` to `order`, `execution` and `wallet` (or their `.spot` /
/// `.all` forms); pushes `{"id", "topic", "creationTime", "data": [...]}` as
/// orders change, fill and move balances. `ping` answers `pong`.
public typealias BybitPrivateStream = PrivateStreamHub<BybitPrivateDialect>

public struct BybitPrivateDialect: PrivateStreamDialect {
    public init() {}

    static let topics: [String: String] = ["order": "order", "order.spot": "order", "order.all": "order",
                                           "execution": "execution", "execution.spot": "execution", "execution.all": "execution",
                                           "wallet": "wallet"]

    public static func route(_ path: String) -> Bool { path.split(separator: "?").first == "/v5/private" }

    public func answer(_ text: String, session: inout PrivateSession, state: VenueCore.State, wall: Int64) -> String {
        guard let request = jsonObject(text) else { return reply(nil, op: "", false, "error:request not json") }
        let op = request["op"] as? String ?? ""
        let id = request["req_id"] as? String
        let args = request["args"] as? [Any] ?? []
        switch op {
        case "ping": return reply(id, op: "pong", true, "pong")
        case "auth":
            guard args.count == 3, let key = args[0] as? String, let signature = args[2] as? String,
                  let expires = (args[1] as? Int).map(Int64.init) ?? (args[1] as? String).flatMap({ Int64($0) }) else {
                return reply(id, op: op, false, "Params Error")
            }
            guard let account = state.exchange.account(key) else { return reply(id, op: op, false, "Invalid apikey") }
            guard expires > wall else { return reply(id, op: op, false, "Params Error: request expired") }
            guard HMACHex.sha256("GET/realtime\(expires)", secret: account.secret) == signature.lowercased() else {
                return reply(id, op: op, false, "Signature verification failed")
            }
            guard session.authenticated == nil || session.authenticated == key else { return reply(id, op: op, false, "Repeat auth") }
            session.authenticated = key
            return reply(id, op: op, true, "")
        case "subscribe", "unsubscribe":
            guard let key = session.authenticated else { return reply(id, op: op, false, "Request not authorized") }
            let names = args.compactMap { $0 as? String }
            guard !names.isEmpty, names.allSatisfy({ Self.topics[$0] != nil }) else {
                return reply(id, op: op, false, "error:handler not found,topics:\(names.joined(separator: ","))")
            }
            let kinds = Set(names.compactMap { Self.topics[$0] })
            if let i = session.subscriptions.firstIndex(where: { $0.account == key }) {
                session.subscriptions[i].topics = op == "subscribe" ? session.subscriptions[i].topics.union(kinds)
                                                                    : session.subscriptions[i].topics.subtracting(kinds)
            } else if op == "subscribe" {
                _ = session.subscribe(key, topics: kinds, from: state.exchange.events.next)
            }
            return reply(id, op: op, true, "")
        default:
            return reply(id, op: op, false, "error:unknown op \(op)")
        }
    }

    func reply(_ id: String?, op: String, _ ok: Bool, _ message: String) -> String {
        var fields: [(String, JSONValue)] = [("success", .bool(ok)), ("ret_msg", .string(message)), ("conn_id", "sim")]
        if let id { fields.append(("req_id", .string(id))) }
        fields.append(("op", .string(op)))
        return JSONValue.object(fields).text
    }

    public func messages(_ event: AccountEvent, _ sub: PrivateSession.Subscription, _ exchange: SimulatedExchange) -> [String] {
        func push(_ topic: String, _ data: JSONValue) -> String? {
            guard sub.topics.contains(topic) else { return nil }
            return JSONValue.object([("id", .string("sim-\(event.sequence)")), ("topic", .string(topic)),
                                     ("creationTime", .int(event.wall)), ("data", [data])]).text
        }
        switch event.kind {
        case .order(let o, _, let trade):
            let rules = exchange.market.series[o.symbol].rules
            var order = BybitFormat.order(o, rules)
            if case .object(let fields) = order { order = .object([("category", "spot")] + fields) }
            var out = [push("order", order)]
            if let trade, case .object(let fields) = BybitFormat.execution(trade, o, rules, feeBps: trade.maker ? exchange.makerBps : exchange.takerBps) {
                out.append(push("execution", .object([("category", "spot")] + fields)))
            }
            return out.compactMap { $0 }
        case .balances(let balances):
            let coins = balances.keys.sorted().map { BybitFormat.coin($0, balances[$0]!) }
            return [push("wallet", .object([("accountType", "UNIFIED"), ("coin", .array(coins))]))].compactMap { $0 }
        }
    }

    public func terminated(_ sub: PrivateSession.Subscription, wall: Int64) -> String {
        JSONValue.object([("success", false), ("ret_msg", "subscription lagged behind and was closed"), ("conn_id", "sim"), ("op", "subscribe")]).text
    }
}
