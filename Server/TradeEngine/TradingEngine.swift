import TradeCore

/// The single-writer engine loop.
///
/// It consumes events in time order and drives, for every bar:
/// broker matching (orders placed earlier meet this bar) → ledger → marks →
/// timeframe aggregation → strategy → order checks → broker. It reads no clock
/// (time is the events' time), does no I/O and has no randomness, so the same
/// events always give the same orders, fills and equity, byte for byte.
/// Backtest and replay drive it the same way; only the source of events differs.
public final class TradingEngine<S: Strategy> {
    public let configuration: EngineConfiguration
    public private(set) var strategy: S
    public private(set) var ledger: Ledger
    public private(set) var broker: PaperBroker
    /// Every order ever accepted or rejected, by id − 1, in its latest state.
    public private(set) var orders: [Order] = []
    public private(set) var fills: [Fill] = []
    public private(set) var equityCurve: EquityCurve
    /// Latest close per symbol as an exact price: the marks for equity.
    public private(set) var marks: [Price]
    /// Open time of the step being processed (Unix ms); `Int64.min` before the first event.
    public private(set) var currentTime: Int64 = .min

    /// Called after each completed step with the engine; tests check invariants here.
    public var stepObserver: ((TradingEngine<S>) -> Void)?

    private var lastClose: [Double]
    private var aggregators: [CandleAggregator]
    private var higherTimeframes: [Timeframe]
    private var higherBarIndex: [[Int]]
    private var currentBar: [Candle]
    private var currentBarIndex: [Int]
    private var outbox = OrderOutbox()
    private var clientOrderIDs: [String: Int64] = [:]
    private let baseTimeframe: Timeframe

    public init(configuration: EngineConfiguration, strategy: S, baseTimeframe: Timeframe = .m1,
                expectedSteps: Int = 0) {
        let n = configuration.instruments.count
        self.configuration = configuration
        self.strategy = strategy
        self.baseTimeframe = baseTimeframe
        self.ledger = Ledger(initialCash: configuration.initialCash, symbolCount: n)
        self.broker = PaperBroker(configuration: configuration.broker, instruments: configuration.instruments)
        self.equityCurve = EquityCurve(expectedSteps: expectedSteps)
        self.marks = Array(repeating: .zero, count: n)
        self.lastClose = Array(repeating: 0, count: n)
        self.currentBar = Array(repeating: Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0), count: n)
        self.currentBarIndex = Array(repeating: -1, count: n)
        let higher = strategy.timeframes.filter { $0 > baseTimeframe }
        self.higherTimeframes = Array(Set(higher)).sorted()
        self.aggregators = (0..<n).map { _ in CandleAggregator(base: baseTimeframe, targets: higher) }
        self.higherBarIndex = Array(repeating: Array(repeating: -1, count: Timeframe.allCases.count), count: n)
        orders.reserveCapacity(1024)
        fills.reserveCapacity(1024)
    }

    private var deliversBase: Bool { strategy.timeframes.contains(baseTimeframe) }

    // MARK: - Events

    /// A bar of the base timeframe closed for `symbol`. `barIndex` is its row in
    /// the symbol's data. Bars must come in non-decreasing open time, at most one
    /// per symbol per open time.
    public func handleCandle(symbol: Int, candle: Candle, barIndex: Int) throws(EngineError) {
        if candle.openTime > currentTime {
            if currentTime != .min { completeStep() }
            currentTime = candle.openTime
        } else if candle.openTime < currentTime || candle.openTime == currentBar[symbol].openTime {
            throw EngineError("bar for \(configuration.instruments[symbol].symbol) at \(candle.openTime) arrived after \(currentTime): events must be in time order")
        }
        currentBar[symbol] = candle
        currentBarIndex[symbol] = barIndex

        // 1. Orders placed on earlier bars meet this bar.
        broker.match(symbol: symbol, bar: candle, barIndex: barIndex) { fill, order in
            self.book(fill, order)
        }
        // 2. Marks.
        lastClose[symbol] = candle.close
        marks[symbol] = Price(candle.close)
        // 3. The strategy sees the base bar, then any higher-timeframe bar it closed.
        if deliversBase {
            deliver(symbol: symbol, timeframe: baseTimeframe, candle: candle, barIndex: barIndex)
        }
        if !higherTimeframes.isEmpty {
            aggregators[symbol].add(candle) { tf, bar in
                self.higherBarIndex[symbol][tf.rawValue] += 1
                self.deliver(symbol: symbol, timeframe: tf, candle: bar,
                             barIndex: self.higherBarIndex[symbol][tf.rawValue])
            }
        }
    }

    /// Ends the run: records the last step. Positions stay open, marked at the last close.
    public func finish() {
        if currentTime != .min { completeStep() }
    }

    /// Exact equity at the current marks.
    public var equity: Money { ledger.equity(marks: marks) }

    // MARK: - Internals

    private func completeStep() {
        var value = ledger.cashApprox
        var inMarket = false
        for (i, p) in ledger.positions.enumerated() where !p.isFlat {
            value += p.quantity.doubleValue * lastClose[i]
            inMarket = true
        }
        equityCurve.append(time: currentTime, equity: value, inMarket: inMarket)
        stepObserver?(self)
    }

    private func approximateEquity() -> Double {
        var value = ledger.cashApprox
        for (i, p) in ledger.positions.enumerated() where !p.isFlat {
            value += p.quantity.doubleValue * lastClose[i]
        }
        return value
    }

    private func deliver(symbol: Int, timeframe: Timeframe, candle: Candle, barIndex: Int) {
        let context = BarContext(symbol: symbol, timeframe: timeframe, candle: candle, barIndex: barIndex,
                                 position: ledger.positions[symbol].quantity,
                                 workingOrders: broker.working.isEmpty ? 0 : broker.workingCount(symbol: symbol),
                                 equity: approximateEquity(), cash: ledger.cashApprox)
        strategy.onBar(context, orders: &outbox)
        guard !outbox.isEmpty else { return }
        for intent in outbox.intents { submit(intent) }
        outbox.removeAll()
    }

    private func book(_ fill: Fill, _ order: Order) {
        ledger.apply(fill)
        fills.append(fill)
        orders[Int(order.id - 1)] = order
        strategy.onFill(fill)
    }

    /// The one gate every order passes: rounding to the instrument, validity,
    /// idempotent client ids, shorting and buying-power checks.
    private func submit(_ intent: OrderIntent) {
        if let id = intent.clientOrderID, clientOrderIDs[id] != nil { return }  // idempotent resubmission
        let s = intent.symbol
        let instrument = configuration.instruments[s]
        let id = Int64(orders.count + 1)
        let clientID = intent.clientOrderID ?? "\(configuration.clientOrderIDPrefix)-\(id)"
        var type = intent.type
        switch intent.type {
        case .market: break
        case .limit(let p): type = .limit(instrument.round(p, intent.side == .buy ? .down : .up))
        case .stop(let p): type = .stop(instrument.round(p, intent.side == .buy ? .up : .down))
        }
        var order = Order(id: id, clientOrderID: clientID, symbol: s, side: intent.side, type: type,
                          quantity: instrument.roundDown(intent.quantity.magnitude), reason: intent.reason,
                          submittedAt: currentTime, submittedBarIndex: currentBarIndex[s])
        clientOrderIDs[clientID] = id
        if let why = rejection(of: order, requested: intent.quantity, instrument: instrument) {
            order.status = .rejected
            order.statusMessage = why
            orders.append(order)
            strategy.onReject(order)
            return
        }
        orders.append(order)
        broker.submit(order, signalBar: currentBar[s], barIndex: currentBarIndex[s]) { fill, order in
            self.book(fill, order)
        }
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
        var projected = ledger.positions[order.symbol].quantity
        for w in broker.working where w.symbol == order.symbol {
            projected += w.side == .buy ? w.remainingQuantity : -w.remainingQuantity
        }
        let after = projected + (order.side == .buy ? order.quantity : -order.quantity)
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
