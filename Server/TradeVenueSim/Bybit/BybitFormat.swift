/// How Bybit writes numbers and orders.
enum BybitFormat {
    /// Bybit's decimals carry no trailing zeros: "0.01", "29000".
    static func number(_ d: Decimal8) -> JSONValue {
        var s = d.description
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return .string(s)
    }

    static func number(_ x: Double) -> JSONValue { number(Decimal8(exactly: x)) }

    static let statuses: [SimOrder.Status: String] = [.new: "New", .partiallyFilled: "PartiallyFilled", .filled: "Filled",
                                                      .canceled: "Cancelled", .expired: "Cancelled"]

    static func order(_ o: SimOrder, _ rules: SymbolRules) -> JSONValue {
        let status = o.status == .canceled && !o.executed.isZero ? "PartiallyFilledCanceled" : statuses[o.status]!
        let average = o.executed.isZero ? Decimal8.zero
            : Decimal8(raw: Int64(Int128(o.cumulativeQuote.raw) * Int128(Decimal8.scale) / Int128(o.executed.raw)))
        let tif = o.kind == .limitMaker ? "PostOnly" : (o.timeInForce ?? .ioc).rawValue
        return .object([
            ("orderId", .string(String(o.id))), ("orderLinkId", .string(o.clientID)), ("blockTradeId", ""), ("symbol", .string(rules.symbol)),
            ("price", number(o.price ?? .zero)), ("qty", number(o.quantity)), ("side", .string(o.side == .buy ? "Buy" : "Sell")),
            ("isLeverage", "0"), ("positionIdx", 0), ("orderStatus", .string(status)), ("cancelType", .string(o.status == .canceled ? "CancelByUser" : "UNKNOWN")),
            ("rejectReason", "EC_NoError"), ("avgPrice", number(average)), ("leavesQty", number(o.status.isOpen ? o.remaining : .zero)),
            ("leavesValue", number(o.status.isOpen ? (o.price ?? .zero) * o.remaining : .zero)), ("cumExecQty", number(o.executed)),
            ("cumExecValue", number(o.cumulativeQuote)), ("cumExecFee", number(o.cumulativeFee)), ("timeInForce", .string(tif)),
            ("orderType", .string(o.kind == .market ? "Market" : "Limit")), ("stopOrderType", ""), ("orderIv", ""), ("triggerPrice", "0"),
            ("takeProfit", "0"), ("stopLoss", "0"), ("tpTriggerBy", ""), ("slTriggerBy", ""), ("triggerDirection", 0), ("triggerBy", ""),
            ("lastPriceOnCreated", ""), ("reduceOnly", false), ("closeOnTrigger", false), ("smpType", "None"), ("smpGroup", 0), ("smpOrderId", ""),
            ("tpslMode", ""), ("tpLimitPrice", ""), ("slLimitPrice", ""), ("placeType", ""), ("marketUnit", .string(o.kind == .market ? "baseCoin" : "")),
            ("createdTime", .string(String(o.created))), ("updatedTime", .string(String(o.updated))),
        ])
    }

    /// One fill, as /v5/execution/list and the private `execution` topic write it.
    static func execution(_ t: SimTrade, _ o: SimOrder, _ rules: SymbolRules, feeBps: Int64) -> JSONValue {
        .object([
            ("symbol", .string(rules.symbol)), ("orderId", .string(String(t.orderID))),
            ("orderLinkId", .string(o.clientID)), ("side", .string(t.side == .buy ? "Buy" : "Sell")),
            ("orderPrice", number(o.price ?? .zero)), ("orderQty", number(o.quantity)),
            ("leavesQty", number(o.status.isOpen ? o.remaining : .zero)), ("orderType", .string(o.kind == .market ? "Market" : "Limit")),
            ("stopOrderType", ""), ("execFee", number(t.fee)), ("feeCurrency", .string(t.feeAsset)),
            ("execId", .string(String(t.id))), ("execPrice", number(t.price)), ("execQty", number(t.quantity)),
            ("execType", "Trade"), ("execValue", number(t.quote)), ("execTime", .string(String(t.time))),
            ("isMaker", .bool(t.maker)), ("feeRate", number(Decimal8(raw: feeBps * 10_000))), ("tradeIv", ""), ("markIv", ""),
            ("markPrice", ""), ("indexPrice", ""), ("underlyingPrice", ""), ("blockTradeId", ""), ("closedSize", ""), ("seq", .int(t.id)),
        ])
    }

    /// One coin of the unified wallet, as /v5/account/wallet-balance and the private `wallet` topic write it.
    static func coin(_ coin: String, _ b: SimAccount.Balance) -> JSONValue {
        let total = b.free + b.locked
        return .object([("coin", .string(coin)), ("equity", number(total)), ("usdValue", ""), ("walletBalance", number(total)),
                        ("free", number(b.free)), ("locked", number(b.locked)), ("spotHedgingQty", "0"),
                        ("borrowAmount", "0"), ("availableToWithdraw", number(b.free)), ("accruedInterest", "0"),
                        ("totalOrderIM", "0"), ("totalPositionIM", "0"), ("totalPositionMM", "0"), ("unrealisedPnl", "0"),
                        ("cumRealisedPnl", "0"), ("bonus", "0"), ("marginCollateral", true), ("collateralSwitch", true)])
    }
}
