import GRDB

/// Writes that must land together or not at all: the journal entries of one
/// step, the history they produced, and perhaps a snapshot of the state after them.
///
/// Committing them separately would leave a window in which a crash keeps the
/// event but loses its order row (or the reverse); one transaction closes it and
/// costs one fsync instead of several.
///
/// Runs: the step that starts a run carries it in `startRun` (with the journal
/// entry it points at), and a step that changes a run's state carries
/// `runUpdate`, so a run and its journal never disagree after a crash.
public struct StoreBatch: Sendable {
    /// The run every history row of this batch belongs to (orders, fills, trades,
    /// signals, breaker transitions; not audit entries): 0 for none, else a run
    /// already stored or started by this batch. An order keeps the run it was
    /// first saved with when a later batch updates it.
    public var run: Int64 = 0
    /// Started first, after the journal entries: its id must be the latest run's + 1,
    /// and its `startSequence` a journal entry of this batch or already stored.
    public var startRun: RunRecord?
    /// Applied after `startRun` (so it may change the run this batch starts).
    public var runUpdate: RunUpdate?
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
            && breakerTransitions.isEmpty && audit.isEmpty && snapshot == nil && startRun == nil && runUpdate == nil
    }
}

extension TradeStore {
    /// Commits everything in `batch` in one durable transaction; if any part is
    /// refused (a journal sequence that does not continue, a run that is not the
    /// next one, an unknown run, a snapshot ahead of the journal, a full disk),
    /// nothing of the batch is stored.
    ///
    /// - Returns: the last journal sequence afterwards.
    @discardableResult
    public func commit(_ batch: StoreBatch) throws(TradeStoreError) -> Int64 {
        try write { db in
            let last = try Journal.append(batch.journal, db)
            if let run = batch.startRun { try RunStore.start(run, db) }
            if let update = batch.runUpdate { try RunStore.update(update, db) }
            try RunStore.checkExists(batch.run, db)
            _ = try HistoryStore.saveOrders(batch.orders, run: batch.run, db)
            _ = try Tables.fills.insert(batch.fills, run: batch.run, time: \.time, db)
            _ = try Tables.trades.insert(batch.trades, run: batch.run, time: \.time, db)
            _ = try Tables.signals.insert(batch.signals, run: batch.run, time: \.time, db)
            _ = try Tables.breakers.insert(batch.breakerTransitions, run: batch.run, time: \.time, db)
            _ = try Tables.audit.insert(batch.audit, time: \.time, db)
            if let snapshot = batch.snapshot { try Snapshots.save(snapshot, db) }
            return last
        }
    }
}
