import Foundation
import TradeCore

/// Bybit v5's spot order API (docs: "Integration guidance" for signing, "Place
/// order", "Cancel order", "Get open & closed orders", "Get trade history",
/// "Get wallet balance"). Signed with HMAC-SHA256 of timestamp + key + recv
/// window + the query string (GET) or the JSON body (POST). Orders go by our
/// `orderLinkId`; Bybit refuses any reused one (110072), open or not.
public struct BybitOrders: OrderDialect {
    public let venue = "bybit"
    public init() {}

    public func serverTime() -> VenueCall { VenueCall(endpoint: "time", method: "GET", path: "/v5/market/time", signed: false) }

    public func place(_ r: VenueOrderRequest) -> VenueCall {
        var p: [VenueCall.Param] = [.init("category", "spot"), .init("symbol", r.symbol), .init("side", r.side == .buy ? "Buy" : "Sell")]
        switch r.kind {
        case .market:
            // A spot market buy's qty is in the quote coin unless marketUnit says base: ours is always base.
            p += [.init("orderType", "Market"), .init("marketUnit", "baseCoin")]
        case .limit(let price, let tif):
            p += [.init("orderType", "Limit"), .init("price", price.description),
                  .init("timeInForce", tif == .postOnly ? "PostOnly" : tif == .ioc ? "IOC" : "GTC")]
        }
        p += [.init("qty", r.quantity.description), .init("orderLinkId", r.clientOrderID)]
        return VenueCall(endpoint: "order.place", method: "POST", path: "/v5/order/create", params: p)
    }

    public func query(symbol: String, clientOrderID: String) -> VenueCall {
        VenueCall(endpoint: "order.query", method: "GET", path: "/v5/order/realtime",
                  params: [.init("category", "spot"), .init("symbol", symbol), .init("orderLinkId", clientOrderID)])
    }

    public func cancel(symbol: String, clientOrderID: String) -> VenueCall {
        VenueCall(endpoint: "order.cancel", method: "POST", path: "/v5/order/cancel",
                  params: [.init("category", "spot"), .init("symbol", symbol), .init("orderLinkId", clientOrderID)])
    }

    public func openOrders(symbol: String) -> VenueCall {
        VenueCall(endpoint: "order.open", method: "GET", path: "/v5/order/realtime",
                  params: [.init("category", "spot"), .init("symbol", symbol), .init("limit", "50")])
    }

    public func trades(symbol: String, startTime: Int64) -> VenueCall {
        VenueCall(endpoint: "trades", method: "GET", path: "/v5/execution/list",
                  params: [.init("category", "spot"), .init("symbol", symbol), .init("startTime", String(startTime)), .init("limit", "100")])
    }

    public func balances() -> VenueCall {
        VenueCall(endpoint: "account", method: "GET", path: "/v5/account/wallet-balance", params: [.init("accountType", "UNIFIED")])
    }

    public func encode(_ call: VenueCall, credentials: VenueCredentials?, timestamp: Int64, recvWindowMs: Int64) -> VenueHTTPRequest {
        let isGet = call.method == "GET"
        let query = isGet ? VenueCall.queryString(call.params) : ""
        let body = isGet ? "" : Self.json(call.params)
        var request = VenueHTTPRequest(method: call.method, target: call.path + (query.isEmpty ? "" : "?" + query), body: body)
        if !isGet { request.headers["Content-Type"] = "application/json" }
        guard call.signed, let credentials else { return request }
        let (ts, window) = (String(timestamp), String(recvWindowMs))
        request.headers["X-BAPI-API-KEY"] = credentials.key
        request.headers["X-BAPI-TIMESTAMP"] = ts
        request.headers["X-BAPI-RECV-WINDOW"] = window
        request.headers["X-BAPI-SIGN"] = BybitSignature.sign(timestamp: ts, apiKey: credentials.key, recvWindow: window,
                                                              payload: isGet ? query : body, secret: credentials.secret)
        return request
    }

    /// `{"a":"1","b":"2"}`: every value a JSON string, in the call's order (what is signed is what is sent).
    static func json(_ params: [VenueCall.Param]) -> String {
        func quoted(_ s: String) -> String {
            var out = "\""
            for c in s.unicodeScalars {
                switch c {
                case "\"": out += "\\\""
                case "\\": out += "\\\\"
                case _ where c.value < 0x20: out += String(format: "\\u%04x", c.value)
                default: out.unicodeScalars.append(c)
                }
            }
            return out + "\""
        }
        return "{" + params.map { "\(quoted($0.name)):\(quoted($0.value))" }.joined(separator: ",") + "}"
    }

    public func refusal(_ answer: VenueHTTPAnswer) -> VenueOrderError? {
        switch answer.status {
        case 403: return .init(.rateLimited, "bybit refused the IP for too many requests (HTTP 403)", code: 403, retryAfterMs: 60_000)
        case 429: return .init(.rateLimited, "bybit: too many requests", code: 429, retryAfterMs: 1_000)
        case 500...: return .init(.outcomeUnknown, "bybit answered HTTP \(answer.status): the request may or may not have been done", code: answer.status)
        case 200..<300: break
        default: return .init(.rejected, "bybit answered HTTP \(answer.status)", code: answer.status)
        }
        guard let json = try? OrderJSON(OrderJSON.parse(answer.body, "bybit answer"), "bybit answer"),
              let code = try? json.integer("retCode") else {
            return .init(.malformed, "bybit's answer has no retCode: \(String(decoding: answer.body.prefix(200), as: UTF8.self))")
        }
        guard code != 0 else { return nil }
        let words = "bybit \(code): \((try? json.string("retMsg")) ?? "")"
        switch code {
        case 10002: return .init(.clockSkew, words, code: Int(code))
        case 10003, 10004, 10005, 10007, 10010: return .init(.unauthorized, words, code: Int(code))
        case 10006, 10018: return .init(.rateLimited, words, code: Int(code), retryAfterMs: resetIn(answer))
        case 110001, 170213: return .init(.unknownOrder, words, code: Int(code))
        case 110072: return .init(.duplicateClientOrderID, words, code: Int(code))
        case 10000, 10016: return .init(.outcomeUnknown, words, code: Int(code))   // server error, service restarting
        default: return .init(.rejected, words, code: Int(code))
        }
    }

    /// Until the limit resets, from `X-Bapi-Limit-Reset-Timestamp` (ms) against the answer's own time.
    private func resetIn(_ answer: VenueHTTPAnswer) -> Int64 {
        guard let reset = answer.header("X-Bapi-Limit-Reset-Timestamp").flatMap(Int64.init),
              let json = try? OrderJSON(OrderJSON.parse(answer.body, "bybit answer"), "bybit answer"),
              let now = try? json.integer("time") else { return 1_000 }
        return max(0, reset - now)
    }

    public func usedWeight(_ answer: VenueHTTPAnswer) -> (used: Int, limit: Int)? {
        guard let left = answer.header("X-Bapi-Limit-Status").flatMap(Int.init), let limit = answer.header("X-Bapi-Limit").flatMap(Int.init) else {
            return nil
        }
        return (limit - left, limit)
    }

    private func result(_ body: Data, _ what: String) throws(VenueOrderError) -> OrderJSON {
        try OrderJSON(OrderJSON.parse(body, what), what).object("result")
    }

    public func serverTime(from body: Data) throws(VenueOrderError) -> Int64 {
        let r = try result(body, "bybit time")
        guard let nanos = Int64(try r.string("timeNano")) else { throw .init(.malformed, "bybit time has no valid timeNano") }
        return nanos / 1_000_000
    }

    /// Bybit acknowledges a new order with its ids only; its state comes from a query or the stream.
    public func placement(from body: Data, request: VenueOrderRequest) throws(VenueOrderError) -> VenuePlacement {
        let r = try result(body, "bybit order")
        guard try r.string("orderLinkId") == request.clientOrderID else {
            throw .init(.malformed, "bybit acknowledged \((try? r.string("orderLinkId")) ?? "?") to \(request.clientOrderID)")
        }
        return VenuePlacement(order: VenueOrderState(symbol: request.symbol, clientOrderID: request.clientOrderID,
                                                     venueOrderID: try r.string("orderId"), side: request.side, status: .new,
                                                     quantity: request.quantity, filledQuantity: .zero, updatedAt: 0), trades: [])
    }

    public func order(from body: Data, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState? {
        let list = try result(body, "bybit orders").array("list")
        let orders = try list.enumerated().map { n, row throws(VenueOrderError) in try state(OrderJSON(row, "bybit order \(n)")) }
        guard let order = orders.first else { return nil }
        guard orders.count == 1, order.clientOrderID == clientOrderID else {
            throw .init(.malformed, "bybit answered \(orders.count) orders (\(order.clientOrderID)) to a query for \(clientOrderID)")
        }
        return order
    }

    /// A cancel is acknowledged with the ids; the order then reads as cancelled (or filled, if it traded first).
    public func cancelled(from body: Data, symbol: String, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState {
        let r = try result(body, "bybit cancel")
        guard try r.string("orderLinkId") == clientOrderID else { throw .init(.malformed, "bybit answered a cancel of \(clientOrderID) with another order") }
        return VenueOrderState(symbol: symbol, clientOrderID: clientOrderID, venueOrderID: try r.string("orderId"), side: .buy,
                               status: .cancelled, quantity: .zero, filledQuantity: .zero, updatedAt: 0)
    }

    public func openOrders(from body: Data) throws(VenueOrderError) -> [VenueOrderState] {
        try result(body, "bybit open orders").array("list").enumerated().map { n, row throws(VenueOrderError) in
            try state(OrderJSON(row, "bybit open order \(n)"))
        }
    }

    public func trades(from body: Data) throws(VenueOrderError) -> [VenueTrade] {
        let rows = try result(body, "bybit executions").array("list").enumerated().map { n, row throws(VenueOrderError) in
            let t = try OrderJSON(row, "bybit execution \(n)")
            return VenueTrade(symbol: try t.string("symbol"), tradeID: try t.string("execId"), venueOrderID: try t.string("orderId"),
                              clientOrderID: try t.string("orderLinkId"), side: try OrderSide(venueText: t.string("side"), t.what),
                              price: try t.price("execPrice"), quantity: try t.quantity("execQty"), fee: try t.money("execFee"),
                              feeAsset: t.has("feeCurrency") ? try t.string("feeCurrency") : "", isMaker: try t.bool("isMaker"),
                              time: try t.integer("execTime"))
        }
        return rows.sorted { ($0.time, $0.tradeID) < ($1.time, $1.tradeID) }   // Bybit lists newest first
    }

    public func balances(from body: Data) throws(VenueOrderError) -> [VenueBalance] {
        var out: [VenueBalance] = []
        for (n, account) in try result(body, "bybit wallet").array("list").enumerated() {
            for (k, row) in try OrderJSON(account, "bybit wallet \(n)").array("coin").enumerated() {
                let c = try OrderJSON(row, "bybit wallet \(n) coin \(k)")
                let locked = c.has("locked") ? try c.money("locked") : .zero
                out.append(VenueBalance(asset: try c.string("coin"), free: try c.money("walletBalance") - locked, locked: locked))
            }
        }
        return out
    }

    private func state(_ o: OrderJSON) throws(VenueOrderError) -> VenueOrderState {
        VenueOrderState(symbol: try o.string("symbol"), clientOrderID: try o.string("orderLinkId"), venueOrderID: try o.string("orderId"),
                        side: try OrderSide(venueText: o.string("side"), o.what), status: try status(o.string("orderStatus")),
                        quantity: try o.quantity("qty"), filledQuantity: try o.quantity("cumExecQty"), updatedAt: try o.integer("updatedTime"))
    }

    private func status(_ text: String) throws(VenueOrderError) -> VenueOrderStatus {
        switch text {
        case "New", "Created", "Untriggered": return .new
        case "PartiallyFilled": return .partiallyFilled
        case "Filled": return .filled
        case "Cancelled", "PartiallyFilledCanceled", "Deactivated": return .cancelled
        case "Rejected": return .rejected
        default: throw .init(.malformed, "bybit order status \(text.prefix(30)) is not one Bybit documents")
        }
    }
}
