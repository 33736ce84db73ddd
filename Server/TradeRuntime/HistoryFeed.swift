import TradeCore
import TradeEngine
import TradeStore

/// Turns what a run learned since the last commit into the store's history rows:
/// round trips (per model for a strategy with records, per symbol otherwise), and —
/// from its records — every signal with its outcome, rule and reasons, and every
/// circuit-breaker transition. Counters say how much is already stored.
public struct HistoryFeed {
    private(set) var trips: RoundTripTracker
    private var signals = 0
    private var trades = 0
    private var transitions = 0
    private var fills = 0
    private var orders = 0

    init(symbolCount: Int) { trips = RoundTripTracker(symbolCount: symbolCount) }

    /// Positions the counters after a resume: everything the engine holds is stored already.
    mutating func skipStored<S: Strategy, V: ExecutionVenue>(_ engine: TradingEngine<S, V>) {
        for fill in engine.fills[fills...] { trips.add(fill) { _ in } }
        fills = engine.fills.count
        orders = engine.orders.count
        if let m = engine.strategy.records {
            signals = m.signalLog.count
            trades = m.closedTrades.count
            transitions = m.breakerTransitions.count
        }
    }

    mutating func collect<S: Strategy, V: ExecutionVenue>(_ engine: TradingEngine<S, V>, into batch: inout StoreBatch) {
        let symbols = engine.configuration.instruments.map(\.symbol)
        if let m = engine.strategy.records {
            for r in m.signalLog[signals...] { batch.signals.append(Self.signalRecord(r, symbols: symbols)) }
            for t in m.closedTrades[trades...] {
                batch.trades.append(TradeRecord(time: t.exitTime, model: t.model.name, symbol: symbols[t.symbol],
                                                direction: Int(t.direction.rawValue), entryTime: t.entryTime,
                                                quantity: t.quantity, grossPnL: t.grossPnL, fees: t.fees))
            }
            for b in m.breakerTransitions[transitions...] {
                batch.breakerTransitions.append(StoredBreakerTransition(
                    time: b.time, model: b.model.name, breaker: "strategy", from: "\(b.from)", to: "\(b.to)",
                    reason: "\(b.trigger) (\(b.severity))"))
            }
            signals = m.signalLog.count
            trades = m.closedTrades.count
            transitions = m.breakerTransitions.count
            fills = engine.fills.count
        } else {
            let name = engine.strategy.name
            for fill in engine.fills[fills...] {
                trips.add(fill) { batch.trades.append(TradeRecord($0, model: name, symbol: symbols[$0.symbol])) }
            }
            // A strategy without a resolver: each of its orders is its signal.
            for order in engine.orders[orders...] where engine.strategy.model(of: order) == name {
                batch.signals.append(Self.signalRecord(order, model: name, symbol: symbols[order.symbol]))
            }
            fills = engine.fills.count
        }
        orders = engine.orders.count
    }

    public static func signalRecord(_ order: Order, model: String, symbol: String) -> StoredSignalRecord {
        let blocked = order.status == .rejected && order.statusMessage.hasPrefix("entries are blocked")
        let outcome: SignalOutcome = order.status != .rejected ? .accepted : (blocked ? .blocked : .rejected)
        return StoredSignalRecord(time: order.submittedAt, model: model, symbol: symbol,
                                  direction: order.side == .buy ? .long : .short, confidence: 0, outcome: outcome,
                                  rule: blocked ? "operator_block" : (outcome == .rejected ? "engine_rejected" : ""),
                                  reasons: ([order.reason] + (order.status == .rejected ? [order.statusMessage] : [])).joined(separator: "; "))
    }

    public static func signalRecord(_ r: TradeCore.SignalRecord, symbols: [String]) -> StoredSignalRecord {
        let s = r.signal
        let direction: SignalDirection = s.direction == .long ? .long : (s.direction == .short ? .short : .flat)
        let outcome: SignalOutcome = r.orderRejected ? .rejected : r.decision == .accepted ? .accepted : r.decision == .resized ? .resized
            : r.verdict.rule == .operatorBlock ? .blocked : r.verdict.rule == .engineRejected ? .rejected : .vetoed
        var reasons = "family=\(s.family.name) timeframe=\(s.timeframe.name) regime=\(s.regime.rawValue) score=\(s.score)"
        reasons += " value=\(r.verdict.value) limit=\(r.verdict.limit) qty=\(r.quantity)"
        for (key, value) in s.reasons.pairs where !value.isNaN { reasons += " \(key)=\(value)" }
        return StoredSignalRecord(time: s.time, model: s.model.name, symbol: symbols[s.symbol], direction: direction,
                                       confidence: s.confidence, outcome: outcome, rule: r.verdict.rule.name, reasons: reasons)
    }
}
