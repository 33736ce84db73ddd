extension BinanceAPI {
    static func newOrder(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i = try symbol(r, s)
        guard let sideText = r["side"] else { throw .mandatory("side") }
        guard let side = SimOrder.Side(rawValue: sideText) else { throw .illegal("side", "BUY|SELL") }
        guard let typeText = r["type"] else { throw .mandatory("type") }
        guard let kind = SimOrder.Kind(rawValue: typeText) else { throw BinanceError(code: -1116, "Invalid orderType.") }
        var tif: SimOrder.TimeInForce?
        if let t = r["timeInForce"] {
            guard let v = SimOrder.TimeInForce(rawValue: t) else { throw BinanceError(code: -1115, "Invalid timeInForce.") }
            tif = v
        }
        if kind == .limit, tif == nil { throw .mandatory("timeInForce") }
        var quantity = try decimal(r, "quantity")
        let price = try decimal(r, "price")
        if kind != .market, price == nil { throw .mandatory("price") }
        if kind == .market, quantity == nil {
            // quoteOrderQty: spend (or receive) this much quote, at the last price, on the lot.
            guard let quote = try decimal(r, "quoteOrderQty") else { throw BinanceError(code: -1102, "Param 'quantity' or 'quoteOrderQty' must be sent, but both were empty/null!") }
            let market = s.exchange.market
            let closed = market.closedCount(i, at: market.marketTime(atWall: wall))
            guard let last = market.lastPrice(i, closed: closed) else { throw .from(.noPrice) }
            let rules = market.series[i].rules
            quantity = Decimal8(raw: Int64((Int128(quote.raw) * Int128(Decimal8.scale)) / Int128(last.raw))).floored(to: rules.stepSize)
        }
        guard let quantity else { throw .mandatory("quantity") }
        let clientID = try clientID(r, "newClientOrderId") ?? s.exchange.nextClientID()
        let respType = r["newOrderRespType"] ?? "FULL"
        guard ["ACK", "RESULT", "FULL"].contains(respType) else { throw .illegal("newOrderRespType", "ACK|RESULT|FULL") }
        let request = SimulatedExchange.OrderRequest(symbol: i, side: side, kind: kind, timeInForce: tif, quantity: quantity, price: price,
                                                     clientID: clientID)
        let (order, fills): (SimOrder, [SimTrade])
        do { (order, fills) = try s.exchange.place(request, account: key, wall: wall) } catch { throw .from(error) }
        let rules = s.exchange.market.series[i].rules
        var fields: [(String, JSONValue)] = [("symbol", .string(rules.symbol)), ("orderId", .int(order.id)), ("orderListId", -1),
                                             ("clientOrderId", .string(order.clientID)), ("transactTime", .int(wall))]
        if respType != "ACK" {
            fields += BinanceFormat.orderFields(order, rules).filter { !["symbol", "orderId", "orderListId", "clientOrderId", "time", "updateTime", "isWorking", "stopPrice", "icebergQty"].contains($0.0) }
        }
        if respType == "FULL" {
            fields.append(("fills", .array(fills.map { f in
                .object([("price", .decimal(f.price)), ("qty", .decimal(f.quantity)), ("commission", .decimal(f.fee)),
                         ("commissionAsset", .string(f.feeAsset)), ("tradeId", .int(f.id))])
            })))
        }
        return .object(fields)
    }

    /// `orderId` or `origClientOrderId`, as Binance requires one of them.
    static func orderReference(_ r: VenueRequest) throws(BinanceError) -> (Int64?, String?) {
        let id = try integer(r, "orderId"), clientID = r["origClientOrderId"]
        guard id != nil || clientID != nil else {
            throw BinanceError(code: -1102, "Param 'origClientOrderId' or 'orderId' must be sent, but both were empty/null!")
        }
        return (id, clientID)
    }

    static func queryOrder(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i = try symbol(r, s)
        let (id, clientID) = try orderReference(r)
        s.exchange.advance(toWall: wall)
        guard let o = s.exchange.order(account: key, symbol: i, id: id, clientID: clientID),
              clientID == nil || o.clientID == clientID else { throw .orderDoesNotExist }
        return .object(BinanceFormat.orderFields(o, s.exchange.market.series[i].rules))
    }

    static func cancelOrder(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i = try symbol(r, s)
        let (id, clientID) = try orderReference(r)
        let cancelID = try self.clientID(r, "newClientOrderId") ?? "cancel\(wall)"
        if let found = s.exchange.order(account: key, symbol: i, id: id, clientID: clientID), clientID != nil, found.clientID != clientID {
            throw .unknownOrderCancel
        }
        let o: SimOrder
        do { o = try s.exchange.cancel(account: key, symbol: i, id: id, clientID: clientID, wall: wall) } catch { throw .from(error, cancel: true) }
        let rules = s.exchange.market.series[i].rules
        let f = BinanceFormat.orderFields(o, rules)
        let keep = ["price", "origQty", "executedQty", "origQuoteOrderQty", "cummulativeQuoteQty", "status", "timeInForce", "type", "side", "selfTradePreventionMode"]
        return .object([("symbol", .string(rules.symbol)), ("origClientOrderId", .string(o.clientID)), ("orderId", .int(o.id)),
                        ("orderListId", -1), ("clientOrderId", .string(cancelID)), ("transactTime", .int(wall))]
                       + keep.compactMap { k in f.first { $0.0 == k } })
    }

    static func openOrders(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i: Int? = r["symbol"] == nil ? nil : try symbol(r, s)
        s.exchange.advance(toWall: wall)
        return .array(s.exchange.openOrders(account: key, symbol: i).map { .object(BinanceFormat.orderFields($0, s.exchange.market.series[$0.symbol].rules)) })
    }
}
