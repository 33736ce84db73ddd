import GRDB

extension TradeStore {
    /// The engine runs this database holds, newest last.
    public var runs: RunStore { RunStore(store: self) }
}

/// Reads the runs kept in the store. Runs are written only through `StoreBatch`
/// (`startRun`, `runUpdate`), in the same transaction as the journal entries
/// and history of the step that started or changed them, so a run never points
/// at a journal entry that was lost, nor a journal entry at a run that was.
///
/// After a crash, `latest()` is the run to resume (if its state says so).
public struct RunStore: Sendable {
    let store: TradeStore

    /// Most runs `list` returns at once.
    public static let maximumLimit = HistoryQuery.maximumPageSize

    /// The run started last; nil when none was.
    public func latest() throws(TradeStoreError) -> RunRecord? {
        try store.read { db in try Self.fetch(db, "ORDER BY id DESC LIMIT 1").first }
    }

    /// The run with this id, if stored.
    public func run(_ id: Int64) throws(TradeStoreError) -> RunRecord? {
        try store.read { db in try Self.fetch(db, "WHERE id = ?", [id]).first }
    }

    /// Up to `limit` (1…1000) runs, newest first, with ids below `before` when given:
    /// pass the last id of one call as `before` of the next to page back through them.
    public func list(limit: Int = 100, before: Int64? = nil) throws(TradeStoreError) -> [RunRecord] {
        guard (1...Self.maximumLimit).contains(limit) else {
            throw .invalid("the run list limit must be between 1 and \(Self.maximumLimit), got \(limit)")
        }
        return try store.read { db in
            if let before {
                return try Self.fetch(db, "WHERE id < ? ORDER BY id DESC LIMIT ?", [before, limit])
            }
            return try Self.fetch(db, "ORDER BY id DESC LIMIT ?", [limit])
        }
    }

    // MARK: Writing (inside a batch's transaction)

    static func fetch(_ db: Database, _ clause: String, _ arguments: StatementArguments = []) throws -> [RunRecord] {
        try Row.fetchAll(db, sql: "SELECT id, start_sequence, started_at, identity, state, message, ended_at FROM runs "
                         + clause, arguments: arguments).map { row in
            RunRecord(id: row["id"], startSequence: row["start_sequence"], startedAt: row["started_at"],
                      identity: row["identity"], state: row["state"], message: row["message"], endedAt: row["ended_at"])
        }
    }

    /// Inserts `run`, which must be the next run (latest id + 1) and start at a
    /// stored journal entry after the previous run's start.
    static func start(_ run: RunRecord, _ db: Database) throws {
        let latest = try fetch(db, "ORDER BY id DESC LIMIT 1").first
        let next = (latest?.id ?? 0) + 1
        guard run.id == next else {
            throw TradeStoreError(.conflict, "cannot start run \(run.id): "
                + (latest.map { "the latest run is \($0.id)" } ?? "no run was started yet")
                + ", so the next run must be \(next). Another engine may be using this store; "
                + "nothing of the batch was stored.")
        }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM journal WHERE sequence = ?)",
                                arguments: [run.startSequence]) == true else {
            throw TradeStoreError.invalid("run \(run.id) starts at journal sequence \(run.startSequence), which is "
                + "neither in this batch nor stored: a run must start at a journal entry; nothing of the batch was stored.")
        }
        if let latest, run.startSequence <= latest.startSequence {
            throw TradeStoreError(.conflict, "run \(run.id) starts at journal sequence \(run.startSequence), but run "
                + "\(latest.id) started at \(latest.startSequence): runs follow one another in the journal; "
                + "nothing of the batch was stored.")
        }
        try checkState(run.state, run: run.id)
        try db.execute(sql: """
            INSERT INTO runs (id, start_sequence, started_at, identity, state, message, ended_at)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            """, arguments: [run.id, run.startSequence, run.startedAt, run.identity, run.state, run.message, run.endedAt])
    }

    static func update(_ update: RunUpdate, _ db: Database) throws {
        try checkState(update.state, run: update.id)
        try db.execute(sql: "UPDATE runs SET state = ?, message = ?, ended_at = ? WHERE id = ?",
                       arguments: [update.state, update.message, update.endedAt, update.id])
        guard db.changesCount == 1 else { throw unknown(update.id, "update") }
    }

    /// Refuses history for a run that was never started (0 = no run).
    static func checkExists(_ id: Int64, _ db: Database) throws {
        guard id != 0 else { return }
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM runs WHERE id = ?)", arguments: [id]) == true
        else { throw unknown(id, "record history for") }
    }

    private static func checkState(_ state: String, run: Int64) throws {
        guard !state.isEmpty else {
            throw TradeStoreError.invalid("run \(run) needs a state (for example \"running\"); nothing of the batch was stored.")
        }
    }

    private static func unknown(_ id: Int64, _ what: String) -> TradeStoreError {
        TradeStoreError(.notFound, "cannot \(what) run \(id): no such run was started in this store "
            + "(start it with StoreBatch.startRun first); nothing of the batch was stored.")
    }
}
