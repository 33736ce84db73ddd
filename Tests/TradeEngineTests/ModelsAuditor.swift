import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Watches a `--strategy models` run step by step from the outside and checks
/// the brain's promises against the engine's own records — orders, fills,
/// ledger, working orders — not against the strategy's bookkeeping:
///
/// - the ledger identity at every step;
/// - per-model positions rebuilt from the fills (the model is read from the
///   client order id): they sum to the ledger's, and no two models are ever
///   opposite in a symbol;
/// - at every step that sends an entry: the position, asset, correlated-group,
///   total and one-sided limits, the VaR limit (recomputed from 1h closes),
///   the model's daily loss limit, its cooldown, its trade caps, its breaker,
///   the open-position cap, and no entry at all once the kill switch's loss is reached;
/// - after the kill switch, every position flat within two steps.
struct ModelsAuditor {
    let parameters: ModelsParameters
    let initialEquity: Double
    let symbolCount: Int
    var issues: [String] = []
    var steps = 0
    var entriesChecked = 0
    var exitsSeen = 0

    private var fillsSeen = 0
    private var ordersSeen = 0
    private var modelPositions: [[Position]]
    private var modelRealized: [[Money]]
    private var modelFees: [[Money]]
    /// Closed trades per model: (exit time, net PnL).
    private(set) var closed: [[(Int64, Double)]]
    private var lossStreak: [Int]
    private var cooldownUntil: [Int64]
    private var entriesPerDay: [[Int64: Int]]
    private var entriesPerWeek: [[Int64: Int]]
    /// Hourly closes per symbol by hour number (from base bars ending an hour).
    private var hourly: [[Int64: Double]]
    private var killedAt: Int64?
    private var transitions: [BreakerTransition] = []

    init(parameters: ModelsParameters, initialEquity: Double, symbolCount: Int) {
        self.parameters = parameters
        self.initialEquity = initialEquity
        self.symbolCount = symbolCount
        let models = ModelID.allCases.count
        modelPositions = Array(repeating: Array(repeating: Position(), count: symbolCount), count: models)
        modelRealized = Array(repeating: Array(repeating: .zero, count: symbolCount), count: models)
        modelFees = modelRealized
        closed = Array(repeating: [], count: models)
        lossStreak = Array(repeating: 0, count: models)
        cooldownUntil = Array(repeating: .min, count: models)
        entriesPerDay = Array(repeating: [:], count: models)
        entriesPerWeek = Array(repeating: [:], count: models)
        hourly = Array(repeating: [:], count: symbolCount)
    }

    static func model(of order: Order) -> ModelID {
        let id = order.clientOrderID
        return ModelID(name: String(id[..<id.lastIndex(of: "-")!]))!
    }

    mutating func issue(_ s: String) { if issues.count < 20 { issues.append(s) } }

    mutating func observe(_ e: TradingEngine<ModelsStrategy, PaperBroker>) {
        steps += 1
        let t = e.currentTime
        let marks = e.marks
        let closes = marks.map(\.doubleValue)
        // Ledger identity.
        let equityExact = e.ledger.equity(marks: marks)
        if equityExact != e.ledger.equityFromPnL(marks: marks) { issue("ledger identity broken at \(t)") }
        let equity = equityExact.doubleValue
        // Hourly closes (a base bar whose close ends an hour).
        for s in 0..<symbolCount where (t + 60_000) % 3_600_000 == 0 && closes[s] > 0 {
            hourly[s][t / 3_600_000] = closes[s]
        }
        // Fills → per-model positions and closed trades.
        for f in e.fills[fillsSeen...] {
            let m = Self.model(of: e.orders[Int(f.orderID) - 1]).rawValue
            let wasFlat = modelPositions[m][f.symbol].isFlat
            modelRealized[m][f.symbol] += modelPositions[m][f.symbol].apply(signedQuantity: f.signedQuantity, at: f.price)
            modelFees[m][f.symbol] += f.fee
            if !wasFlat && modelPositions[m][f.symbol].isFlat {
                let net = (modelRealized[m][f.symbol] - modelFees[m][f.symbol]).doubleValue
                closed[m].append((f.time, net))
                modelRealized[m][f.symbol] = .zero
                modelFees[m][f.symbol] = .zero
                lossStreak[m] = net < 0 ? lossStreak[m] + 1 : 0
                let budget = parameters.models[m].budget
                if budget.cooldownAfterLosses > 0 && lossStreak[m] > 0 && lossStreak[m] % budget.cooldownAfterLosses == 0 {
                    cooldownUntil[m] = f.time + Int64(budget.cooldownMinutes) * 60_000
                }
            }
        }
        fillsSeen = e.fills.count
        for s in 0..<symbolCount {
            var sum = Quantity.zero
            var signs = Set<Bool>()
            for m in ModelID.allCases.indices {
                let q = modelPositions[m][s].quantity
                sum += q
                if !q.isZero { signs.insert(q.raw > 0) }
            }
            if sum != e.ledger.positions[s].quantity { issue("models' positions \(sum) ≠ ledger \(e.ledger.positions[s].quantity) in \(s) at \(t)") }
            if signs.count > 1 { issue("opposite model positions in symbol \(s) at \(t)") }
        }
        // Kill switch: from the first step whose loss reaches it.
        if killedAt == nil && initialEquity - equity >= parameters.risk.killSwitchLoss { killedAt = t }
        if let k = killedAt, t >= k + 2 * 60_000, e.ledger.openPositionCount > 0 {
            issue("position still open \(t - k) ms after the kill switch")
        }
        // Orders sent this step.
        let newOrders = e.orders[ordersSeen...]
        ordersSeen = e.orders.count
        let entries = newOrders.filter { $0.reason.hasPrefix("entry:") && $0.status != .rejected }
        exitsSeen += newOrders.count - entries.count
        guard !entries.isEmpty else { return }
        if let k = killedAt, t >= k { issue("entry sent at \(t) after the kill switch at \(k)") }
        // Committed exposure per symbol: ledger plus working orders.
        var committed = e.ledger.positions.map(\.quantity.doubleValue)
        for w in e.workingOrders { committed[w.symbol] += (w.side == .buy ? 1 : -1) * w.remainingQuantity.doubleValue }
        let exposure = (0..<symbolCount).map { committed[$0] * closes[$0] }
        let l = parameters.risk.limits
        let eps = 1e-9 * equity + 1e-6
        let gross = exposure.map(abs).reduce(0, +), net = exposure.reduce(0, +)
        if gross > l.maxTotal * equity + eps { issue("total exposure \(gross / equity) at \(t)") }
        if abs(net) > l.maxOneSided * equity + eps { issue("one-sided exposure \(net / equity) at \(t)") }
        let open = (0..<symbolCount).reduce(0) { n, s in
            n + ModelID.allCases.indices.filter { m in !modelPositions[m][s].isFlat || e.workingOrders.contains { $0.symbol == s && $0.reason.hasPrefix("entry:") && Self.model(of: $0).rawValue == m } }.count
        }
        if open > parameters.resolver.maxOpenPositions { issue("\(open) open positions at \(t)") }
        let (var99, available) = valueAtRisk(exposure, equity: equity)
        if available && var99 > parameters.risk.varLimit + 1e-9 { issue("VaR \(var99) after entries at \(t)") }
        for o in entries {
            entriesChecked += 1
            let m = Self.model(of: o), s = o.symbol
            let notional = o.quantity.doubleValue * closes[s]
            if notional > l.maxPosition * equity + eps { issue("position notional \(notional / equity) at \(t)") }
            if abs(exposure[s]) > l.maxAsset * equity + eps { issue("asset exposure \(exposure[s] / equity) in \(s) at \(t)") }
            // Every correlated group the entry's symbol belongs to.
            func correlated(_ a: Int, _ b: Int) -> Bool { a != b && (correlation(a, b) ?? 0) >= l.correlationThreshold }
            for g in 0..<symbolCount where g == s || correlated(s, g) {
                let groupExposure = (0..<symbolCount).filter { $0 == g || correlated(g, $0) }.map { abs(exposure[$0]) }.reduce(0, +)
                if groupExposure > l.maxGroup * equity + eps { issue("group exposure \(groupExposure / equity) of \(g)'s group at \(t)") }
            }
            // The model's day: realized today plus unrealized now, before this step's entry.
            // Budgets count at the decision instant, the close of the step's bars.
            let decided = t + 60_000
            let day = UTC.day(decided)
            let realized = closed[m.rawValue].filter { UTC.day($0.0) == day }.map(\.1).reduce(0, +)
            var unrealized = 0.0
            for j in 0..<symbolCount where !modelPositions[m.rawValue][j].isFlat {
                unrealized += modelPositions[m.rawValue][j].unrealizedPnL(at: marks[j]).doubleValue
            }
            let budget = parameters[m].budget
            if -(realized + unrealized) >= budget.dailyLossLimit + 1e-6 { issue("\(m) entry at \(t) with day loss \(-(realized + unrealized))") }
            if decided < cooldownUntil[m.rawValue] { issue("\(m) entry at \(t) in a cooldown until \(cooldownUntil[m.rawValue])") }
            entriesPerDay[m.rawValue][day, default: 0] += 1
            entriesPerWeek[m.rawValue][UTC.week(decided), default: 0] += 1
            if let cap = budget.maxTradesPerDay, entriesPerDay[m.rawValue][day]! > cap { issue("\(m): \(entriesPerDay[m.rawValue][day]!) entries on day \(day)") }
            if let cap = budget.maxTradesPerWeek, entriesPerWeek[m.rawValue][UTC.week(decided)]! > cap { issue("\(m): too many entries in week \(UTC.week(decided))") }
            let state = e.strategy.breakerTransitions.last { $0.model == m && $0.time <= t }?.to ?? .closed
            if !state.allowsEntries { issue("\(m) entry at \(t) while its breaker is \(state)") }
        }
    }

    /// Hourly returns over the last `returnWindowBars` hours.
    func returns(_ s: Int, lastHour: Int64) -> [Int64: Double] {
        HourlyReturns.returns(hourly[s], lastHour: lastHour, window: parameters.risk.returnWindowBars)
    }

    var lastHour: Int64 { hourly.compactMap { $0.keys.max() }.max() ?? 0 }

    func correlation(_ a: Int, _ b: Int) -> Double? {
        HourlyReturns.correlation(returns(a, lastHour: lastHour), returns(b, lastHour: lastHour),
                                  minObservations: parameters.risk.minObservations)
    }

    /// The larger of parametric and historical 99 % one-day VaR of `exposure`.
    func valueAtRisk(_ exposure: [Double], equity: Double) -> (Double, Bool) {
        let held = (0..<symbolCount).filter { exposure[$0] != 0 }
        guard !held.isEmpty else { return (0, true) }
        let r = held.map { returns($0, lastHour: lastHour) }
        let hours = r[0].keys.filter { h in r.allSatisfy { $0[h] != nil } }.sorted()
        guard hours.count >= parameters.risk.minObservations else { return (0, false) }
        let pnl = hours.map { h in held.indices.map { exposure[held[$0]] * r[$0][h]! }.reduce(0, +) }
        let scale = parameters.risk.varHorizonBars.squareRoot() / equity
        let mean = pnl.reduce(0, +) / Double(pnl.count)
        let sd = (pnl.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(pnl.count - 1)).squareRoot()
        let losses = pnl.map { -$0 * scale }.sorted()
        let historical = losses[Int((0.99 * Double(losses.count)).rounded(.up)) - 1]
        return (max(2.3263478740408408 * sd * scale, historical), true)
    }
}
