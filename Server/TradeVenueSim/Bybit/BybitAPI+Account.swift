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
            let o = orders[Int(t.orderID) - 1]
            let rate = t.maker ? s.exchange.makerBps : s.exchange.takerBps
            return .object([
                ("symbol", .string(s.exchange.market.series[t.symbol].rules.symbol)), ("orderId", .string(String(t.orderID))),
                ("orderLinkId", .string(o.clientID)), ("side", .string(t.side == .buy ? "Buy" : "Sell")),
                ("orderPrice", BybitFormat.number(o.price ?? .zero)), ("orderQty", BybitFormat.number(o.quantity)),
                ("leavesQty", BybitFormat.number(o.status.isOpen ? o.remaining : .zero)), ("orderType", .string(o.kind == .market ? "Market" : "Limit")),
                ("stopOrderType", ""), ("execFee", BybitFormat.number(t.fee)), ("feeCurrency", .string(t.feeAsset)),
                ("execId", .string(String(t.id))), ("execPrice", BybitFormat.number(t.price)), ("execQty", BybitFormat.number(t.quantity)),
                ("execType", "Trade"), ("execValue", BybitFormat.number(t.quote)), ("execTime", .string(String(t.time))),
                ("isMaker", .bool(t.maker)), ("feeRate", BybitFormat.number(Decimal8(raw: rate * 10_000))), ("tradeIv", ""), ("markIv", ""),
                ("markPrice", ""), ("indexPrice", ""), ("underlyingPrice", ""), ("blockTradeId", ""), ("closedSize", ""), ("seq", .int(t.id)),
            ])
        }
        return .object([("list", .array(list)), ("nextPageCursor", ""), ("category", "spot")])
    }

    static func wallet(_ p: [String: String], _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        guard p["accountType"] == "UNIFIED" else { throw .parameter("accountType: only UNIFIED is served") }
        s.exchange.advance(toWall: wall)
        let a = s.exchange.account(key)!
        let wanted = p["coin"].map { Set($0.split(separator: ",").map(String.init)) }
        let coins: [JSONValue] = a.balances.keys.sorted().filter { wanted == nil || wanted!.contains($0) }.map { coin in
            let b = a.balances[coin]!
            let total = b.free + b.locked
            return .object([("coin", .string(coin)), ("equity", BybitFormat.number(total)), ("usdValue", ""), ("walletBalance", BybitFormat.number(total)),
                            ("free", BybitFormat.number(b.free)), ("locked", BybitFormat.number(b.locked)), ("spotHedgingQty", "0"),
                            ("borrowAmount", "0"), ("availableToWithdraw", BybitFormat.number(b.free)), ("accruedInterest", "0"),
                            ("totalOrderIM", "0"), ("totalPositionIM", "0"), ("totalPositionMM", "0"), ("unrealisedPnl", "0"),
                            ("cumRealisedPnl", "0"), ("bonus", "0"), ("marginCollateral", true), ("collateralSwitch", true)])
        }
        return .object([("list", [.object([("accountType", "UNIFIED"), ("accountIMRate", "0"), ("accountMMRate", "0"), ("totalEquity", ""),
                                          ("totalWalletBalance", ""), ("totalMarginBalance", ""), ("totalAvailableBalance", ""),
                                          ("totalPerpUPL", "0"), ("totalInitialMargin", "0"), ("totalMaintenanceMargin", "0"),
                                          ("accountLTV", "0"), ("coin", .array(coins))])])])
    }
}
