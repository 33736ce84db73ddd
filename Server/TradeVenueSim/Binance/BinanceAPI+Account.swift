extension BinanceAPI {
    static func myTrades(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i = try symbol(r, s)
        let orderID = try integer(r, "orderId"), fromID = try integer(r, "fromId")
        let start = try integer(r, "startTime"), end = try integer(r, "endTime")
        let limit = Int(try integer(r, "limit") ?? 500)
        guard (1...1_000).contains(limit) else { throw .illegal("limit", "1-1000") }
        s.exchange.advance(toWall: wall)
        let rules = s.exchange.market.series[i].rules
        var trades = s.exchange.trades(account: key, symbol: i).filter {
            (orderID == nil || $0.orderID == orderID!) && (fromID == nil || $0.id >= fromID!)
                && (start == nil || $0.time >= start!) && (end == nil || $0.time <= end!)
        }
        trades = start == nil && fromID == nil ? Array(trades.suffix(limit)) : Array(trades.prefix(limit))
        return .array(trades.map { t in
            .object([("symbol", .string(rules.symbol)), ("id", .int(t.id)), ("orderId", .int(t.orderID)), ("orderListId", -1),
                     ("price", .decimal(t.price)), ("qty", .decimal(t.quantity)), ("quoteQty", .decimal(t.quote)),
                     ("commission", .decimal(t.fee)), ("commissionAsset", .string(t.feeAsset)), ("time", .int(t.time)),
                     ("isBuyer", .bool(t.side == .buy)), ("isMaker", .bool(t.maker)), ("isBestMatch", true)])
        })
    }

    static func account(_ r: VenueRequest, _ key: String, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        s.exchange.advance(toWall: wall)
        let a = s.exchange.account(key)!
        let omitZero = r["omitZeroBalances"] == "true"
        let maker = s.exchange.makerBps, taker = s.exchange.takerBps
        let balances: [JSONValue] = a.balances.keys.sorted().compactMap { asset in
            let b = a.balances[asset]!
            if omitZero, b.free.isZero, b.locked.isZero { return nil }
            return .object([("asset", .string(asset)), ("free", .decimal(b.free)), ("locked", .decimal(b.locked))])
        }
        func rate(_ bps: Int64) -> JSONValue { .decimal(Decimal8(raw: bps * 10_000)) }
        return .object([
            ("makerCommission", .int(maker)), ("takerCommission", .int(taker)), ("buyerCommission", 0), ("sellerCommission", 0),
            ("commissionRates", .object([("maker", rate(maker)), ("taker", rate(taker)), ("buyer", "0.00000000"), ("seller", "0.00000000")])),
            ("canTrade", true), ("canWithdraw", false), ("canDeposit", false), ("brokered", false),
            ("requireSelfTradePrevention", false), ("preventSor", false), ("updateTime", .int(wall)), ("accountType", "SPOT"),
            ("balances", .array(balances)), ("permissions", ["SPOT"]), ("uid", 1),
        ])
    }
}
