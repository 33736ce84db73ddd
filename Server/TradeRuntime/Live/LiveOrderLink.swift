import TradeCore
import TradeEngine
import TradeStore
import TradeVenues

/// Carries a run's orders to a real venue and the venue's answers back into the run.
///
/// The run (`JournaledRun` on a `RemoteVenue`) journals every order before the link
/// sees it; `send` then places or cancels it through the `OrderGateway`, and every
/// answer — acknowledgement, fills, cancel, refusal — goes back through
/// `apply(venueReport:)`, journaled before it counts. `poll` asks the venue what
/// became of the open orders; `reconcile` (on every start and after a reconnect)
/// compares the run's open orders with the venue's: an order the venue has is
/// adopted with whatever happened to it while we were away, one it does not have
/// is placed (so nothing journaled is lost and nothing is placed twice), and an
/// order at the venue that the run does not know halts entries with the reason,
/// for an operator to decide.
public final class LiveOrderLink<S: Strategy & Codable>: VenueLink {
    public let run: JournaledRun<S, RemoteVenue>
    public let gateway: OrderGateway
    /// The venue's ids of our orders (Binance's trade list names only those).
    private var venueOrderIDs: [Int64: String] = [:]
    /// Trades booked, by the venue's trade id, for orders still open (a trade is booked once
    /// whichever way it arrives; a done order gets no more trades, so its ids are let go).
    private var bookedTrades: [Int64: Set<String>] = [:]
    /// Orders whose send did not get an answer; `reconcile` settles them.
    public private(set) var unsettled: Set<Int64> = []
    /// Fill ratio, slippage, cancel and refusal counts and acknowledgement latency, per model and venue.
    public private(set) var quality = ExecutionQuality()
    /// The price each decision saw (the last close when the order was sent), by order id, while it is open.
    private var decisionPrices: [Int64: Double] = [:]

    public init(run: JournaledRun<S, RemoteVenue>, gateway: OrderGateway) {
        self.run = run
        self.gateway = gateway
    }

    private var instruments: [Instrument] { run.engine.configuration.instruments }
    public var venue: String { gateway.dialect.venue }

    /// Sends what the run said since the last call: new orders and cancels, in order.
    nonisolated(nonsending) public func send() async throws {
        for instruction in run.takeVenueInstructions() {
            switch instruction {
            case .place(let order): try await place(order)
            case .cancel(let id, _): try await cancel(id)
            }
        }
    }

    /// Asks the venue about every open order and applies what changed.
    nonisolated(nonsending) public func poll() async throws {
        for id in run.engine.openOrderIDs where !unsettled.contains(id) {
            let order = run.engine.orders[Int(id - 1)]
            guard let state = try await gateway.query(symbol: instruments[order.symbol].symbol, clientOrderID: order.clientOrderID) else {
                continue
            }
            try await settle(order, with: state)
        }
    }

    public typealias Reconciliation = VenueReconciliation

    /// Compares the run's open orders with the venue's; see the type's comment.
    @discardableResult
    nonisolated(nonsending) public func reconcile() async throws -> Reconciliation {
        var result = Reconciliation()
        _ = run.takeVenueInstructions()   // a replayed tail's instructions: settled here, by asking the venue
        try await gateway.syncClock()
        for id in run.engine.openOrderIDs {
            let order = run.engine.orders[Int(id - 1)]
            let symbol = instruments[order.symbol].symbol
            if let state = try await gateway.query(symbol: symbol, clientOrderID: order.clientOrderID) {
                if venueOrderIDs[id] == nil { try run.apply(venueReport: .acknowledged(orderID: id, venueOrderID: state.venueOrderID)) }
                venueOrderIDs[id] = state.venueOrderID
                unsettled.remove(id)
                try await settle(order, with: state)
                result.adopted.append(order.clientOrderID)
            } else {
                unsettled.remove(id)
                try await place(order)
                result.placed.append(order.clientOrderID)
            }
        }
        let ours = Set(run.engine.orders.map(\.clientOrderID))
        for symbol in Set(instruments.map(\.symbol)).sorted() {
            for foreign in try await gateway.openOrders(symbol: symbol) where !ours.contains(foreign.clientOrderID) {
                result.unknownAtVenue.append(foreign.clientOrderID)
            }
        }
        if !result.unknownAtVenue.isEmpty, run.state == .running || run.state == .paused {
            try run.apply(.halt(reason: "reconciliation: the venue holds orders this run does not know (\(result.unknownAtVenue.sorted().joined(separator: ", "))); an operator decides"))
        }
        return result
    }

    // MARK: - Internals

    private func request(_ order: Order) -> VenueOrderRequest {
        let kind: VenueOrderRequest.Kind
        switch order.type {
        case .market: kind = .market
        case .limit(let p): kind = .limit(p, .gtc)
        case .stop(let p): kind = .limit(p, .gtc)   // stops are the engine's own: they go out as market orders when hit
        }
        return VenueOrderRequest(symbol: instruments[order.symbol].symbol, side: order.side, kind: kind, quantity: order.quantity,
                                 clientOrderID: order.clientOrderID)
    }

    private func key(_ order: Order) -> ExecutionQuality.Key {
        ExecutionQuality.Key(model: run.engine.strategy.model(of: order), venue: gateway.dialect.venue)
    }

    nonisolated(nonsending) private func place(_ order: Order) async throws {
        let placement: VenuePlacement
        let key = key(order)
        decisionPrices[order.id] = run.engine.marks[order.symbol].doubleValue
        quality.update(key) { $0.ordersSent += 1; $0.quantityOrdered += order.quantity.doubleValue }
        let started = ContinuousClock.now
        do throws(VenueOrderError) { placement = try await gateway.place(request(order)) } catch {
            switch error.kind {
            case .rejected, .duplicateClientOrderID, .unauthorized:
                quality.update(key) { $0.rejected += 1 }
                try run.apply(venueReport: .rejected(orderID: order.id, reason: error.message))
            default:
                unsettled.insert(order.id)   // not known to be placed or not: reconcile asks the venue
            }
            return
        }
        let elapsed = ContinuousClock.now - started
        quality.update(key) {
            $0.acknowledged += 1
            $0.sample(acknowledgement: Double(elapsed.components.seconds) * 1_000 + Double(elapsed.components.attoseconds) / 1e15)
        }
        venueOrderIDs[order.id] = placement.order.venueOrderID
        try run.apply(venueReport: .acknowledged(orderID: order.id, venueOrderID: placement.order.venueOrderID))
        try book(placement.trades, of: order.id)
        if placement.order.status != .new || !placement.trades.isEmpty { try await settle(run.engine.orders[Int(order.id - 1)], with: placement.order) }
    }

    nonisolated(nonsending) private func cancel(_ id: Int64) async throws {
        let order = run.engine.orders[Int(id - 1)]
        let state = try await gateway.cancel(symbol: instruments[order.symbol].symbol, clientOrderID: order.clientOrderID)
        try await settle(order, with: state)
    }

    /// Brings `order` to where the venue says it is: trades it lacks, then its end.
    nonisolated(nonsending) private func settle(_ order: Order, with state: VenueOrderState) async throws {
        var current = run.engine.orders[Int(order.id - 1)]
        guard !current.status.isTerminal else { return }
        if state.filledQuantity > current.filledQuantity {
            let since = current.submittedAt - 60_000
            let trades = try await gateway.trades(symbol: state.symbol, startTime: max(0, since))
            try book(trades.filter { $0.venueOrderID == state.venueOrderID || $0.clientOrderID == order.clientOrderID }, of: order.id)
            current = run.engine.orders[Int(order.id - 1)]
        }
        if current.status.isTerminal { return forget(order.id) }
        guard !state.status.isOpen else { return }
        switch state.status {
        case .filled where current.filledQuantity < current.quantity:
            throw RuntimeError("\(order.clientOrderID) is filled at the venue but its trades add up to \(current.filledQuantity) of \(current.quantity)")
        case .cancelled, .expired:
            quality.update(key(order)) { $0.cancelled += 1 }
            try run.apply(venueReport: .cancelled(orderID: order.id, reason: "\(state.status.rawValue) at the venue"))
        case .rejected:
            quality.update(key(order)) { $0.rejected += 1 }
            try run.apply(venueReport: .rejected(orderID: order.id, reason: "rejected by the venue"))
        default: break
        }
        forget(order.id)
    }

    /// A done order gets no more trades: what was kept to book them goes.
    private func forget(_ id: Int64) {
        bookedTrades[id] = nil
        decisionPrices[id] = nil
    }

    /// Books each trade not booked yet, in the venue's order, as a fill of order `id`.
    private func book(_ trades: [VenueTrade], of id: Int64) throws {
        for trade in trades.sorted(by: { ($0.time, $0.tradeID) < ($1.time, $1.tradeID) }) {
            guard !(bookedTrades[id]?.contains(trade.tradeID) ?? false) else { continue }
            let order = run.engine.orders[Int(id - 1)]
            guard !order.status.isTerminal else { return }
            let instrument = instruments[order.symbol]
            // A fee the venue took in the base asset is withheld from the position (the account holds that much less).
            let liquidity: Liquidity = trade.isMaker ? .maker : .taker
            let fill: Fill
            if trade.feeAsset == instrument.baseAsset && trade.fee != .zero {
                let coins = Quantity(raw: Int64(trade.fee.raw / 100_000_000))   // 1e-16 → 1e-8 units
                fill = Fill(orderID: id, symbol: order.symbol, side: order.side, price: trade.price, quantity: trade.quantity,
                            feeInBase: coins, liquidity: liquidity, time: trade.time, barIndex: order.submittedBarIndex)
            } else if trade.feeAsset == instrument.quoteAsset || trade.fee == .zero {
                fill = Fill(orderID: id, symbol: order.symbol, side: order.side, price: trade.price, quantity: trade.quantity,
                            fee: trade.fee, liquidity: liquidity, time: trade.time, barIndex: order.submittedBarIndex)
            } else {
                // BNB or another third asset: the ledger cannot value it without that asset's price.
                throw RuntimeError("trade \(trade.tradeID) of \(order.clientOrderID) paid its fee in \(trade.feeAsset), neither \(instrument.baseAsset) nor \(instrument.quoteAsset); pay fees in the traded assets (turn off BNB fees)")
            }
            let cumulative = order.filledQuantity + trade.quantity
            try run.apply(venueReport: .filled(VenueExecution(fill: fill, status: cumulative >= order.quantity ? .filled : .partiallyFilled,
                                                              filledQuantity: cumulative)))
            bookedTrades[id, default: []].insert(trade.tradeID)
            let decision = decisionPrices[id] ?? 0
            quality.update(key(order)) {
                $0.quantityFilled += trade.quantity.doubleValue
                if decision > 0 { $0.sample(slippage: ExecutionQuality.slippageBps(side: order.side, decision: decision, fill: trade.price.doubleValue)) }
            }
        }
    }
}
