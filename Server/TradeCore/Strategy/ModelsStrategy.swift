/// The trading brain: the three models, the signal resolver, the risk engine,
/// the exits and the strategy monitors, composed as one `Strategy`.
///
/// Per base bar of a symbol (after every timeframe it closed was delivered):
/// kill switch → that symbol's exits (every model, in `ExitRules` order) →
/// posture (on a 1h close) → each enabled model's entry signal for the symbol.
/// Once the step's last symbol is in: portfolio rebalance, then the resolver
/// and risk engine decide the step's candidates together (ranked by
/// confidence), and the accepted entries go out as market orders.
///
/// Orders carry client ids "<model>-<engine order id>": the engine numbers
/// orders 1, 2, … in submission order and this strategy is the only
/// submitter, with unique ids, so the id of each intent is known when it is
/// written (`tags[id − 1]`; tested). Fills map back to the model through it,
/// and each model keeps its own exact position from its own fills.
public struct ModelsStrategy: Strategy, Sendable, Codable {
    public var name: String { "models" }
    public var timeframes: [Timeframe] { [.m1, .m5, .m15, .h1, .h4, .d1] }
    public var usesFeatures: Bool { true }
    public private(set) var parameters: ModelsParameters
    public let symbolCount: Int
    public let baseTimeframe: Timeframe
    private var enabled: [Bool]
    private var aggressive: AggressiveModel
    private var balanced: BalancedModel
    private var bigPicture: BigPictureModel

    private var views: [TimeframeView]
    private var lastBar: [Candle]
    public private(set) var risk: RiskEngine
    private var resolver: SignalResolver
    public private(set) var degradation: [DegradationMonitor]
    public private(set) var edge: [EdgeDecayMonitor]

    public private(set) var log = SignalLog()
    public private(set) var tags = RetainedLog<OrderTag>()
    public private(set) var trades = RetainedLog<ClosedTrade>()
    public private(set) var breakerTransitions: [BreakerTransition] = []
    public private(set) var edgeAlerts: [EdgeDecayAlert] = []
    public private(set) var killSwitchEvents: [KillSwitchEvent] = []

    private var candidates: [Signal] = []
    private var accepted: [AcceptedEntry] = []
    private var stepTime: Int64 = .min
    private var stepOpen = false
    private var day: Int64 = .min
    private var dayPnL: [Double]
    private var dayTrades: [Int]
    /// Each model's latest degradation grade (after its last trade or day close): what its breaker reacts to.
    public private(set) var severity: [DegradationSeverity]
    private var exposures: [Double] = []
    private var rebalanceCandidates: [Rebalance.Candidate] = []
    /// Why the operator blocked entries; while set, every entry signal is
    /// vetoed with rule `operatorBlock` (above the whole veto hierarchy).
    public private(set) var operatorBlock: String?
    /// Goes into every client order id ("aggressive-r2-17" for tag "r2") so ids
    /// stay unique across the runs one database holds; empty for backtests.
    public var clientOrderIDTag = ""

    private static let tfCount = Timeframe.allCases.count

    public init(instruments: [Instrument], parameters: ModelsParameters = ModelsParameters(),
                initialEquity: Double, baseTimeframe: Timeframe = .m1) {
        let n = instruments.count
        self.parameters = parameters
        self.symbolCount = n
        self.baseTimeframe = baseTimeframe
        enabled = ModelID.allCases.map { parameters[$0].enabled }
        aggressive = AggressiveModel(parameters: parameters[.aggressive])
        balanced = BalancedModel(parameters: parameters[.balanced])
        bigPicture = BigPictureModel(parameters: parameters[.bigPicture], classifier: parameters.posture)
        views = Array(repeating: TimeframeView(), count: n * Self.tfCount)
        lastBar = Array(repeating: Candle(openTime: .min, open: 0, high: 0, low: 0, close: 0, volume: 0), count: n)
        risk = RiskEngine(parameters: parameters.risk, instruments: instruments,
                          budgets: ModelID.allCases.map { parameters[$0].budget }, breaker: parameters.breaker,
                          initialEquity: initialEquity, baseTimeframe: baseTimeframe)
        resolver = SignalResolver(parameters: parameters.resolver)
        degradation = ModelID.allCases.map { _ in DegradationMonitor(parameters: parameters.degradation) }
        edge = ModelID.allCases.map { EdgeDecayMonitor(model: $0, referenceEquity: initialEquity, parameters: parameters.edgeDecay) }
        dayPnL = Array(repeating: 0, count: ModelID.allCases.count)
        dayTrades = Array(repeating: 0, count: ModelID.allCases.count)
        severity = Array(repeating: .none, count: ModelID.allCases.count)
        candidates.reserveCapacity(3 * n)
        accepted.reserveCapacity(8)
        tags.reserveCapacity(1024)
        trades.reserveCapacity(512)
    }

    /// Switches to a new parameter set between two events, keeping all state.
    ///
    /// The models are rebuilt from `p` (they hold nothing but their
    /// parameters); the resolver, the risk engine (sizing, limits, VaR, kill
    /// switch, stale-data guard, return window), each model's budget and
    /// breaker, the degradation and edge-decay monitors and the exits take the
    /// new values in place. Kept: the views and features, positions and their
    /// stops, targets and trailing state (`risk.book`), expectancy, budgets
    /// used today / this week, consecutive losses and running cooldowns
    /// (a cooldown already started keeps its end time), breaker states and
    /// their history, monitor windows (a shorter window keeps the newest
    /// entries), the kill switch's reference and trip, postures, the signal
    /// log, tags, trades and alerts. `enabled` gates entries only, at once: a
    /// disabled model proposes nothing, but its open positions keep getting
    /// exits. Disabling the big-picture model also clears the postures to
    /// NEUTRAL (as when it is off from the start: no opinion, no veto); they
    /// come back at the next 1h close after it is enabled again. The symbol
    /// count and base timeframe never change.
    public mutating func adopt(_ p: ModelsParameters) {
        precondition(p.models.count == ModelID.allCases.count, "one parameter set per model")
        let bigPictureWasOn = enabled[ModelID.bigPicture.rawValue]
        parameters = p
        enabled = ModelID.allCases.map { p[$0].enabled }
        if bigPictureWasOn && !enabled[ModelID.bigPicture.rawValue] {
            for s in risk.postures.indices { risk.postures[s] = .none }
        }
        aggressive = AggressiveModel(parameters: p[.aggressive])
        balanced = BalancedModel(parameters: p[.balanced])
        bigPicture = BigPictureModel(parameters: p[.bigPicture], classifier: p.posture)
        risk.adopt(parameters: p.risk, budgets: ModelID.allCases.map { p[$0].budget }, breaker: p.breaker)
        resolver.parameters = p.resolver
        for k in degradation.indices { degradation[k].adopt(p.degradation) }
        for k in edge.indices { edge[k].adopt(p.edgeDecay) }
    }

    @inline(__always) private func view(_ s: Int, _ tf: Timeframe) -> TimeframeView { views[s * Self.tfCount + tf.rawValue] }

    // MARK: - Strategy

    public mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        let s = bar.symbol
        if bar.timeframe == baseTimeframe {
            let t = bar.candle.openTime
            // The previous step's last symbol never came (a gap): decide it now.
            if stepOpen && t > stepTime { finishStep(orders: &orders) }
            if t > stepTime {
                stepTime = t
                rollDay(to: t)
            }
            stepOpen = true
            lastBar[s] = bar.candle
            risk.marks[s] = bar.candle.close
            risk.equity = bar.equity
            risk.time = t
            risk.stale.observe(symbol: s, time: t)
            for k in 0..<Self.tfCount { views[s * Self.tfCount + k].closedNow = false }
        }
        if let f = bar.features {
            views[s * Self.tfCount + bar.timeframe.rawValue].update(f, open: bar.candle.open, time: bar.candle.openTime)
        }
        if bar.timeframe == .h1 { risk.returns.add(symbol: s, openTime: bar.candle.openTime, close: bar.candle.close) }
    }

    public mutating func onBarsDelivered(symbol s: Int, time: Int64, orders: inout OrderOutbox) {
        if risk.killSwitch.check(equity: risk.equity, time: time) {
            var flattened = 0
            for j in 0..<symbolCount { flattened += exits(symbol: j, orders: &orders) }
            killSwitchEvents.append(KillSwitchEvent(time: time, equity: risk.equity,
                                                    loss: risk.killSwitch.loss(equity: risk.equity),
                                                    positionsFlattened: flattened))
        } else {
            _ = exits(symbol: s, orders: &orders)
        }
        if enabled[ModelID.bigPicture.rawValue] && view(s, .h1).closedNow {
            risk.postures[s] = bigPicture.posture(h1: view(s, .h1), h4: view(s, .h4), d1: view(s, .d1))
        }
        propose(symbol: s, time: time)
        if s == symbolCount - 1 { finishStep(orders: &orders) }
    }

    public mutating func onFill(_ fill: Fill) {
        let i = Int(fill.orderID) - 1
        precondition(i >= tags.startIndex && i < tags.endIndex && tags[i].symbol == fill.symbol,
                     "fill for order \(fill.orderID) does not match the models' order \(i + 1)")
        tags[i].remaining -= fill.quantity
        let tag = tags[i]
        rollDay(to: fill.time)
        if let trade = risk.book.apply(fill, model: tag.model, isEntry: tag.isEntry, exitComplete: tag.remaining.raw <= 0,
                                       dust: Quantity(raw: risk.lotRaw[fill.symbol])) {
            tradeClosed(trade)
        }
    }

    public mutating func onReject(_ order: Order) {
        let i = Int(order.id) - 1
        guard i >= tags.startIndex && i < tags.endIndex else { return }
        let tag = tags[i]
        if tag.isEntry {
            risk.book.entryRejected(tag.model, tag.symbol, quantity: tag.remaining)
            log.markRejected(tag.signalIndex)
        } else {
            risk.book.exitRejected(tag.model, tag.symbol)
        }
        if let t = risk.breakers[tag.model.rawValue].recordExecutionFault(at: order.submittedAt) {
            breakerTransitions.append(t)
        }
    }

    // MARK: - Signals

    private mutating func propose(symbol s: Int, time: Int64) {
        let posture = risk.postures[s]
        func add(_ signal: Signal?) {
            guard var signal else { return }
            if signal.direction == .short && !parameters.allowShort { return }
            if signal.model != .bigPicture { signal.reasons.postureScore = posture.score }
            candidates.append(signal)
        }
        let base = s * Self.tfCount
        if enabled[ModelID.aggressive.rawValue] && risk.book.held(.aggressive, s) == nil {
            // Views straight from the array (borrowed, not copied: this runs on every bar).
            add(aggressive.evaluate(symbol: s, time: time, m1: views[base + Timeframe.m1.rawValue],
                                    m5: views[base + Timeframe.m5.rawValue]))
        }
        if enabled[ModelID.balanced.rawValue] && view(s, .m15).closedNow && risk.book.held(.balanced, s) == nil {
            add(balanced.evaluate(symbol: s, time: time, m15: view(s, .m15), h1: view(s, .h1)))
        }
        if enabled[ModelID.bigPicture.rawValue] && view(s, .h4).closedNow && risk.book.held(.bigPicture, s) == nil {
            add(bigPicture.evaluate(symbol: s, time: time, h4: view(s, .h4), posture: posture))
        }
    }

    /// The step's decisions across symbols: rebalance, then the resolver.
    private mutating func finishStep(orders: inout OrderOutbox) {
        stepOpen = false
        rebalance(orders: &orders)
        // Time-driven recovery: only when a cooldown can have run out, with the
        // grade of the last trade or day close (nothing else changes it).
        for k in 0..<severity.count where enabled[k] && risk.breakers[k].cooldownElapsed(at: stepTime) {
            if let t = risk.breakers[k].assess(severity[k], tradesSinceReset: degradation[k].tradesSinceReset, at: stepTime) {
                recordTransition(t)
            }
        }
        guard !candidates.isEmpty else { return }
        if operatorBlock != nil {
            for signal in candidates { log.append(SignalRecord(signal: signal, decision: .vetoed, verdict: Verdict(.operatorBlock))) }
            candidates.removeAll(keepingCapacity: true)
            return
        }
        resolver.resolve(candidates, gate: &risk, log: &log, accepted: &accepted)
        candidates.removeAll(keepingCapacity: true)
        for entry in accepted {
            let (index, size) = (entry.logIndex, entry.size)
            let signal = log.records[index].signal
            let quantity = RiskEngine.quantity(size.quantity)
            let id = send(symbol: signal.symbol, side: signal.direction.entrySide, quantity: quantity,
                          tag: OrderTag(model: signal.model, symbol: signal.symbol, isEntry: true, exitReason: nil,
                                        family: signal.family, signalIndex: index, remaining: quantity),
                          reason: "entry:\(signal.family.name)", orders: &orders)
            log.setOrder(index, id: id)
        }
    }

    /// Writes one order and returns the id the engine will give it.
    private mutating func send(symbol: Int, side: OrderSide, quantity: Quantity, tag: OrderTag, reason: String,
                               orders: inout OrderOutbox) -> Int64 {
        tags.append(tag)
        let id = Int64(tags.endIndex)
        orders.submit(OrderIntent(symbol: symbol, side: side, type: .market, quantity: quantity,
                                  clientOrderID: clientOrderIDTag.isEmpty ? "\(tag.model.name)-\(id)" : "\(tag.model.name)-\(clientOrderIDTag)-\(id)",
                                  reason: reason, origin: tag.exitReason == .operatorFlatten ? .operator : .strategy))
        return id
    }

    // MARK: - Exits

    /// Checks every model's position in `s`; returns how many exits it sent.
    private mutating func exits(symbol s: Int, orders: inout OrderOutbox) -> Int {
        var sent = 0
        for m in ModelID.allCases {
            // Cheap test first: most bars, most models hold nothing here.
            guard risk.book.held(m, s) != nil else { continue }
            var p = risk.book[m, s]
            guard let d = p.direction, !p.position.isFlat, !p.exitPending else { continue }
            var reason: ExitReason?
            if risk.killSwitch.isTripped {
                reason = .killSwitch
            } else if let sticky = p.exitReason {
                reason = sticky
            } else {
                let regimeView = view(s, m.regimeTimeframe)
                let regime = regimeView.hasBar ? regimeView.features.regime.label : .chop
                reason = ExitRules.evaluate(&p, bar: lastBar[s], barMilliseconds: baseTimeframe.milliseconds,
                                            regime: regime, thesisBroken: thesisBroken(m, d, p.family, s),
                                            parameters: parameters.exits,
                                            holdingTimeScale: parameters[m].holdingTimeScale)
                if reason == nil { risk.book[m, s] = p }   // trailing state moved
            }
            guard let reason else { continue }
            sendExit(m, s, reason, orders: &orders)
            sent += 1
        }
        return sent
    }

    private mutating func sendExit(_ m: ModelID, _ s: Int, _ reason: ExitReason, orders: inout OrderOutbox) {
        let p = risk.book[m, s]
        // Whole lots only: what a buy's fee in coins left below one lot cannot be sold (ModelBook's dust).
        let lot = risk.lotRaw[s]
        let q = Quantity(raw: p.position.quantity.raw / lot * lot)
        if q.isZero {
            if let trade = risk.book.writeOffDust(m, s, at: Price(lastBar[s].close), time: lastBar[s].openTime, reason: reason) {
                tradeClosed(trade)
            }
            return
        }
        _ = send(symbol: s, side: q.raw > 0 ? .sell : .buy, quantity: q.magnitude,
                 tag: OrderTag(model: m, symbol: s, isEntry: false, exitReason: reason, family: p.family,
                               signalIndex: p.signalIndex, remaining: q.magnitude),
                 reason: "exit:\(reason.name)", orders: &orders)
        risk.book.exitSent(m, s, reason: reason)
    }

    /// The family's reason for entry no longer holds.
    private func thesisBroken(_ m: ModelID, _ d: Direction, _ family: SignalFamily, _ s: Int) -> Bool {
        let p = parameters[m]
        switch family {
        case .meanReversion:
            let v = view(s, m == .aggressive ? .m1 : .m15)
            return v.hasBar && p.meanReversion.invalidates(d, v.features)
        case .trendFollowing:
            let v = view(s, m == .aggressive ? .m5 : .m15)
            return v.hasBar && p.trendFollowing.invalidates(d, v.features)
        case .momentumBurst:
            let v = view(s, .m1)
            return v.hasBar && p.momentumBurst.invalidates(d, v.features)
        case .postureTrend:
            let posture = risk.postures[s].posture
            return (d == .long && posture == .riskOff) || (d == .short && posture == .riskOn)
        }
    }

    /// Net one-sided exposure above `rebalanceOneSided` × equity: close the
    /// dominant side's positions, worst unrealized PnL first (`Rebalance`).
    private mutating func rebalance(orders: inout OrderOutbox) {
        guard risk.book.hasActive, risk.equity > 0 else { return }
        risk.book.exposures(marks: risk.marks, into: &exposures)
        var net = 0.0
        for e in exposures { net += e }
        guard abs(net) > parameters.exits.rebalanceOneSided * risk.equity else { return }
        rebalanceCandidates.removeAll(keepingCapacity: true)
        for m in ModelID.allCases {
            for s in 0..<symbolCount {
                let p = risk.book[m, s]
                guard p.isActive, !p.position.isFlat, !p.exitPending else { continue }
                let q = p.position.quantity.doubleValue
                rebalanceCandidates.append(Rebalance.Candidate(model: m, symbol: s, notional: q * risk.marks[s],
                                                               unrealizedPnL: q * risk.marks[s] - p.position.costBasis.doubleValue))
            }
        }
        for c in Rebalance.select(netExposure: net, equity: risk.equity, trigger: parameters.exits.rebalanceOneSided,
                                  positions: rebalanceCandidates) {
            sendExit(c.model, c.symbol, .rebalance, orders: &orders)
        }
    }

    // MARK: - Trades, days and monitors

    private mutating func tradeClosed(_ trade: ClosedTrade) {
        trades.append(trade)
        risk.tradeClosed(trade)
        let m = trade.model.rawValue
        let net = trade.netPnL.doubleValue
        degradation[m].record(netPnL: net)
        dayPnL[m] += net
        dayTrades[m] += 1
        assessBreaker(trade.model, at: trade.exitTime)
    }

    /// Re-grades the model's degradation (after a trade or a day closed) and
    /// lets its breaker react.
    private mutating func assessBreaker(_ m: ModelID, at time: Int64) {
        severity[m.rawValue] = degradation[m.rawValue].assess(sharpe: edge[m.rawValue].sharpe).severity
        if let t = risk.breakers[m.rawValue].assess(severity[m.rawValue], tradesSinceReset: degradation[m.rawValue].tradesSinceReset, at: time) {
            recordTransition(t)
        }
    }

    private mutating func recordTransition(_ t: BreakerTransition) {
        breakerTransitions.append(t)
        if t.trigger == .probation {
            degradation[t.model.rawValue].resetBaseline()
            severity[t.model.rawValue] = degradation[t.model.rawValue].assess(sharpe: edge[t.model.rawValue].sharpe).severity
        }
    }

    /// At the first event of a new UTC day: the edge monitors close the day —
    /// every model's, enabled or not: a model disabled mid-run (`adopt`) still
    /// closes its positions through its exits, and those trades' days must be
    /// closed and its day counters reset like any other's. (A model disabled
    /// from the start has no trades: its monitors never start.)
    private mutating func rollDay(to time: Int64) {
        let d = UTC.day(time)
        guard d != day else { return }
        if day != .min {
            for m in ModelID.allCases {
                if let alert = edge[m.rawValue].closeDay(at: d * UTC.dayMs, pnl: dayPnL[m.rawValue], trades: dayTrades[m.rawValue]) {
                    edgeAlerts.append(alert)
                }
                dayPnL[m.rawValue] = 0
                dayTrades[m.rawValue] = 0
                assessBreaker(m, at: d * UTC.dayMs)
            }
        }
        day = d
    }

    /// The symbols whose entries the stale-data guard freezes at the latest step.
    public var staleSymbols: [Int] {
        guard risk.time != .min else { return [] }
        return (0..<symbolCount).filter { risk.stale.frozen(symbol: $0, now: risk.time) != nil }
    }

    /// The signal log and closed trades are stored; tags are kept from the oldest
    /// working order on (fills, rejections and cancels of working orders read them).
    public mutating func forgetStoredRecords(ordersBefore id: Int64) {
        log.forgetStored()
        trades.forget(before: trades.endIndex)
        tags.forget(before: Int(id) - 1)
    }

    /// The model that sent the order, from its tag — an operator's flatten too goes through the
    /// model's own exit, so its books and statistics stay exact.
    public func model(of order: Order) -> String {
        let i = Int(order.id) - 1
        return i >= tags.startIndex && i < tags.endIndex ? tags[i].model.name : name
    }

    // MARK: - Operator commands

    /// Pause and halt block entries (halt also closes every model's positions
    /// with exit reason `operatorFlatten`); resume lifts the block and re-arms a
    /// tripped kill switch; flatten closes positions through each model's own
    /// exit, so the per-model books and trade statistics stay exact.
    public mutating func onOperator(_ action: OperatorAction, exposure: [Quantity], orders: inout OrderOutbox) {
        switch action {
        case .pauseEntries(let reason): operatorBlock = "paused: \(reason)"
        case .halt(let reason): operatorBlock = "halted: \(reason)"
        case .resume:
            operatorBlock = nil
            if risk.killSwitch.isTripped { resumeAfterKillSwitch() }
        case .flatten: break
        }
        for s in action.symbolsToClose(symbolCount: symbolCount) {
            for m in ModelID.allCases where risk.book.held(m, s) != nil {
                let p = risk.book[m, s]
                guard !p.position.isFlat, !p.exitPending else { continue }
                sendExit(m, s, .operatorFlatten, orders: &orders)
            }
        }
    }

    /// Re-arms the kill switch (entries allowed again), measuring losses from now.
    public mutating func resumeAfterKillSwitch() { risk.killSwitch.resume(equity: risk.equity) }

    /// Restarts a model's circuit breaker from any state (the only way out of SHUTDOWN).
    public mutating func restartModel(_ m: ModelID) {
        if let t = risk.breakers[m.rawValue].operatorRestart(at: stepTime) { breakerTransitions.append(t) }
        degradation[m.rawValue].resetBaseline()
        severity[m.rawValue] = .none
    }
}
