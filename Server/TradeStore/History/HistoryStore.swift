import GRDB
import TradeCore

extension TradeStore {
    /// Orders, fills, trades, signals, breaker transitions and the audit log.
    public var history: HistoryStore { HistoryStore(store: self) }
}

/// Kept history, queryable by page with time, model, symbol and run filters.
///
/// Each `record…` call writes its records in one transaction and returns their
/// ids. Orders are the one mutable list: `saveOrders` inserts a new client
/// order id and updates the state (filled quantity, status, message, time) of a
/// known one. Everything else is append-only.
public struct HistoryStore: Sendable {
    let store: TradeStore

    // MARK: Orders

    @discardableResult
    public func saveOrders(_ orders: [OrderRecord]) throws(TradeStoreError) -> [Int64] {
        try saveOrders(orders, run: 0)
    }

    /// Saves `orders`, inserting new ones as rows of `run` (0 for none; else a stored
    /// run). A known order keeps the run it was first saved with.
    @discardableResult
    public func saveOrders(_ orders: [OrderRecord], run: Int64) throws(TradeStoreError) -> [Int64] {
        try store.write { db in
            try RunStore.checkExists(run, db)
            return try Self.saveOrders(orders, run: run, db)
        }
    }

    static func saveOrders(_ orders: [OrderRecord], run: Int64, _ db: Database) throws -> [Int64] {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO orders (client_order_id, run, time, model, symbol, side, type, price, quantity, filled_quantity,
                                status, reason, status_message, updated_at, engine_id)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (client_order_id) DO UPDATE SET filled_quantity = excluded.filled_quantity,
                status = excluded.status, status_message = excluded.status_message, updated_at = excluded.updated_at
            RETURNING id
            """)
        return try orders.map { o in
            let (type, price) = Codes.orderType(o.type)
            return try Int64.fetchOne(statement, arguments: [
                o.clientOrderID, run, o.time, o.model, o.symbol, o.side.rawValue, type, price, o.quantity.raw,
                o.filledQuantity.raw, o.status.rawValue, o.reason, o.statusMessage, o.updatedAt, o.engineID,
            ])!
        }
    }

    public func orders(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<OrderRecord> {
        try store.read { db in try Tables.orders.page(query, db) }
    }

    /// How many orders match `query`'s filters (its page size and token are ignored).
    public func orderCount(_ query: HistoryQuery) throws(TradeStoreError) -> Int {
        try store.read { db in try Tables.orders.count(query, db) }
    }

    /// The order with this client order id, if stored.
    public func order(clientOrderID: String) throws(TradeStoreError) -> OrderRecord? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT \(Tables.orders.selection) FROM orders "
                             + "WHERE client_order_id = ?", arguments: [clientOrderID]).map(Tables.orders.decode)
        }
    }

    // MARK: Append-only lists

    @discardableResult
    public func recordFills(_ fills: [FillRecord], run: Int64 = 0) throws(TradeStoreError) -> [Int64] {
        try store.write { db in
            try RunStore.checkExists(run, db)
            return try Tables.fills.insert(fills, run: run, time: \.time, db)
        }
    }

    public func fills(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<FillRecord> {
        try store.read { db in try Tables.fills.page(query, db) }
    }

    public func fillCount(_ query: HistoryQuery) throws(TradeStoreError) -> Int {
        try store.read { db in try Tables.fills.count(query, db) }
    }

    @discardableResult
    public func recordTrades(_ trades: [TradeRecord], run: Int64 = 0) throws(TradeStoreError) -> [Int64] {
        try store.write { db in
            try RunStore.checkExists(run, db)
            return try Tables.trades.insert(trades, run: run, time: \.time, db)
        }
    }

    public func trades(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<TradeRecord> {
        try store.read { db in try Tables.trades.page(query, db) }
    }

    @discardableResult
    public func recordSignals(_ signals: [SignalRecord], run: Int64 = 0) throws(TradeStoreError) -> [Int64] {
        try store.write { db in
            try RunStore.checkExists(run, db)
            return try Tables.signals.insert(signals, run: run, time: \.time, db)
        }
    }

    public func signals(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<SignalRecord> {
        try store.read { db in try Tables.signals.page(query, db) }
    }

    public func signalCount(_ query: HistoryQuery) throws(TradeStoreError) -> Int {
        try store.read { db in try Tables.signals.count(query, db) }
    }

    @discardableResult
    public func recordBreakerTransitions(_ transitions: [BreakerTransition], run: Int64 = 0) throws(TradeStoreError) -> [Int64] {
        try store.write { db in
            try RunStore.checkExists(run, db)
            return try Tables.breakers.insert(transitions, run: run, time: \.time, db)
        }
    }

    public func breakerTransitions(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<BreakerTransition> {
        try store.read { db in try Tables.breakers.page(query, db) }
    }

    @discardableResult
    public func recordAudit(_ entries: [AuditEntry]) throws(TradeStoreError) -> [Int64] {
        try store.write { db in try Tables.audit.insert(entries, time: \.time, db) }
    }

    /// The audit log has no model, symbol or run: only time filters apply.
    public func auditLog(_ query: HistoryQuery) throws(TradeStoreError) -> HistoryPage<AuditEntry> {
        try store.read { db in try Tables.audit.page(query, db) }
    }
}
