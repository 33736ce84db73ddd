import TradeCore

/// The single-writer engine loop.
///
/// It consumes inputs (`EngineInput`: candles, venue reports, operator actions)
/// in time order and drives, for every bar: the venue's matching (a simulated
/// venue's orders placed earlier meet this bar) → ledger → marks → timeframe
/// aggregation → strategy → order gate → venue. Generic over the venue
/// (`ExecutionVenue`): the paper broker answers at once, a remote venue later,
/// and both answers are booked by `handle(.venue(_:))`'s one path. It reads no clock
/// (time is the events' time), does no I/O and has no randomness, so the same
/// events always give the same orders, fills and equity, byte for byte.
/// Backtest and replay drive it the same way; only the source of events differs.
///
/// A value type on purpose: its owner (a backtest driver, or later the server's
/// engine actor) is the single writer, and the compiler checks exclusive access
/// statically instead of at run time on every field — measured at a quarter of
/// the loop's time when this was a class.
public struct TradingEngine<S: Strategy, V: ExecutionVenue> {
    public let configuration: EngineConfiguration
    public internal(set) var strategy: S
    public internal(set) var ledger: Ledger
    /// Where orders go (the paper broker, or a venue adapter).
    public internal(set) var venue: V
    /// Every order ever accepted or rejected, by id − 1, in its latest state (a hosted run
    /// lets go of those it has stored once they are done: `forgetStoredHistory`).
    public internal(set) var orders = RetainedLog<Order>()
    /// Ids of the orders still working at the venue, in submission order: the engine's
    /// own book of open orders (exposure, the strategy's working count), kept from the
    /// venue's reports, so it does not depend on what kind of venue holds them.
    public internal(set) var openOrderIDs: [Int64] = []
    public internal(set) var fills = RetainedLog<Fill>()
    public internal(set) var equityCurve: EquityCurve
    /// Latest close per symbol as an exact price: the marks for equity. Derived
    /// on demand (a candle's close is exact on the 1e-8 grid) rather than per bar.
    public var marks: [Price] { lastClose.map { Price($0) } }
    /// Open time of the step being processed (Unix ms); `Int64.min` before the first event.
    public internal(set) var currentTime: Int64 = .min

    /// Called after each completed step with the engine; tests check invariants here.
    public var stepObserver: ((TradingEngine<S, V>) -> Void)?

    private let baseTimeframe: Timeframe
    private let baseMs: Int64
    private let deliversBase: Bool
    private let aggregates: Bool
    private let usesFeatures: Bool
    /// Whether any safety limit is set (decided once: the loop checks it on every bar).
    private let checksSafety: Bool
    var lastClose: [Double]
    var currentBar: [Candle]
    var currentBarIndex: [Int]
    var aggregators: [CandleAggregator]
    /// Bars emitted so far per symbol and timeframe (the next bar's index).
    var higherBarCount: [[Int]]
    // Reused buffers: the loop allocates nothing per bar.
    private var reports: [VenueReport] = []
    private var closedBars: [(Timeframe, Candle)] = []
    private var outbox = OrderOutbox()
    var clientOrderIDs: [String: Int64] = [:]
    /// What the safety checks remember (recent order times, the day's opening equity).
    var safetyState = SafetyState()
    /// Shared indicators and regime per symbol and timeframe (index = rawValue),
    /// only for the timeframes of a strategy that uses features.
    var features: [[MarketFeatures?]]

    public init(configuration: EngineConfiguration, strategy: S, venue: V, baseTimeframe: Timeframe = .m1,
                expectedSteps: Int = 0) {
        let n = configuration.instruments.count
        self.configuration = configuration
        self.strategy = strategy
        self.baseTimeframe = baseTimeframe
        self.baseMs = baseTimeframe.milliseconds
        self.deliversBase = strategy.timeframes.contains(baseTimeframe)
        let higher = Array(Set(strategy.timeframes.filter { $0 > baseTimeframe })).sorted()
        self.aggregates = !higher.isEmpty
        self.usesFeatures = strategy.usesFeatures
        self.checksSafety = !configuration.safety.isEmpty
        self.ledger = Ledger(initialCash: configuration.initialCash, symbolCount: n)
        self.venue = venue
        self.equityCurve = EquityCurve(barMilliseconds: baseTimeframe.milliseconds, expectedSteps: expectedSteps)
        self.lastClose = Array(repeating: 0, count: n)
        self.currentBar = Array(repeating: Candle(openTime: .min, open: 0, high: 0, low: 0, close: 0, volume: 0), count: n)
        self.currentBarIndex = Array(repeating: -1, count: n)
        self.aggregators = Array(repeating: CandleAggregator(base: baseTimeframe, targets: higher), count: n)
        self.higherBarCount = Array(repeating: Array(repeating: 0, count: Timeframe.allCases.count), count: n)
        self.features = Array(repeating: Timeframe.allCases.map { tf in
            strategy.usesFeatures && strategy.timeframes.contains(tf)
                ? MarketFeatures(timeframe: tf, regime: configuration.regime) : nil
        }, count: n)
        orders.reserveCapacity(1024)
        fills.reserveCapacity(1024)
        reports.reserveCapacity(8)
        closedBars.reserveCapacity(Timeframe.allCases.count)
    }

    // MARK: - Events

    /// Applies one input: the single entry point a journal replays through.
    public mutating func handle(_ input: EngineInput) throws(EngineError) {
        switch input {
        case .candle(let symbol, let candle, let barIndex): try handleCandle(symbol: symbol, candle: candle, barIndex: barIndex)
        case .venue(let report): try handleVenueReport(report)
        case .operatorAction(let action): try apply(action)
        }
    }

    /// A report a venue delivered on its own (a remote venue's acknowledgement,
    /// fill, cancel or rejection), booked exactly as the paper broker's are.
    public mutating func handleVenueReport(_ report: VenueReport) throws(EngineError) {
        let id = report.orderID
        guard id >= 1, id <= Int64(orders.endIndex) else { throw EngineError("the venue reported order \(id), which this engine never sent") }
        guard !orders.isForgotten(Int(id - 1)) else { throw EngineError("the venue reported order \(id) after it was done") }
        guard !orders[Int(id - 1)].status.isTerminal else {
            throw EngineError("the venue reported order \(orders[Int(id - 1)].clientOrderID) after it was \(orders[Int(id - 1)].status.rawValue)")
        }
        if case .filled(let e) = report {
            let order = orders[Int(id - 1)]
            guard e.fill.symbol == order.symbol, e.fill.side == order.side, e.filledQuantity <= order.quantity,
                  e.filledQuantity == order.filledQuantity + e.fill.quantity else {
                throw EngineError("the venue's fill of \(order.clientOrderID) does not fit the order (\(e.fill.side.rawValue) \(e.fill.quantity) of \(order.quantity), \(order.filledQuantity) filled before)")
            }
            guard e.fill.feeInBase.raw >= 0, e.fill.feeInBase < e.fill.quantity else {
                throw EngineError("the venue's fill of \(order.clientOrderID) takes a fee of \(e.fill.feeInBase) in the base asset from \(e.fill.quantity)")
            }
        }
        reports.append(report)
        bookReports()
        submitOutbox()
    }

    /// A bar of the base timeframe closed for `symbol`. `barIndex` is its row in
    /// the symbol's data. Bars must come in non-decreasing open time, at most one
    /// per symbol per open time, on the base timeframe's grid.
    public mutating func handleCandle(symbol: Int, candle: Candle, barIndex: Int) throws(EngineError) {
        if isFinished { throw EngineError("the run has finished; it accepts no more bars") }
        if candle.openTime > currentTime {
            if currentTime != .min { completeStep() }
            currentTime = candle.openTime
            if checksSafety { noteDay() }
        } else if candle.openTime < currentTime || candle.openTime == currentBar[symbol].openTime {
            throw EngineError("bar for \(configuration.instruments[symbol].symbol) at \(candle.openTime) arrived after \(currentTime): events must be in time order")
        }
        // Consecutive bars stay on the grid if the first was on it: check only after a
        // jump (first bar, gap), sparing a 64-bit division on every bar.
        if candle.openTime &- currentBar[symbol].openTime != baseMs, candle.openTime % baseMs != 0 {
            throw EngineError("bar for \(configuration.instruments[symbol].symbol) at \(candle.openTime) is not on the \(baseTimeframe) grid")
        }
        currentBar[symbol] = candle
        currentBarIndex[symbol] = barIndex

        // 1. Orders placed on earlier bars meet this bar.
        venue.marketMoved(symbol: symbol, bar: candle, barIndex: barIndex, into: &reports)
        bookReports()
        // 2. Marks.
        lastClose[symbol] = candle.close
        // 3. The strategy sees the base bar, then any higher-timeframe bar it closed.
        if deliversBase {
            deliver(symbol: symbol, timeframe: baseTimeframe, candle: candle, barIndex: barIndex)
        }
        if aggregates {
            var closed = closedBars
            closedBars = []
            aggregators[symbol].add(candle) { tf, bar in closed.append((tf, bar)) }
            for (tf, bar) in closed {
                let index = higherBarCount[symbol][tf.rawValue]
                higherBarCount[symbol][tf.rawValue] = index + 1
                deliver(symbol: symbol, timeframe: tf, candle: bar, barIndex: index)
            }
            closed.removeAll(keepingCapacity: true)
            closedBars = closed
        }
        // 4. Every timeframe of this bar has been seen: the strategy may decide across them.
        strategy.onBarsDelivered(symbol: symbol, time: candle.openTime, orders: &outbox)
        submitOutbox()
    }

    /// Ends the run: records the last step. Positions stay open, marked at the last close.
    /// Finishing twice changes nothing; no event is accepted after it.
    public mutating func finish() {
        guard !isFinished else { return }
        isFinished = true
        if currentTime != .min { completeStep() }
    }

    /// Open time of the last candle of `symbol` the engine took; nil before its first.
    public func lastCandleOpenTime(symbol: Int) -> Int64? {
        currentBar[symbol].openTime == .min ? nil : currentBar[symbol].openTime
    }

    /// Whether `finish` has been called.
    public internal(set) var isFinished = false

    /// Why the operator blocked new entries ("paused: …", "halted: …"); nil = allowed.
    public internal(set) var entriesBlocked: String?

    /// Applies an operator's command between two events: the strategy hears it
    /// first (and closes positions itself for a halt or flatten, so its books
    /// stay right), then its orders go through the usual gate. Journaled at
    /// this point in the event stream, it replays to the same state.
    public mutating func apply(_ action: OperatorAction) throws(EngineError) {
        if isFinished { throw EngineError("the run has finished; it takes no more commands") }
        if case .flatten(let symbol?, _) = action, !configuration.instruments.indices.contains(symbol) {
            throw EngineError("there is no symbol \(symbol) in this run")
        }
        switch action {
        case .pauseEntries(let reason): entriesBlocked = "paused: \(reason)"
        case .halt(let reason): entriesBlocked = "halted: \(reason)"
        case .resume: entriesBlocked = nil
        case .flatten: break
        }
        var exposure = ledger.positions.map(\.quantity)
        for id in openOrderIDs {
            let w = orders[Int(id - 1)]
            exposure[w.symbol] += w.side == .buy ? w.remainingQuantity : -w.remainingQuantity
        }
        strategy.onOperator(action, exposure: exposure, orders: &outbox)
        submitOutbox()
    }

    /// Lets go of history a hosted run has stored: every fill, the orders before the
    /// oldest one still working, the equity steps older than `equitySteps` (the
    /// curve keeps its running statistics), and the strategy's stored records.
    /// Decisions never read any of it, so forgetting after every batch changes
    /// nothing the run does (tested); a backtest never calls it.
    public mutating func forgetStoredHistory(keepingEquitySteps equitySteps: Int) {
        let firstWorking = openOrderIDs.first.map { Int($0 - 1) } ?? orders.endIndex
        orders.forget(before: firstWorking)
        fills.forget(before: fills.endIndex)
        equityCurve.forget(keepingLast: equitySteps, startEquity: configuration.initialCash.doubleValue)
        strategy.forgetStoredRecords(ordersBefore: Int64(firstWorking + 1))
    }

    /// Exact equity at the current marks.
    public var equity: Money { ledger.equity(marks: marks) }

    // MARK: - Internals

    /// At the first step of a UTC day, the equity it opens with (at the last closes) for the daily loss limit.
    private mutating func noteDay() {
        let day = UTC.day(currentTime)
        guard day != safetyState.day else { return }
        safetyState.day = day
        safetyState.dayStartEquity = approximateEquity()
    }

    private mutating func completeStep() {
        equityCurve.append(time: currentTime, equity: approximateEquity(), inMarket: ledger.openPositionCount > 0)
        if let stepObserver { stepObserver(self) }
    }

    /// Equity in `Double` at the latest closes, for sizing and the curve.
    private func approximateEquity() -> Double {
        var value = ledger.cashApprox
        guard ledger.openPositionCount > 0 else { return value }
        for i in 0..<lastClose.count where !ledger.positions[i].isFlat {
            value += ledger.positions[i].quantity.doubleValue * lastClose[i]
        }
        return value
    }

    private mutating func deliver(symbol: Int, timeframe: Timeframe, candle: Candle, barIndex: Int) {
        var snapshot: FeatureSnapshot?
        if usesFeatures, features[symbol][timeframe.rawValue] != nil {
            features[symbol][timeframe.rawValue]!.update(candle)
            snapshot = features[symbol][timeframe.rawValue]!.snapshot
        }
        let context = BarContext(symbol: symbol, timeframe: timeframe, candle: candle, barIndex: barIndex,
                                 position: ledger.positions[symbol].quantity, lot: configuration.instruments[symbol].lotSize,
                                 workingOrders: openOrderIDs.isEmpty ? 0 : workingCount(symbol: symbol),
                                 equity: approximateEquity(), cash: ledger.cashApprox, features: snapshot)
        strategy.onBar(context, orders: &outbox)
        submitOutbox()
    }

    @inline(__always)
    private mutating func submitOutbox() {
        guard !outbox.isEmpty else { return }
        let intents = outbox.intents
        outbox.removeAll()
        for intent in intents { submit(intent) }
    }

    /// Orders of `symbol` still working at the venue.
    public func workingCount(symbol: Int) -> Int {
        var n = 0
        for id in openOrderIDs where orders[Int(id - 1)].symbol == symbol { n += 1 }
        return n
    }

    /// The orders still working at the venue, in submission order.
    public var workingOrders: [Order] { openOrderIDs.map { orders[Int($0 - 1)] } }

    /// Books what the venue just reported: ledger, fill log, order state, the open book, strategy.
    private mutating func bookReports() {
        guard !reports.isEmpty else { return }
        let batch = reports
        reports.removeAll(keepingCapacity: true)
        for report in batch {
            switch report {
            case .filled(let e):
                ledger.apply(e.fill)
                fills.append(e.fill)
                let i = Int(e.fill.orderID - 1)
                orders[i].status = e.status
                orders[i].filledQuantity = e.filledQuantity
                if e.status == .filled { close(e.fill.orderID) }
                strategy.onFill(e.fill)
            case .cancelled(let id, let reason):
                orders[Int(id - 1)].status = .cancelled
                orders[Int(id - 1)].statusMessage = reason
                close(id)
                strategy.onCancel(orders[Int(id - 1)])
            case .rejected(let id, let reason):
                // A refused cancel of an order that is gone changes nothing; a refused order closes.
                guard !orders[Int(id - 1)].status.isTerminal, orders[Int(id - 1)].filledQuantity.isZero else { continue }
                orders[Int(id - 1)].status = .rejected
                orders[Int(id - 1)].statusMessage = reason
                close(id)
                strategy.onReject(orders[Int(id - 1)])
            case .acknowledged:
                break  // the order stays open; the venue's id is the adapter's to keep
            }
        }
    }

    private mutating func close(_ id: Int64) {
        if let i = openOrderIDs.firstIndex(of: id) { openOrderIDs.remove(at: i) }
    }

    /// Cancels one working order by id (the venue reports the outcome).
    public mutating func cancel(orderID: Int64, reason: String) throws(EngineError) {
        guard orderID >= 1, orderID <= Int64(orders.endIndex), !orders.isForgotten(Int(orderID - 1)),
              !orders[Int(orderID - 1)].status.isTerminal else {
            throw EngineError("order \(orderID) is not working")
        }
        venue.cancel(orderID: orderID, reason: reason, into: &reports)
        bookReports()
    }

    /// The one gate every order passes: rounding to the instrument, validity,
    /// idempotent client ids, shorting and buying-power checks.
    ///
    /// Client order ids are unique per engine: generated ones are
    /// "<prefix>-<order id>" and that shape is reserved, so only caller-chosen ids
    /// need the dictionary (resubmitting one returns without a second order).
    private mutating func submit(_ intent: OrderIntent) {
        let s = intent.symbol
        let instrument = configuration.instruments[s]
        let id = Int64(orders.endIndex + 1)
        var reservedIDMisuse = false
        if let chosen = intent.clientOrderID {
            if clientOrderIDs[chosen] != nil { return }  // idempotent resubmission
            reservedIDMisuse = chosen.hasPrefix(configuration.clientOrderIDPrefix + "-")
        }
        let clientID = reservedIDMisuse ? "\(configuration.clientOrderIDPrefix)-\(id)"
            : intent.clientOrderID ?? "\(configuration.clientOrderIDPrefix)-\(id)"
        var type = intent.type
        switch intent.type {
        case .market: break
        case .limit(let p): type = .limit(instrument.round(p, intent.side == .buy ? .down : .up))
        case .stop(let p): type = .stop(instrument.round(p, intent.side == .buy ? .up : .down))
        }
        var order = Order(id: id, clientOrderID: clientID, symbol: s, side: intent.side, type: type,
                          quantity: instrument.roundDown(intent.quantity.magnitude), reason: intent.reason, origin: intent.origin,
                          submittedAt: currentTime, submittedBarIndex: currentBarIndex[s])
        if let chosen = intent.clientOrderID, !reservedIDMisuse { clientOrderIDs[chosen] = id }
        let why = reservedIDMisuse
            ? "client order id \(intent.clientOrderID!) uses the prefix '\(configuration.clientOrderIDPrefix)-' reserved for generated ids"
            : rejection(of: order, requested: intent.quantity, instrument: instrument)
        if let why {
            order.status = .rejected
            order.statusMessage = why
            orders.append(order)
            strategy.onReject(order)
            return
        }
        orders.append(order)
        openOrderIDs.append(id)
        if let limit = configuration.safety.maxOrdersPerMinute, grows(order) {
            safetyState.recordOrder(at: currentTime, keep: limit)
        }
        venue.submit(order, signalBar: currentBar[s], barIndex: currentBarIndex[s], into: &reports)
        bookReports()
    }

    /// The symbol's position once every working order of it (but `excluded`) has filled.
    private func projectedPosition(symbol: Int, excluding excluded: Int64? = nil) -> Quantity {
        var projected = ledger.positions[symbol].quantity
        for id in openOrderIDs where id != excluded {
            let w = orders[Int(id - 1)]
            guard w.symbol == symbol else { continue }
            projected += w.side == .buy ? w.remainingQuantity : -w.remainingQuantity
        }
        return projected
    }

    /// Whether `order` (already working) opens or grows its symbol's position beyond the other working orders.
    private func grows(_ order: Order) -> Bool {
        let projected = projectedPosition(symbol: order.symbol, excluding: order.id)
        return (projected + (order.side == .buy ? order.quantity : -order.quantity)).magnitude > projected.magnitude
    }

    private func rejection(of order: Order, requested: Quantity, instrument: Instrument) -> String? {
        if requested.raw <= 0 { return "quantity must be positive, got \(requested)" }
        if order.quantity.isZero { return "quantity \(requested) rounds to zero at lot size \(instrument.lotSize)" }
        switch order.type {
        case .limit(let p), .stop(let p):
            if p.raw <= 0 { return "price must be positive, got \(p)" }
        case .market: break
        }
        let reference = Price(lastClose[order.symbol])
        let notional = Money(notionalOf: order.quantity, at: reference)
        if notional < instrument.minNotional {
            return "notional \(notional.formatted(digits: 2)) is below the minimum \(instrument.minNotional.formatted(digits: 2)) for \(instrument.symbol)"
        }
        // Position after this order and every working order of the symbol.
        let projected = projectedPosition(symbol: order.symbol)
        let after = projected + (order.side == .buy ? order.quantity : -order.quantity)
        if let entriesBlocked, after.magnitude > projected.magnitude {
            return "entries are blocked (\(entriesBlocked)): this order would open or grow a position"
        }
        if checksSafety {
            let grows = after.magnitude > projected.magnitude
            var limitPrice: Double?
            switch order.type {
            case .limit(let p), .stop(let p): limitPrice = p.doubleValue
            case .market: break
            }
            let check = SafetyLimits.Check(
                symbol: instrument.symbol, notional: notional.doubleValue,
                positionNotional: abs(after.doubleValue) * lastClose[order.symbol], grows: grows, limitPrice: limitPrice,
                lastClose: lastClose[order.symbol], ordersInLastMinute: safetyState.ordersInMinute(before: currentTime),
                lossToday: safetyState.day == .min ? 0 : max(0, safetyState.dayStartEquity - approximateEquity()))
            if let why = configuration.safety.refusal(check) { return "safety: \(why)" }
        }
        if !configuration.allowShorting && after.raw < 0 {
            return "shorting is disabled: selling \(order.quantity) would take \(instrument.symbol) to \(after)"
        }
        if after.magnitude > projected.magnitude {
            var gross = 0.0
            for (i, p) in ledger.positions.enumerated() where i != order.symbol {
                gross += abs(p.quantity.doubleValue) * lastClose[i]
            }
            gross += abs(after.doubleValue) * lastClose[order.symbol]
            let limit = approximateEquity() * configuration.maxLeverage
            if gross > limit {
                return "insufficient buying power: gross exposure would be \(Int(gross)) against a limit of \(Int(limit)) (equity × \(configuration.maxLeverage))"
            }
        }
        return nil
    }
}

extension TradingEngine where V == PaperBroker {
    /// An engine on the paper broker configured by `configuration.broker`.
    public init(configuration: EngineConfiguration, strategy: S, baseTimeframe: Timeframe = .m1, expectedSteps: Int = 0) {
        self.init(configuration: configuration, strategy: strategy,
                  venue: PaperBroker(configuration: configuration.broker, instruments: configuration.instruments),
                  baseTimeframe: baseTimeframe, expectedSteps: expectedSteps)
    }

    /// The paper broker (its working orders, with trigger state, are its own).
    public var broker: PaperBroker { venue }
}
