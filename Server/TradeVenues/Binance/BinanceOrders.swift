import Foundation
import TradeCore

/// Binance Spot's order API (REST, signed with HMAC-SHA256 over the query string;
/// docs: "Signed endpoint security", "New order (TRADE)", "Query order", "Cancel
/// order", "Current open orders", "Account trade list", "Account information").
/// Orders go by our `newClientOrderId` and are queried and cancelled by it
/// (`origClientOrderId`) — never by cancel-all.
public struct BinanceOrders: OrderDialect {
    public let venue = "binance"
    public init() {}

    public func serverTime() -> VenueCall { VenueCall(endpoint: "time", method: "GET", path: "/api/v3/time", signed: false) }

    public func place(_ r: VenueOrderRequest) -> VenueCall {
        var p: [VenueCall.Param] = [.init("symbol", r.symbol), .init("side", r.side == .buy ? "BUY" : "SELL")]
        switch r.kind {
        case .market: p.append(.init("type", "MARKET"))
        case .limit(let price, .postOnly): p += [.init("type", "LIMIT_MAKER"), .init("price", price.description)]
        case .limit(let price, let tif):
            p += [.init("type", "LIMIT"), .init("timeInForce", tif == .ioc ? "IOC" : "GTC"), .init("price", price.description)]
        }
        p += [.init("quantity", r.quantity.description), .init("newClientOrderId", r.clientOrderID), .init("newOrderRespType", "FULL")]
        return VenueCall(endpoint: "order.place", method: "POST", path: "/api/v3/order", params: p)
    }

    public func query(symbol: String, clientOrderID: String) -> VenueCall {
        VenueCall(endpoint: "order.query", method: "GET", path: "/api/v3/order",
                  params: [.init("symbol", symbol), .init("origClientOrderId", clientOrderID)])
    }

    public func cancel(symbol: String, clientOrderID: String) -> VenueCall {
        VenueCall(endpoint: "order.cancel", method: "DELETE", path: "/api/v3/order",
                  params: [.init("symbol", symbol), .init("origClientOrderId", clientOrderID)])
    }

    public func openOrders(symbol: String) -> VenueCall {
        VenueCall(endpoint: "order.open", method: "GET", path: "/api/v3/openOrders", params: [.init("symbol", symbol)])
    }

    public func trades(symbol: String, startTime: Int64) -> VenueCall {
        VenueCall(endpoint: "trades", method: "GET", path: "/api/v3/myTrades",
                  params: [.init("symbol", symbol), .init("startTime", String(startTime)), .init("limit", "1000")])
    }

    public func balances() -> VenueCall {
        VenueCall(endpoint: "account", method: "GET", path: "/api/v3/account", params: [.init("omitZeroBalances", "true")])
    }

    /// Everything in the query string (Binance takes a signed POST's parameters there too):
    /// the parameters, recvWindow, timestamp, then the signature of all of it.
    public func encode(_ call: VenueCall, credentials: VenueCredentials?, timestamp: Int64, recvWindowMs: Int64) -> VenueHTTPRequest {
        guard call.signed, let credentials else {
            let query = VenueCall.queryString(call.params)
            return VenueHTTPRequest(method: call.method, target: call.path + (query.isEmpty ? "" : "?" + query))
        }
        let query = VenueCall.queryString(call.params + [.init("recvWindow", String(recvWindowMs)), .init("timestamp", String(timestamp))])
        let signature = BinanceSignature.sign(query, secret: credentials.secret)
        return VenueHTTPRequest(method: call.method, target: "\(call.path)?\(query)&signature=\(signature)",
                                headers: ["X-MBX-APIKEY": credentials.key])
    }

    public func refusal(_ answer: VenueHTTPAnswer) -> VenueOrderError? {
        let retryAfter = answer.header("Retry-After").flatMap(Int64.init).map { $0 * 1000 }
        switch answer.status {
        case 200..<300: return nil
        case 418: return .init(.banned, "binance has banned this IP for sending after a 429", code: 418, retryAfterMs: retryAfter)
        case 429: return .init(.rateLimited, "binance: too many requests", code: 429, retryAfterMs: retryAfter ?? 60_000)
        case 500...: return .init(.outcomeUnknown, "binance answered HTTP \(answer.status): the request may or may not have been done", code: answer.status)
        default: break
        }
        var code = answer.status, message = String(decoding: answer.body.prefix(200), as: UTF8.self)
        if let json = try? OrderJSON(OrderJSON.parse(answer.body, "binance error"), "binance error") {
            if let c = try? json.integer("code") { code = Int(c) }
            if let m = try? json.string("msg") { message = m }
        }
        let words = "binance \(code): \(message)"
        switch code {
        case -1021: return .init(.clockSkew, words, code: code)
        case -1022, -2014, -2015: return .init(.unauthorized, words, code: code)
        case -1003: return .init(.rateLimited, words, code: code, retryAfterMs: retryAfter ?? 60_000)
        case -2013: return .init(.unknownOrder, words, code: code)
        case -2011 where message.contains("Unknown order"): return .init(.unknownOrder, words, code: code)
        case -2010 where message.contains("Duplicate order"): return .init(.duplicateClientOrderID, words, code: code)
        case -1000, -1001, -1006, -1007: return .init(.outcomeUnknown, words, code: code)   // unknown error, disconnected, timeouts
        default: return .init(.rejected, words, code: code)
        }
    }

    public func usedWeight(_ answer: VenueHTTPAnswer) -> (used: Int, limit: Int)? {
        answer.header("X-MBX-USED-WEIGHT-1M").flatMap(Int.init).map { ($0, 6_000) }
    }

    public func serverTime(from body: Data) throws(VenueOrderError) -> Int64 {
        try OrderJSON(OrderJSON.parse(body, "binance time"), "binance time").integer("serverTime")
    }

    public func placement(from body: Data, request: VenueOrderRequest) throws(VenueOrderError) -> VenuePlacement {
        let o = try OrderJSON(OrderJSON.parse(body, "binance order"), "binance order")
        let order = try state(o)
        guard order.clientOrderID == request.clientOrderID, order.symbol == request.symbol else {
            throw .init(.malformed, "binance answered order \(order.clientOrderID) on \(order.symbol) to \(request.clientOrderID) on \(request.symbol)")
        }
        var trades: [VenueTrade] = []
        for (n, f) in try o.array("fills").enumerated() {
            let fill = try OrderJSON(f, "binance order fill \(n)")
            trades.append(VenueTrade(symbol: order.symbol, tradeID: try fill.string("tradeId"), venueOrderID: order.venueOrderID,
                                     clientOrderID: order.clientOrderID, side: order.side, price: try fill.price("price"),
                                     quantity: try fill.quantity("qty"), fee: try fill.money("commission"),
                                     feeAsset: try fill.string("commissionAsset"), isMaker: false, time: order.updatedAt))
        }
        return VenuePlacement(order: order, trades: trades)
    }

    public func order(from body: Data, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState? {
        let order = try state(OrderJSON(OrderJSON.parse(body, "binance order"), "binance order"))
        guard order.clientOrderID == clientOrderID else {
            throw .init(.malformed, "binance answered order \(order.clientOrderID) to a query for \(clientOrderID)")
        }
        return order
    }

    /// A cancel's answer names our id as `origClientOrderId` (its `clientOrderId` is the cancel's own).
    public func cancelled(from body: Data, symbol: String, clientOrderID: String) throws(VenueOrderError) -> VenueOrderState {
        let o = try OrderJSON(OrderJSON.parse(body, "binance cancel"), "binance cancel")
        guard try o.string("origClientOrderId") == clientOrderID, try o.string("symbol") == symbol else {
            throw .init(.malformed, "binance answered a cancel of \(clientOrderID) with another order")
        }
        return VenueOrderState(symbol: symbol, clientOrderID: clientOrderID, venueOrderID: try o.string("orderId"),
                               side: try OrderSide(venueText: o.string("side"), "binance cancel"), status: try status(o.string("status")),
                               quantity: try o.quantity("origQty"), filledQuantity: try o.quantity("executedQty"),
                               updatedAt: try o.integer("transactTime"))
    }

    public func openOrders(from body: Data) throws(VenueOrderError) -> [VenueOrderState] {
        guard let rows = try OrderJSON.parse(body, "binance open orders") as? [Any] else {
            throw .init(.malformed, "binance open orders are not a list")
        }
        return try rows.enumerated().map { n, row throws(VenueOrderError) in try state(OrderJSON(row, "binance open order \(n)")) }
    }

    public func trades(from body: Data) throws(VenueOrderError) -> [VenueTrade] {
        guard let rows = try OrderJSON.parse(body, "binance trades") as? [Any] else { throw .init(.malformed, "binance trades are not a list") }
        return try rows.enumerated().map { n, row throws(VenueOrderError) in
            let t = try OrderJSON(row, "binance trade \(n)")
            return VenueTrade(symbol: try t.string("symbol"), tradeID: try t.string("id"), venueOrderID: try t.string("orderId"),
                              clientOrderID: nil, side: try t.bool("isBuyer") ? .buy : .sell, price: try t.price("price"),
                              quantity: try t.quantity("qty"), fee: try t.money("commission"), feeAsset: try t.string("commissionAsset"),
                              isMaker: try t.bool("isMaker"), time: try t.integer("time"))
        }
    }

    public func balances(from body: Data) throws(VenueOrderError) -> [VenueBalance] {
        let account = try OrderJSON(OrderJSON.parse(body, "binance account"), "binance account")
        return try account.array("balances").enumerated().map { n, row throws(VenueOrderError) in
            let b = try OrderJSON(row, "binance balance \(n)")
            return VenueBalance(asset: try b.string("asset"), free: try b.money("free"), locked: try b.money("locked"))
        }
    }

    private func state(_ o: OrderJSON) throws(VenueOrderError) -> VenueOrderState {
        VenueOrderState(symbol: try o.string("symbol"), clientOrderID: try o.string("clientOrderId"), venueOrderID: try o.string("orderId"),
                        side: try OrderSide(venueText: o.string("side"), o.what), status: try status(o.string("status")),
                        quantity: try o.quantity("origQty"), filledQuantity: try o.quantity("executedQty"),
                        updatedAt: o.has("updateTime") ? try o.integer("updateTime") : (o.has("transactTime") ? try o.integer("transactTime") : 0))
    }

    private func status(_ text: String) throws(VenueOrderError) -> VenueOrderStatus {
        switch text {
        case "NEW", "PENDING_NEW": return .new
        case "PARTIALLY_FILLED": return .partiallyFilled
        case "FILLED": return .filled
        case "CANCELED", "PENDING_CANCEL": return .cancelled
        case "EXPIRED", "EXPIRED_IN_MATCH": return .expired
        case "REJECTED": return .rejected
        default: throw .init(.malformed, "binance order status \(text.prefix(30)) is not one Binance documents")
        }
    }
}
