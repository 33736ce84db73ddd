extension BybitAPI {
    static func decimal(_ p: [String: String], _ name: String) throws(BybitError) -> Decimal8? {
        guard let text = p[name], !text.isEmpty else { return nil }
        guard let d = Decimal8(text), d.raw > 0 else { throw .parameter("\(name) invalid") }
        return d
    }

    static func create(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        let i = try symbol(p, s)!
        let side: SimOrder.Side
        switch p["side"] { case "Buy": side = .buy; case "Sell": side = .sell; default: throw .parameter("side invalid") }
        var kind: SimOrder.Kind
        switch p["orderType"] { case "Market": kind = .market; case "Limit": kind = .limit; default: throw .parameter("orderType invalid") }
        var tif: SimOrder.TimeInForce? = kind == .market ? .ioc : .gtc
        switch p["timeInForce"] {
        case nil, "": break
        case "GTC": tif = .gtc
        case "IOC": tif = .ioc
        case "FOK": tif = .fok
        case "PostOnly": kind = kind == .limit ? .limitMaker : kind
        default: throw .parameter("timeInForce invalid")
        }
        guard var quantity = try decimal(p, "qty") else { throw .parameter("qty is required") }
        let price = try decimal(p, "price")
        if kind != .market, price == nil { throw .parameter("price is required for a limit order") }
        if kind == .market, side == .buy, (p["marketUnit"] ?? "quoteCoin") == "quoteCoin" {
            // A spot market buy's qty is in the quote coin unless marketUnit says otherwise.
            let market = s.exchange.market
            guard let last = market.lastPrice(i, closed: market.closedCount(i, at: market.marketTime(atWall: wall))) else { throw .from(.noPrice) }
            quantity = Decimal8(raw: Int64(Int128(quantity.raw) * Int128(Decimal8.scale) / Int128(last.raw))).floored(to: market.series[i].rules.stepSize)
        }
        let link = p["orderLinkId"] ?? ""
        guard link.count <= 36 else { throw .parameter("orderLinkId is longer than 36 characters") }
        let request = SimulatedExchange.OrderRequest(symbol: i, side: side, kind: kind, timeInForce: kind == .market ? nil : tif,
                                                     quantity: quantity, price: kind == .market ? nil : price,
                                                     clientID: link.isEmpty ? s.exchange.nextClientID() : link)
        let order: SimOrder
        do { (order, _) = try s.exchange.place(request, account: key, wall: wall) } catch { throw .from(error) }
        return .object([("orderId", .string(String(order.id))), ("orderLinkId", .string(order.clientID))])
    }

    static func reference(_ p: [String: String]) throws(BybitError) -> (Int64?, String?) {
        let id = try integer(p, "orderId"), link = p["orderLinkId"].flatMap { $0.isEmpty ? nil : $0 }
        return (id, link)
    }

    static func cancel(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        let i = try symbol(p, s)!
        let (id, link) = try reference(p)
        guard id != nil || link != nil else { throw .parameter("orderId or orderLinkId is required") }
        let o: SimOrder
        do { o = try s.exchange.cancel(account: key, symbol: i, id: id, clientID: link, wall: wall) } catch { throw .from(error) }
        return .object([("orderId", .string(String(o.id))), ("orderLinkId", .string(o.clientID))])
    }

    /// realtime: the open orders (or the one asked for by id, whatever its state); history: the closed ones. Newest first.
    static func orders(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State, open: Bool) throws(BybitError) -> JSONValue {
        let i = try symbol(p, s, required: false)
        let (id, link) = try reference(p)
        let limit = Int(try integer(p, "limit") ?? (open ? 50 : 20))
        guard (1...50).contains(limit) else { throw .parameter("limit must be 1…50") }
        s.exchange.advance(toWall: wall)
        let mine = s.exchange.orders.filter { $0.account == key && (i == nil || $0.symbol == i!) }
        var chosen: [SimOrder]
        if id != nil || link != nil {
            chosen = mine.filter { (id == nil || $0.id == id!) && (link == nil || $0.clientID == link!) }
            if !open { chosen = chosen.filter { !$0.status.isOpen } }
        } else {
            chosen = mine.filter { $0.status.isOpen == open }
        }
        let shown = chosen.reversed().prefix(limit)
        let list: [JSONValue] = shown.map { o in BybitFormat.order(o, s.exchange.market.series[o.symbol].rules) }
        return .object([("list", .array(list)), ("nextPageCursor", ""), ("category", "spot")])
    }
}
