import TradeCore

/// The operator's hand on the engine's order flow, shared between the host
/// (which sets it) and `GatedStrategy` (which applies it inside the engine).
///
/// A reference type owned by the host actor: the engine owns its strategy by
/// value, so this is how a command reaches the strategy between two bars without
/// changing the deterministic core. Only the host's actor touches it.
final class EntryGate {
    /// Why new entries are blocked (pause, halt, risk-off context); nil = allowed.
    var entriesBlockedReason: String?
    /// Symbols to close at their next bar, with the reason.
    private(set) var flattenRequests: [Int: String] = [:]
    /// Entries the gate refused since the host last collected them.
    private(set) var blocked: [(intent: OrderIntent, time: Int64)] = []

    var hasFlattenRequests: Bool { !flattenRequests.isEmpty }
    var hasBlocked: Bool { !blocked.isEmpty }

    func requestFlatten(symbol: Int, reason: String) { flattenRequests[symbol] = reason }
    func flattenReason(symbol: Int) -> String? { flattenRequests[symbol] }
    func flattenDone(symbol: Int) { flattenRequests[symbol] = nil }
    func cancelFlattens() { flattenRequests.removeAll() }

    func recordBlocked(_ intent: OrderIntent, time: Int64) { blocked.append((intent, time)) }

    func takeBlocked() -> [(intent: OrderIntent, time: Int64)] {
        defer { blocked.removeAll(keepingCapacity: true) }
        return blocked
    }
}

/// Wraps a model so that the operator's gate applies to its orders: while
/// entries are blocked, orders that would open or grow a position are dropped
/// (and recorded as blocked signals) while exits pass; a flatten request adds a
/// closing market order for whatever the model's own orders leave open.
struct GatedStrategy<Inner: Strategy>: Strategy {
    var inner: Inner
    let gate: EntryGate
    /// Prefix of the reason of every order the operator caused.
    static var operatorReasonPrefix: String { "operator: " }
    private var scratch = OrderOutbox()

    init(inner: Inner, gate: EntryGate) {
        self.inner = inner
        self.gate = gate
    }

    var name: String { inner.name }
    var timeframes: [Timeframe] { inner.timeframes }
    var usesFeatures: Bool { inner.usesFeatures }

    mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        var projected = bar.position
        inner.onBar(bar, orders: &scratch)
        if !scratch.isEmpty {
            for intent in scratch.intents {
                if gate.entriesBlockedReason != nil && Self.isEntry(intent, position: projected) {
                    gate.recordBlocked(intent, time: bar.candle.openTime)
                    continue
                }
                orders.submit(intent)
                projected += intent.side == .buy ? intent.quantity.magnitude : -intent.quantity.magnitude
            }
            scratch.removeAll()
        }
        if gate.hasFlattenRequests, let why = gate.flattenReason(symbol: bar.symbol), bar.timeframe == timeframes.min() {
            if projected.isZero {
                gate.flattenDone(symbol: bar.symbol)
            } else if bar.workingOrders == 0 {
                orders.submit(OrderIntent(symbol: bar.symbol, side: projected.raw > 0 ? .sell : .buy,
                                          quantity: projected.magnitude, reason: Self.operatorReasonPrefix + why))
                gate.flattenDone(symbol: bar.symbol)
            }
        }
    }

    mutating func onFill(_ fill: Fill) { inner.onFill(fill) }
    mutating func onReject(_ order: Order) { inner.onReject(order) }

    /// An order that opens a position or adds to it.
    static func isEntry(_ intent: OrderIntent, position: Quantity) -> Bool {
        if position.isZero { return true }
        return (position.raw > 0) == (intent.side == .buy)
    }
}
