/// How Binance writes an order (GET /api/v3/order, openOrders, the order answers).
enum BinanceFormat {
    static func orderFields(_ o: SimOrder, _ rules: SymbolRules) -> [(String, JSONValue)] {
        [("symbol", .string(rules.symbol)), ("orderId", .int(o.id)), ("orderListId", -1), ("clientOrderId", .string(o.clientID)),
         ("price", .decimal(o.price ?? .zero)), ("origQty", .decimal(o.quantity)), ("executedQty", .decimal(o.executed)),
         ("origQuoteOrderQty", "0.00000000"), ("cummulativeQuoteQty", .decimal(o.cumulativeQuote)), ("status", .string(o.status.rawValue)),
         ("timeInForce", .string((o.timeInForce ?? .gtc).rawValue)), ("type", .string(o.kind.rawValue)), ("side", .string(o.side.rawValue)),
         ("stopPrice", "0.00000000"), ("icebergQty", "0.00000000"), ("time", .int(o.created)), ("updateTime", .int(o.updated)),
         ("isWorking", .bool(o.status.isOpen || o.status == .filled)), ("workingTime", .int(o.created)),
         ("selfTradePreventionMode", "NONE")]
    }
}
