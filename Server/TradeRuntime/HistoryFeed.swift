import TradeCore
import TradeEngine
import TradeStore

/// Turns what a run learned since the last commit into the store's history rows:
/// round trips (per model for a strategy with records, per symbol otherwise), and —
/// from its records — every signal with its outcome, rule and reasons, and every
/// circuit-breaker transition. It also keeps the run's running totals (signals per
/// model, each model's closed-trade tally), so they survive the engine letting go of
/// what is stored. Saved in every checkpoint; its counters are absolute positions in
/// the engine's logs (how much of each is already stored).
public struct HistoryFeed: Codable {
    private(set) var trips: RoundTripTracker
    private var signals = 0
    private var trades = 0
    private var transitions = 0
    private var fills = 0
    private var orders = 0
    /// Signals stored so far (the next one's number in the run is this + 1).
    public private(set) var signalsStored = 0
    public private(set) var signalsPerModel: [String: Int] = [:]
    /// Closed round trips per model (the strategy's name for a strategy without records).
    public private(set) var tallies: [String: TradeTally] = [:]
    private let startEquity: Double

    init(lots: [Quantity], startEquity: Double) {
        trips = RoundTripTracker(symbolCount: lots.count, lots: lots)
        self.startEquity = startEquity
    }

    /// Positions the counters after a resume: what the engine made since the checkpoint is
    /// stored already; the totals take it in, no rows are made.
    mutating func skipStored<S: Strategy, V: ExecutionVenue>(_ engine: TradingEngine<S, V>) {
        var discarded = StoreBatch()
        collect(engine, into: &discarded)
    }

    mutating func collect<S: Strategy, V: ExecutionVenue>(_ engine: TradingEngine<S, V>, into batch: inout StoreBatch) {
        let symbols = engine.configuration.instruments.map(\.symbol)
        if let m = engine.strategy.records {
            for r in m.signalLog[signals...] { store(Self.signalRecord(r, symbols: symbols), into: &batch) }
            for t in m.closedTrades[trades...] {
                tallies[t.model.name, default: TradeTally(startEquity: startEquity)].add(gross: t.grossPnL, fees: t.fees)
                batch.trades.append(TradeRecord(time: t.exitTime, model: t.model.name, symbol: symbols[t.symbol],
                                                direction: Int(t.direction.rawValue), entryTime: t.entryTime,
                                                quantity: t.quantity, grossPnL: t.grossPnL, fees: t.fees))
            }
            for b in m.breakerTransitions[transitions...] {
                batch.breakerTransitions.append(StoredBreakerTransition(
                    time: b.time, model: b.model.name, breaker: "strategy", from: "\(b.from)", to: "\(b.to)",
                    reason: "\(b.trigger) (\(b.severity))"))
            }
            signals = m.signalLog.endIndex
            trades = m.closedTrades.endIndex
            transitions = m.breakerTransitions.count
        } else {
            let name = engine.strategy.name
            for fill in engine.fills[fills...] {
                trips.add(fill) {
                    tallies[name, default: TradeTally(startEquity: startEquity)].add(gross: $0.grossPnL, fees: $0.fees)
                    batch.trades.append(TradeRecord($0, model: name, symbol: symbols[$0.symbol]))
                }
            }
            // A strategy without a resolver: each of its orders is its signal.
            for order in engine.orders[orders...] where engine.strategy.model(of: order) == name {
                store(Self.signalRecord(order, model: name, symbol: symbols[order.symbol]), into: &batch)
            }
        }
        fills = engine.fills.endIndex
        orders = engine.orders.endIndex
    }

    /// Whether everything the engine holds is already collected (so it may be forgotten).
    func isCaughtUp<S: Strategy, V: ExecutionVenue>(with engine: TradingEngine<S, V>) -> Bool {
        guard fills == engine.fills.endIndex, orders == engine.orders.endIndex else { return false }
        guard let m = engine.strategy.records else { return true }
        return signals == m.signalLog.endIndex && trades == m.closedTrades.endIndex
    }

    private mutating func store(_ signal: StoredSignalRecord, into batch: inout StoreBatch) {
        signalsStored += 1
        signalsPerModel[signal.model, default: 0] += 1
        var numbered = signal
        numbered.number = Int64(signalsStored)
        batch.signals.append(numbered)
    }

    public static func signalRecord(_ order: Order, model: String, symbol: String) -> StoredSignalRecord {
        let blocked = order.status == .rejected && order.statusMessage.hasPrefix("entries are blocked")
        let outcome: SignalOutcome = order.status != .rejected ? .accepted : (blocked ? .blocked : .rejected)
        return StoredSignalRecord(time: order.submittedAt, model: model, symbol: symbol,
                                  direction: order.side == .buy ? .long : .short, confidence: 0, outcome: outcome,
                                  rule: blocked ? "operator_block" : (outcome == .rejected ? "engine_rejected" : ""),
                                  reasons: ([order.reason] + (order.status == .rejected ? [order.statusMessage] : [])).joined(separator: "; "),
                                  quantity: order.quantity, orderID: order.status == .rejected ? 0 : order.id)
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
                                       confidence: s.confidence, outcome: outcome, rule: r.verdict.rule.name, reasons: reasons,
                                       quantity: RiskEngine.quantity(r.quantity), orderID: r.orderRejected ? 0 : r.orderID)
    }
}
