import GRDB

/// Writes that must land together or not at all: the journal entries of one
/// step, the history they produced, and perhaps a snapshot of the state after them.
///
/// Committing them separately would leave a window in which a crash keeps the
/// event but loses its order row (or the reverse); one transaction closes it and
/// costs one fsync instead of several.
public struct StoreBatch: Sendable {
    public var journal: [JournalEntry] = []
    /// Saved by client order id: new ones inserted, known ones updated.
    public var orders: [OrderRecord] = []
    public var fills: [FillRecord] = []
    public var trades: [TradeRecord] = []
    public var signals: [SignalRecord] = []
    public var breakerTransitions: [BreakerTransition] = []
    public var audit: [AuditEntry] = []
    /// Saved last, so it may cover this batch's own journal entries.
    public var snapshot: Snapshot?

    public init() {}

    public var isEmpty: Bool {
        journal.isEmpty && orders.isEmpty && fills.isEmpty && trades.isEmpty && signals.isEmpty
            && breakerTransitions.isEmpty && audit.isEmpty && snapshot == nil
    }
}

extension TradeStore {
    /// Commits everything in `batch` in one durable transaction; if any part is
    /// refused (a journal sequence that does not continue, a snapshot ahead of
    /// the journal, a full disk), nothing of the batch is stored.
    ///
    /// - Returns: the last journal sequence afterwards.
    @discardableResult
    public func commit(_ batch: StoreBatch) throws(TradeStoreError) -> Int64 {
        try write { db in
            let last = try Journal.append(batch.journal, db)
            _ = try HistoryStore.saveOrders(batch.orders, db)
            _ = try Tables.fills.insert(batch.fills, time: \.time, db)
            _ = try Tables.trades.insert(batch.trades, time: \.time, db)
            _ = try Tables.signals.insert(batch.signals, time: \.time, db)
            _ = try Tables.breakers.insert(batch.breakerTransitions, time: \.time, db)
            _ = try Tables.audit.insert(batch.audit, time: \.time, db)
            if let snapshot = batch.snapshot { try Snapshots.save(snapshot, db) }
            return last
        }
    }
}
