import TradeCore
import TradeEngine

/// Rebuilds every stated limit of the models from what a user can see after a
/// run — the trade list, the signal log and the candles — and nothing of the
/// engine's own counters, budgets or book.
///
/// Time: a signal's `time` is the open time of the base bar whose close
/// decided it, so the decision happens at `time + base interval` (the
/// *decision instant*); caps per UTC day and ISO week (Monday 00:00 UTC) count
/// entries by that instant, which is also the entry's fill time under
/// `next-open`. Everything stamped at or before the signal's bar — fills at
/// that bar's open, or, under `close`, at its close before the entries were
/// decided — is known at the decision; later stamps are not.
///
/// Checked at every entry the resolver let through (ACCEPTED or RESIZED):
/// trades per UTC day and per ISO week (counting the entries decided earlier in
/// the same step), the daily loss limit (the day's closed trades net of fees
/// plus the open positions' unrealized PnL), the cooldown after consecutive
/// losses, the kill switch (no entry once the loss reached it, and every
/// position closed within two steps of it), already in position, no model
/// opening against another's position in the symbol, the pile-up rule, open
/// positions and entries per step, and the position, asset, correlated-group,
/// total and one-sided exposure after the entry at the step's marks. Every veto
/// by a trade cap is checked to name the cap and a count that reached it. Over
/// the whole trade list: no two models' positions in one symbol are ever
/// opposite.
struct LimitAuditor {
    /// A round trip from the trade list, or a position still open at the end (`exitTime` nil).
    struct Trade {
        var model: ModelID
        var symbol: Int
        var direction: Direction
        var entryTime: Int64
        var exitTime: Int64?
        var entryPrice: Double
        var quantity: Double
        /// Net of entry and exit fees; nil while open.
        var netPnL: Double?
        var signalIndex: Int

        init(_ t: ClosedTrade) {
            model = t.model; symbol = t.symbol; direction = t.direction; entryTime = t.entryTime
            exitTime = t.exitTime; entryPrice = t.entryPrice; quantity = t.quantity.doubleValue
            netPnL = t.netPnL.doubleValue; signalIndex = t.signalIndex
        }

        init(open t: OpenTrade) {
            model = t.model; symbol = t.symbol; direction = t.direction; entryTime = t.entryTime
            exitTime = nil; entryPrice = t.entryPrice; quantity = t.quantity.doubleValue
            netPnL = nil; signalIndex = t.signalIndex
        }
    }

    /// How often each cap was reached (an entry took the count to the cap, or
    /// a candidate was vetoed by it): the tests ask that tight caps bind.
    struct Bindings {
        var tradesPerDay = 0, tradesPerWeek = 0, dailyLoss = 0, cooldown = 0, pileUp = 0
        var killSwitch = 0, openPositions = 0, entriesPerStep = 0, exposure = 0
    }

    let parameters: ModelsParameters
    let initialEquity: Double
    /// The taker fee as a fraction: the entry fee of a position still open is
    /// part of equity (the trade list gives fees only per round trip).
    let takerFee: Double
    let baseMilliseconds: Int64
    private(set) var issues: [String] = []
    private(set) var entriesChecked = 0
    private(set) var bindings = Bindings()

    init(parameters: ModelsParameters, initialEquity: Double, takerFee: Double, baseMilliseconds: Int64 = 60_000) {
        self.parameters = parameters
        self.initialEquity = initialEquity
        self.takerFee = takerFee
        self.baseMilliseconds = baseMilliseconds
    }

    private mutating func issue(_ s: String) { if issues.count < 500 { issues.append(s) } }

    /// An entry the resolver let through, while it is part of the book.
    private struct Active {
        var model: ModelID, symbol: Int, direction: Direction, quantity: Double
        var trade: Trade?
    }

    mutating func audit(candles: [[Candle]], signals: [SignalRecord], trades: [Trade]) {
        let n = candles.count
        let marks = Marks(candles: candles)
        let hourly = HourlyCloses(candles: candles, window: parameters.risk.returnWindowBars,
                                  minObservations: parameters.risk.minObservations)
        checkNeverOpposite(trades)
        var tradeOf: [Int: Trade] = [:]
        for t in trades {
            if tradeOf[t.signalIndex] != nil { issue("two trades from signal \(t.signalIndex)") }
            tradeOf[t.signalIndex] = t
        }
        let closes = trades.enumerated().filter { $0.element.exitTime != nil }
            .sorted { ($0.element.exitTime!, $0.offset) < ($1.element.exitTime!, $1.offset) }.map(\.element)
        var nextClose = 0
        var realized = 0.0
        var lossStreak = Array(repeating: 0, count: ModelID.allCases.count)
        var cooldownUntil = Array(repeating: Int64.min, count: ModelID.allCases.count)
        var entriesByDay: [[Int64: Int]] = Array(repeating: [:], count: ModelID.allCases.count)
        var entriesByWeek: [[Int64: Int]] = Array(repeating: [:], count: ModelID.allCases.count)
        var active: [Active] = []
        var killedAt: Int64?
        var record = 0
        let limits = parameters.risk.limits
        let kill = parameters.risk.killSwitchLoss

        for t in marks.steps {
            marks.advance(to: t)
            // Closes known at t: realized PnL, loss streaks and cooldowns.
            while nextClose < closes.count && closes[nextClose].exitTime! <= t {
                let c = closes[nextClose]
                realized += c.netPnL!
                let m = c.model.rawValue
                let budget = parameters.models[m].budget
                lossStreak[m] = c.netPnL! < 0 ? lossStreak[m] + 1 : 0
                if budget.cooldownAfterLosses > 0 && lossStreak[m] > 0 && lossStreak[m] % budget.cooldownAfterLosses == 0 {
                    cooldownUntil[m] = c.exitTime! + Int64(budget.cooldownMinutes) * 60_000
                }
                nextClose += 1
            }
            active.removeAll { a in a.trade.map { $0.exitTime.map { $0 <= t } ?? false } ?? false }
            let equity = initialEquity + realized + active.reduce(0) { $0 + openPnL($1, at: t, marks: marks, fees: true) }
            if killedAt == nil && initialEquity - equity >= kill + 1e-6 {
                killedAt = t
                bindings.killSwitch += 1
                for a in active {
                    if let exit = a.trade?.exitTime, exit <= t + 2 * baseMilliseconds { continue }
                    issue("\(a.model) \(a.symbol) still open two steps after the kill switch at \(t)")
                }
            }
            var entriesThisStep = 0
            while record < signals.count && signals[record].signal.time <= t {
                defer { record += 1 }
                let r = signals[record], s = r.signal
                guard s.time == t else { issue("signal \(record) at \(s.time) out of time order"); continue }
                let m = s.model.rawValue
                let decided = t + baseMilliseconds
                let day = UTC.day(decided), week = UTC.week(decided)
                let budget = parameters.models[m].budget
                let today = entriesByDay[m][day, default: 0], thisWeek = entriesByWeek[m][week, default: 0]
                if r.decision == .vetoed {
                    checkCapVeto(r, index: record, today: today, thisWeek: thisWeek, budget: budget)
                    continue
                }
                guard r.orderID > 0, !r.orderRejected else { continue }
                entriesChecked += 1
                let what = "\(s.model) \(s.symbol) \(s.direction) decided at \(decided) (signal \(record))"
                guard let trade = tradeOf[record] else { issue("\(what): sent but in no trade"); continue }
                if trade.model != s.model || trade.symbol != s.symbol || trade.direction != s.direction || trade.entryTime < t {
                    issue("\(what): its trade does not match (entered \(trade.entryTime))")
                }
                // Budgets.
                if let cap = budget.maxTradesPerDay {
                    if today + 1 > cap { issue("\(what): entry \(today + 1) of the UTC day, cap \(cap)") }
                    if today + 1 == cap { bindings.tradesPerDay += 1 }
                }
                if let cap = budget.maxTradesPerWeek {
                    if thisWeek + 1 > cap { issue("\(what): entry \(thisWeek + 1) of the ISO week, cap \(cap)") }
                    if thisWeek + 1 == cap { bindings.tradesPerWeek += 1 }
                }
                entriesByDay[m][day] = today + 1
                entriesByWeek[m][week] = thisWeek + 1
                let dayRealized = closes[..<nextClose].filter { $0.model == s.model && UTC.day($0.exitTime!) == day }
                    .reduce(0) { $0 + $1.netPnL! }
                let unrealized = active.filter { $0.model == s.model }.reduce(0) { $0 + openPnL($1, at: t, marks: marks, fees: false) }
                let dayLoss = -(dayRealized + unrealized)
                if dayLoss >= budget.dailyLossLimit + 1e-6 { issue("\(what): day loss \(dayLoss) ≥ \(budget.dailyLossLimit)") }
                if decided < cooldownUntil[m] { issue("\(what): in a cooldown until \(cooldownUntil[m])") }
                if let k = killedAt { issue("\(what): after the kill switch at \(k)") }
                // The book: position, cross, pile-up, slots.
                if active.contains(where: { $0.model == s.model && $0.symbol == s.symbol }) { issue("\(what): already in position") }
                if active.contains(where: { $0.symbol == s.symbol && $0.direction != s.direction }) {
                    issue("\(what): another model holds the opposite side")
                }
                let sameSide = active.filter { $0.symbol == s.symbol && $0.direction == s.direction && $0.model != s.model }.count
                if sameSide >= parameters.resolver.pileUpLimit {
                    bindings.pileUp += 1
                    if s.confidence < parameters.resolver.pileUpConfidence { issue("\(what): pile-up of \(sameSide + 1) at confidence \(s.confidence)") }
                }
                active.append(Active(model: s.model, symbol: s.symbol, direction: s.direction, quantity: r.quantity, trade: trade))
                entriesThisStep += 1
                if active.count > parameters.resolver.maxOpenPositions { issue("\(what): \(active.count) open positions") }
                if active.count == parameters.resolver.maxOpenPositions { bindings.openPositions += 1 }
                if entriesThisStep > parameters.resolver.maxEntriesPerStep { issue("\(what): entry \(entriesThisStep) of the step") }
                // Exposures after the entry, at the step's marks.
                var exposure = Array(repeating: 0.0, count: n)
                for a in active { exposure[a.symbol] += a.direction.sign * a.quantity * marks.close(a.symbol) }
                let eps = 1e-7 * equity
                let notional = r.quantity * marks.close(s.symbol)
                let gross = exposure.reduce(0) { $0 + abs($1) }, net = exposure.reduce(0, +)
                var bound = false
                func check(_ name: String, _ value: Double, _ limit: Double) {
                    if value > limit * equity + eps { issue("\(what): \(name) \(value / equity) > \(limit)") }
                    if value > limit * equity * 0.999 { bound = true }
                }
                check("position", notional, limits.maxPosition)
                check("asset exposure", abs(exposure[s.symbol]), limits.maxAsset)
                for g in 0..<n where g == s.symbol || hourly.correlated(s.symbol, g, at: t, threshold: limits.correlationThreshold) {
                    let members = (0..<n).filter { $0 == g || hourly.correlated(g, $0, at: t, threshold: limits.correlationThreshold) }
                    check("group of \(g)", members.reduce(0) { $0 + abs(exposure[$1]) }, limits.maxGroup)
                }
                check("total exposure", gross, limits.maxTotal)
                check("one-sided exposure", s.direction.sign * net, limits.maxOneSided)
                if bound { bindings.exposure += 1 }
            }
            if entriesThisStep == parameters.resolver.maxEntriesPerStep && entriesThisStep > 0 { bindings.entriesPerStep += 1 }
        }
        if record < signals.count { issue("\(signals.count - record) signals after the last candle") }
    }

    /// A veto by a trade cap names the cap and a count that reached it.
    private mutating func checkCapVeto(_ r: SignalRecord, index: Int, today: Int, thisWeek: Int, budget: BudgetParameters) {
        switch r.verdict.rule {
        case .tradesPerDay:
            bindings.tradesPerDay += 1
            guard let cap = budget.maxTradesPerDay, r.verdict.limit == Double(cap), r.verdict.value >= Double(cap),
                  r.verdict.value <= Double(today), today >= cap else {
                return issue("signal \(index): trades_per_day \(r.verdict.value)/\(r.verdict.limit) with \(today) entries that day")
            }
        case .tradesPerWeek:
            bindings.tradesPerWeek += 1
            guard let cap = budget.maxTradesPerWeek, r.verdict.limit == Double(cap), r.verdict.value >= Double(cap),
                  r.verdict.value <= Double(thisWeek), thisWeek >= cap else {
                return issue("signal \(index): trades_per_week \(r.verdict.value)/\(r.verdict.limit) with \(thisWeek) entries that week")
            }
        case .dailyLossLimit: bindings.dailyLoss += 1
        case .cooldown: bindings.cooldown += 1
        case .pileUp: bindings.pileUp += 1
        case .maxOpenPositions: bindings.openPositions += 1
        case .maxEntriesPerStep: bindings.entriesPerStep += 1
        default: break
        }
    }

    /// Unrealized PnL of a filled position at the step's marks (0 before its
    /// entry fill), less its entry fee when `fees`.
    private func openPnL(_ a: Active, at t: Int64, marks: Marks, fees: Bool) -> Double {
        guard let trade = a.trade, trade.entryTime <= t else { return 0 }
        let pnl = a.direction.sign * trade.quantity * (marks.close(a.symbol) - trade.entryPrice)
        return fees ? pnl - trade.quantity * trade.entryPrice * takerFee : pnl
    }

    /// No two models ever hold opposite positions in one symbol: the trades'
    /// [entry, exit) intervals never overlap with opposite directions.
    private mutating func checkNeverOpposite(_ trades: [Trade]) {
        let bySymbol = Dictionary(grouping: trades, by: \.symbol)
        for (symbol, list) in bySymbol {
            let longs = list.filter { $0.direction == .long }, shorts = list.filter { $0.direction == .short }
            for a in longs {
                for b in shorts where b.model != a.model
                    && a.entryTime < (b.exitTime ?? .max) && b.entryTime < (a.exitTime ?? .max) {
                    issue("symbol \(symbol): \(a.model) long from \(a.entryTime) and \(b.model) short from \(b.entryTime) overlap")
                }
            }
        }
    }
}

/// The latest close of every symbol at a step, from the candles alone.
private final class Marks {
    let candles: [[Candle]]
    let steps: [Int64]
    private var cursor: [Int]

    init(candles: [[Candle]]) {
        self.candles = candles
        steps = Array(Set(candles.flatMap { $0.map(\.openTime) })).sorted()
        cursor = Array(repeating: -1, count: candles.count)
    }

    func advance(to t: Int64) {
        for s in candles.indices {
            while cursor[s] + 1 < candles[s].count && candles[s][cursor[s] + 1].openTime <= t { cursor[s] += 1 }
        }
    }

    func close(_ s: Int) -> Double { cursor[s] >= 0 ? candles[s][cursor[s]].close : 0 }
}

/// Hourly closes from the 1m candles (the close of an hour's last minute) and
/// the correlation of two symbols' hourly returns over the window known at a step.
private struct HourlyCloses {
    let closes: [[Int64: Double]]
    let window: Int
    let minObservations: Int

    init(candles: [[Candle]], window: Int, minObservations: Int) {
        closes = candles.map { list in
            var out: [Int64: Double] = [:]
            for c in list where (c.openTime + 60_000) % 3_600_000 == 0 { out[c.openTime / 3_600_000] = c.close }
            return out
        }
        self.window = window
        self.minObservations = minObservations
    }

    func correlated(_ a: Int, _ b: Int, at t: Int64, threshold: Double) -> Bool {
        guard a != b else { return false }
        // The last hour whose final minute closed by step t.
        let lastHour = (t + 60_000) / 3_600_000 - 1
        let x = HourlyReturns.returns(closes[a], lastHour: lastHour, window: window)
        let y = HourlyReturns.returns(closes[b], lastHour: lastHour, window: window)
        return (HourlyReturns.correlation(x, y, minObservations: minObservations) ?? 0) >= threshold
    }
}
