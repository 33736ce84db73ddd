import TradeCore

/// A strategy that submits given orders at given base-bar indices: lets a test
/// put an exact order in front of the broker on a real bar.
struct ScriptedStrategy: Strategy {
    let name = "scripted"
    let timeframes: [Timeframe] = [.m1]
    var script: [Int: [OrderIntent]]
    var fills: [Fill] = []
    var rejections: [Order] = []
    var cancels: [Order] = []
    var contexts: [BarContext] = []

    init(_ script: [Int: [OrderIntent]]) { self.script = script }

    mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        contexts.append(bar)
        for intent in script[bar.barIndex] ?? [] where intent.symbol == bar.symbol { orders.submit(intent) }
    }

    mutating func onFill(_ fill: Fill) { fills.append(fill) }
    mutating func onReject(_ order: Order) { rejections.append(order) }
    mutating func onCancel(_ order: Order) { cancels.append(order) }
}

/// Trades often and in both directions, with partial closes and flips, so the
/// ledger's every path runs on real data. Decisions depend only on past closes.
struct ChurningStrategy: Strategy, Codable {
    var name: String { "churning" }
    var timeframes: [Timeframe] { [.m1] }
    private var previousClose: [Double]

    init(symbolCount: Int) { previousClose = Array(repeating: 0, count: symbolCount) }

    mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        let s = bar.symbol
        defer { previousClose[s] = bar.candle.close }
        guard previousClose[s] > 0, bar.workingOrders == 0, bar.barIndex % 7 == 0 else { return }
        let up = bar.candle.close > previousClose[s]
        // Target between −0.03 and +0.03 of the base asset by the last move and bar index.
        let unit = Int64(1_000_000)  // 0.01
        let target = Quantity(raw: (up ? 1 : -1) * unit * Int64(1 + bar.barIndex % 3))
        let delta = target - bar.position
        guard !delta.isZero else { return }
        let type: OrderType = bar.barIndex % 5 == 0
            ? .limit(Price(bar.candle.close * (delta.raw > 0 ? 0.9995 : 1.0005)))
            : .market
        orders.submit(OrderIntent(symbol: s, side: delta.raw > 0 ? .buy : .sell, type: type, quantity: delta.magnitude))
    }
}
