import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore

/// The current run's orders, fills and signals, read from the store like any past
/// run's: the engine holds only its recent past, so a run of months answers from
/// disk, by the store's keyset pages (the cursor rides in the page token).
extension EngineHost {
    public func orders(_ query: RecordQuery, statuses: Set<OrderStatus>) throws(HostError) -> RecordPage<OrderRecord> {
        try storedList(query, states: Set(statuses.map(\.rawValue)),
                       page: { try store.history.orders($0) }, count: { try store.history.orderCount($0) }) { run, r in
            var order = Order(id: r.engineID, clientOrderID: r.clientOrderID, symbol: run.symbolIndex(r.symbol) ?? 0, side: r.side,
                              type: r.type, quantity: r.quantity, reason: r.reason,
                              origin: r.model == "operator" ? .operator : .strategy, submittedAt: r.time, submittedBarIndex: 0)
            order.filledQuantity = r.filledQuantity
            order.status = r.status
            order.statusMessage = r.statusMessage
            return OrderRecord(order: order, symbol: r.symbol, model: r.model)
        }
    }

    /// Fills (the API's trades), numbered in the run.
    public func trades(_ query: RecordQuery) throws(HostError) -> RecordPage<TradeRecord> {
        try storedList(query, page: { try store.history.fills($0) }, count: { try store.history.fillCount($0) }) { run, r in
            let fill = Fill(orderID: r.orderID, symbol: run.symbolIndex(r.symbol) ?? 0, side: r.side, price: r.price,
                            quantity: r.quantity, fee: r.fee, liquidity: r.liquidity, time: r.time, barIndex: 0)
            return TradeRecord(fill: fill, symbol: r.symbol, model: r.model, reason: r.reason, sequence: r.number)
        }
    }

    public func signals(_ query: RecordQuery, outcome: SignalOutcome?) throws(HostError) -> RecordPage<SignalRecord> {
        try storedList(query, states: outcome.map { [$0.rawValue] } ?? [],
                       page: { try store.history.signals($0) }, count: { try store.history.signalCount($0) }) { _, r in
            Self.apiSignal(HostedSignal(stored: r, side: r.direction == .short ? .sell : .buy, quantity: r.quantity, orderID: r.orderID),
                           id: r.number)
        }
    }

    /// One page of a current-run list: the query's filters as the store's (its upper
    /// time bound is inclusive), the total from a count, and the page after the
    /// cursor. A token with an offset but no cursor is walked to by pages.
    private func storedList<Row: Sendable, Item: Sendable>(
        _ query: RecordQuery, states: Set<String> = [],
        page read: (HistoryQuery) throws -> HistoryPage<Row>, count: (HistoryQuery) throws -> Int,
        item: (ReplayRun, Row) -> Item
    ) throws(HostError) -> RecordPage<Item> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        guard query.limit > 0 else { throw .invalidArgument("a page holds at least one item; limit was \(query.limit)") }
        var q = HistoryQuery(from: query.from, to: query.to.map { $0 - 1 }, model: query.model, symbol: query.symbol,
                             run: run.id, pageToken: query.cursor)
        q.states = states
        let total = try stored { try count(q) }
        if q.pageToken == nil, query.offset > 0 {
            var left = query.offset
            while left > 0 {
                var skip = q
                skip.pageSize = min(left, HistoryQuery.maximumPageSize)
                let skipped = try stored { try read(skip) }
                left -= skipped.items.count
                guard let next = skipped.nextPageToken else { return RecordPage(items: [], total: total, offset: query.offset) }
                q.pageToken = next
            }
        }
        // The store's pages hold up to 1,000 rows; a larger limit (the host's own callers) reads several.
        var items: [Item] = []
        var next: String?
        repeat {
            q.pageSize = min(query.limit - items.count, HistoryQuery.maximumPageSize)
            let page = try stored { try read(q) }
            items += page.items.map { item(run, $0) }
            next = page.nextPageToken
            q.pageToken = next
        } while next != nil && items.count < query.limit
        return RecordPage(items: items, total: total, offset: query.offset, nextCursor: next)
    }
}

/// How much of the current run's history the engine still holds in memory, beside
/// how much the run made: what keeps a run of months flat.
struct HeldHistory: Sendable, Equatable {
    var orders = 0, ordersMade = 0
    var fills = 0, fillsMade = 0
    var equitySteps = 0, equityStepsMade = 0
}

extension EngineHost {
    func heldHistory() -> HeldHistory {
        guard let hosted = run?.hosted else { return HeldHistory() }
        return HeldHistory(orders: hosted.orders.count, ordersMade: hosted.orders.endIndex,
                           fills: hosted.fills.count, fillsMade: hosted.fills.endIndex,
                           equitySteps: hosted.equityCurve.count, equityStepsMade: hosted.equityCurve.totalSteps)
    }
}
