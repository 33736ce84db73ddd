extension BybitAPI {
    static func executions(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        let i = try symbol(p, s, required: false)
        let (id, link) = try reference(p)
        let start = try integer(p, "startTime"), end = try integer(p, "endTime")
        let limit = Int(try integer(p, "limit") ?? 50)
        guard (1...100).contains(limit) else { throw .parameter("limit must be 1…100") }
        s.exchange.advance(toWall: wall)
        let orders = s.exchange.orders
        let trades = s.exchange.trades.filter { t in
            t.account == key && (i == nil || t.symbol == i!) && (id == nil || t.orderID == id!)
                && (link == nil || orders[Int(t.orderID) - 1].clientID == link!)
                && (start == nil || t.time >= start!) && (end == nil || t.time <= end!)
        }
        let list: [JSONValue] = trades.reversed().prefix(limit).map { t in
            BybitFormat.execution(t, orders[Int(t.orderID) - 1], s.exchange.market.series[t.symbol].rules,
                                  feeBps: t.maker ? s.exchange.makerBps : s.exchange.takerBps)
        }
        return .object([("list", .array(list)), ("nextPageCursor", ""), ("category", "spot")])
    }

    static func wallet(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        guard p["accountType"] == "UNIFIED" else { throw .parameter("accountType: only UNIFIED is served") }
        s.exchange.advance(toWall: wall)
        let a = s.exchange.account(key)!
        let wanted = p["coin"].map { Set($0.split(separator: ",").map(String.init)) }
        let coins: [JSONValue] = a.balances.keys.sorted().filter { wanted == nil || wanted!.contains($0) }.map { coin in
            BybitFormat.coin(coin, a.balances[coin]!)
        }
        return .object([("list", [.object([("accountType", "UNIFIED"), ("accountIMRate", "0"), ("accountMMRate", "0"), ("totalEquity", ""),
                                          ("totalWalletBalance", ""), ("totalMarginBalance", ""), ("totalAvailableBalance", ""),
                                          ("totalPerpUPL", "0"), ("totalInitialMargin", "0"), ("totalMaintenanceMargin", "0"),
                                          ("accountLTV", "0"), ("coin", .array(coins))])])])
    }
}
