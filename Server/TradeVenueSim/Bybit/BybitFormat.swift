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

    static func order(_ o: SimOrder, _ rules: SymbolRules, fees: Decimal8) -> JSONValue {
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
            ("cumExecValue", number(o.cumulativeQuote)), ("cumExecFee", number(fees)), ("timeInForce", .string(tif)),
            ("orderType", .string(o.kind == .market ? "Market" : "Limit")), ("stopOrderType", ""), ("orderIv", ""), ("triggerPrice", "0"),
            ("takeProfit", "0"), ("stopLoss", "0"), ("tpTriggerBy", ""), ("slTriggerBy", ""), ("triggerDirection", 0), ("triggerBy", ""),
            ("lastPriceOnCreated", ""), ("reduceOnly", false), ("closeOnTrigger", false), ("smpType", "None"), ("smpGroup", 0), ("smpOrderId", ""),
            ("tpslMode", ""), ("tpLimitPrice", ""), ("slLimitPrice", ""), ("placeType", ""), ("marketUnit", .string(o.kind == .market ? "baseCoin" : "")),
            ("createdTime", .string(String(o.created))), ("updatedTime", .string(String(o.updated))),
        ])
    }
}
