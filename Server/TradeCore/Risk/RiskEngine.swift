/// The risk engine: the one place every entry passes through before it can
/// become an order, and the keeper of everything risk needs to know — the
/// models' book, their expectancy, budgets and circuit breakers, the kill
/// switch, stale-data guard, recent returns (correlation, VaR) and the
/// big-picture postures. Deterministic; its time is the bars' time.
public struct RiskEngine: ResolverGate, Sendable, Codable {
    public private(set) var parameters: RiskParameters
    public let symbolCount: Int
    /// Lot size (raw 1e-8 units) and minimum notional (USDT) per symbol.
    public let lotRaw: [Int64]
    public let minNotional: [Double]
    public var book: ModelBook
    public var expectancy: [ExpectancyEngine]
    public var budgets: [ModelBudget]
    public var breakers: [CircuitBreaker]
    public var killSwitch: KillSwitch
    public var stale: StaleDataGuard
    public var returns: ReturnHistory
    public var postures: [PostureClassifier.Reading]
    /// Latest close per symbol and equity at the latest bar (Double: sizing).
    public var marks: [Double]
    public var equity: Double
    /// Open time of the step's base bars (Unix ms), as the engine numbers steps.
    public var time: Int64 = .min

    /// The instant the step's entries are decided: the close of its base bars.
    /// Budgets count an entry, and check the day, week, daily loss and cooldown,
    /// at this instant — so the entry decided on the bar that closes at Monday
    /// 00:00 UTC belongs to Monday and to the new week, as does its fill at the
    /// next open (and as the trade list shows it).
    /// (The stale-data guard keeps the base interval.)
    public var decisionTime: Int64 { time == .min ? .min : time + stale.intervalMilliseconds }

    /// The highest VaR (worst 99 %) of the book seen at a step with entry
    /// candidates, and when: for reports.
    public private(set) var peakVaR = PeakVaR(estimate: .zero, time: .min)
    private var varTime: Int64 = .min
    private var varBefore = VaREstimate.zero
    private var varBeforeAvailable = true
    private var exposureScratch: [Double] = []
    private var weightScratch: [Double] = []
    private var symbolScratch: [Int] = []
    private var rowScratch: [Double] = []
    private var pnlScratch: [Double] = []
    private var groupScratch: [Bool] = []

    public init(parameters: RiskParameters, instruments: [Instrument], budgets: [BudgetParameters],
                breaker: BreakerParameters, initialEquity: Double, baseTimeframe: Timeframe) {
        precondition(budgets.count == ModelID.allCases.count, "one budget per model")
        self.parameters = parameters
        symbolCount = instruments.count
        lotRaw = instruments.map(\.lotSize.raw)
        minNotional = instruments.map(\.minNotional.doubleValue)
        book = ModelBook(symbolCount: instruments.count)
        expectancy = ModelID.allCases.map { _ in ExpectancyEngine() }
        self.budgets = budgets.map { ModelBudget(parameters: $0) }
        breakers = ModelID.allCases.map { CircuitBreaker(model: $0, parameters: breaker) }
        killSwitch = KillSwitch(maxLoss: parameters.killSwitchLoss, reference: initialEquity)
        stale = StaleDataGuard(symbolCount: instruments.count, interval: baseTimeframe,
                               maxSilentIntervals: parameters.staleIntervals, recoveryBars: parameters.staleRecoveryBars)
        returns = ReturnHistory(symbolCount: instruments.count, timeframe: .h1, window: parameters.returnWindowBars)
        postures = Array(repeating: .none, count: instruments.count)
        marks = Array(repeating: 0, count: instruments.count)
        equity = initialEquity
    }

    /// New parameters between two events, keeping every piece of state: the
    /// book, expectancy, budgets used and cooldowns, breaker states, the kill
    /// switch's reference and trip, the stale-data counters, the returns (a
    /// shorter window keeps the newest bars; a longer one fills up from now),
    /// postures and marks.
    public mutating func adopt(parameters p: RiskParameters, budgets: [BudgetParameters], breaker: BreakerParameters) {
        precondition(budgets.count == ModelID.allCases.count, "one budget per model")
        if p != parameters { varTime = .min }   // the step's cached VaR used the old parameters
        parameters = p
        for k in self.budgets.indices { self.budgets[k].adopt(budgets[k]) }
        for k in breakers.indices { breakers[k].adopt(breaker) }
        killSwitch.adopt(maxLoss: p.killSwitchLoss)
        stale.adopt(maxSilentIntervals: p.staleIntervals, recoveryBars: p.staleRecoveryBars)
        returns.adopt(window: p.returnWindowBars)
    }

    // MARK: - ResolverGate

    /// Order: kill switch, stale data, the portfolio's VaR as it stands, the
    /// model's breaker (SHUTDOWN, HALT, THROTTLE below its confidence), its budget.
    public mutating func overlayVeto(_ signal: Signal) -> Verdict? {
        if killSwitch.isTripped {
            return Verdict(.killSwitch, value: killSwitch.loss(equity: equity), limit: killSwitch.maxLoss)
        }
        if let gap = stale.frozen(symbol: signal.symbol, now: time) {
            return Verdict(.staleData, value: Double(gap), limit: Double(parameters.staleIntervals))
        }
        refreshVaRBefore()
        if varBeforeAvailable {
            let v = varBefore.worst(confidence: parameters.varConfidence)
            if v > parameters.varLimit { return Verdict(.varLimit, value: v, limit: parameters.varLimit) }
        }
        let m = signal.model
        switch breakers[m.rawValue].state {
        case .shutdown: return Verdict(.breakerShutdown)
        case .halt: return Verdict(.breakerHalt)
        case .throttle:
            let minimum = breakers[m.rawValue].parameters.throttleMinConfidence
            if signal.confidence < minimum { return Verdict(.breakerThrottle, value: signal.confidence, limit: minimum) }
        case .closed, .alert: break
        }
        return budgets[m.rawValue].veto(at: decisionTime, unrealized: book.unrealized(m, marks: marks))
    }

    public func posture(symbol: Int) -> PostureClassifier.Reading { postures[symbol] }
    public func held(model: ModelID, symbol: Int) -> Direction? { book.held(model, symbol) }
    public var openPositions: Int { book.activeCount }

    /// Sizing (`PositionSizer`), then the breaker's THROTTLE and the risk-off
    /// reductions, the portfolio limits (`PortfolioLimits`, with the correlated
    /// group from recent returns), the lot and minimum notional, and the VaR
    /// limit with the entry included.
    public mutating func size(_ signal: Signal, riskOff: Bool) -> EntrySize {
        let s = signal.symbol, m = signal.model.rawValue
        let price = marks[s]
        let p = parameters
        let sizing = PositionSizer.size(
            equity: equity, price: price, stopDistance: signal.stopDistance, targetDistance: signal.targetDistance,
            costPerUnit: price * p.roundTripCost, closedTrades: expectancy[m].totalTrades,
            stats: expectancy[m].stats(window: p.sizing.kellyWindow), regime: signal.regime,
            volatilityRatio: signal.reasons.volatilityRatio, sizeScale: signal.sizeScale, parameters: p.sizing)
        if let veto = sizing.veto {
            return EntrySize(sizing: sizing, requested: 0, quantity: 0, verdict: veto, vetoed: true)
        }
        let requested = sizing.quantity
        var quantity = requested
        var verdict: Verdict?
        if breakers[m].state == .throttle {
            let f = breakers[m].parameters.throttleSizeFactor
            quantity *= f
            verdict = Verdict(.throttleHalfSize, value: f, limit: f)
        }
        if riskOff {
            quantity *= p.limits.riskOffSizeFactor
            verdict = Verdict(.riskOffReduction, value: postures[s].score, limit: p.limits.riskOffSizeFactor)
        }
        book.exposures(marks: marks, into: &exposureScratch)
        // Correlated pairs (symmetric), from the recent returns.
        let n = symbolCount
        groupScratch.removeAll(keepingCapacity: true)
        groupScratch.append(contentsOf: repeatElement(false, count: n * n))
        for i in 0..<n {
            for j in (i + 1)..<max(i + 1, n) {
                let c = (returns.correlation(i, j, minObservations: p.minObservations) ?? 0) >= p.limits.correlationThreshold
                groupScratch[i * n + j] = c
                groupScratch[j * n + i] = c
            }
        }
        let pairs = groupScratch
        let cap = PortfolioLimits.cap(requested: quantity * price, direction: signal.direction, symbol: s,
                                      exposures: exposureScratch, correlated: { pairs[$0 * n + $1] }, equity: equity,
                                      riskOff: riskOff, parameters: p.limits)
        if let binding = cap.binding {
            quantity = cap.notional / price
            verdict = binding
        }
        var raw = Int64((quantity * Double(fixedPointScale)).rounded(.down))
        raw = raw / lotRaw[s] * lotRaw[s]
        quantity = Double(raw) / Double(fixedPointScale)
        if raw <= 0 || quantity * price < minNotional[s] {
            let v = verdict ?? Verdict(.belowMinimumSize, value: quantity * price, limit: minNotional[s])
            return EntrySize(sizing: sizing, requested: requested, quantity: 0, verdict: v, vetoed: true)
        }
        // VaR with the entry.
        let (after, available) = portfolioVaR(adding: signal.direction.sign * quantity * price, to: s)
        if !available {
            return EntrySize(sizing: sizing, requested: requested, quantity: 0,
                             verdict: Verdict(.varUnavailable, value: Double(after.observations), limit: Double(p.minObservations)),
                             vetoed: true)
        }
        let worst = after.worst(confidence: p.varConfidence)
        if worst > p.varLimit {
            return EntrySize(sizing: sizing, requested: requested, quantity: 0,
                             verdict: Verdict(.varLimitPostTrade, value: worst, limit: p.varLimit), vetoed: true)
        }
        return EntrySize(sizing: sizing, requested: requested, quantity: quantity, verdict: verdict, vetoed: false)
    }

    public mutating func commit(_ signal: Signal, size: EntrySize, signalIndex: Int) {
        book.openEntry(signal.model, signal.symbol, direction: signal.direction,
                       quantity: Self.quantity(size.quantity), signal: signal, signalIndex: signalIndex)
        budgets[signal.model.rawValue].recordEntry(at: decisionTime)
    }

    /// A sized quantity (on the lot grid) as an exact quantity.
    public static func quantity(_ q: Double) -> Quantity {
        Quantity(raw: Int64((q * Double(fixedPointScale)).rounded()))
    }

    // MARK: - Bookkeeping

    /// A model's trade closed: its expectancy and budget learn of it.
    public mutating func tradeClosed(_ trade: ClosedTrade) {
        let net = trade.netPnL.doubleValue
        expectancy[trade.model.rawValue].record(netPnL: net)
        budgets[trade.model.rawValue].recordClose(at: trade.exitTime, netPnL: net)
    }

    /// VaR of the book as it stands (computed once per step).
    public mutating func currentVaR() -> (VaREstimate, available: Bool) {
        refreshVaRBefore()
        return (varBefore, varBeforeAvailable)
    }

    private mutating func refreshVaRBefore() {
        guard varTime != time else { return }
        varTime = time
        (varBefore, varBeforeAvailable) = portfolioVaR(adding: 0, to: 0)
        if varBeforeAvailable && varBefore.worst(confidence: 0.99) > peakVaR.estimate.worst(confidence: 0.99) {
            peakVaR = PeakVaR(estimate: varBefore, time: time)
        }
    }

    /// VaR of the book plus `extra` USDT of notional in `symbol`; unavailable
    /// when a held symbol has fewer than `minObservations` common return bars.
    public mutating func portfolioVaR(adding extra: Double, to symbol: Int) -> (VaREstimate, Bool) {
        book.exposures(marks: marks, into: &exposureScratch)
        exposureScratch[symbol] += extra
        weightScratch.removeAll(keepingCapacity: true)
        symbolScratch.removeAll(keepingCapacity: true)
        for (j, w) in exposureScratch.enumerated() where w != 0 {
            weightScratch.append(w)
            symbolScratch.append(j)
        }
        guard !symbolScratch.isEmpty else { return (.zero, true) }
        let rows = returns.aligned(symbolScratch, into: &rowScratch)
        guard rows >= parameters.minObservations else {
            var e = VaREstimate.zero
            e.observations = rows
            return (e, false)
        }
        let e = ValueAtRisk.estimate(weights: weightScratch, rows: rowScratch, count: rows, equity: equity,
                                     horizonBars: parameters.varHorizonBars, scratch: &pnlScratch)
        return (e, true)
    }
}

/// The worst VaR the book reached, and when.
public struct PeakVaR: Sendable, Codable, Equatable {
    public var estimate: VaREstimate
    public var time: Int64
}
