import GRDB

extension TradeStore {
    /// The append-only event journal.
    public var journal: Journal { Journal(store: self) }
}

/// The append-only journal of input events: the first half of exact restart
/// (the second is `Snapshots`).
///
/// Restart = the latest snapshot, then every entry after its sequence, fed in
/// order through the same deterministic core:
///
///     let snapshot = try store.snapshots.latest()
///     var engine = snapshot.map(restore) ?? freshEngine
///     try store.journal.forEach(after: snapshot?.sequence ?? 0) { entry in engine.apply(entry) }
///
/// Sequences are assigned by the single writer and must continue the journal
/// without holes; a batch that does not is refused whole (`.conflict`), which is
/// also how a second engine writing the same store is caught.
public struct Journal: Sendable {
    let store: TradeStore

    /// Appends `entries` in one transaction. When this returns, they are on disk
    /// (the commit was fsynced; see `TradeStore`): the engine may acknowledge them
    /// and act outside. If it throws, none of them is stored.
    ///
    /// - Returns: the last sequence in the journal afterwards.
    @discardableResult
    public func append(_ entries: [JournalEntry]) throws(TradeStoreError) -> Int64 {
        try store.write { db in try Self.append(entries, db) }
    }

    static func append(_ entries: [JournalEntry], _ db: Database) throws -> Int64 {
        let last = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM journal") ?? 0
        guard let first = entries.first else { return last }
        guard first.sequence == last + 1 else {
            throw TradeStoreError(.conflict, "journal append starts at sequence \(first.sequence), but the journal "
                + "ends at \(last): the next entry must be \(last + 1). Another writer may be using this store.")
        }
        let insert = try RawStatement(db, "INSERT INTO journal (sequence, event_time, kind, payload) VALUES (?, ?, ?, ?)")
        var writer = ByteWriter(capacity: 256)
        var expected = first.sequence
        for entry in entries {
            guard entry.sequence == expected else {
                throw TradeStoreError(.conflict, "journal batch is not contiguous: sequence \(entry.sequence) "
                    + "follows \(expected - 1); nothing of the batch was stored.")
            }
            writer.removeAll()
            entry.event.encode(into: &writer)
            insert.bind(1, entry.sequence)
            insert.bind(2, entry.time)
            insert.bind(3, Int64(entry.event.kind.rawValue))
            insert.bind(4, blob: writer.bytes)
            try insert.execute()
            expected += 1
        }
        return expected - 1
    }

    /// The last sequence stored; 0 for an empty journal.
    public func lastSequence() throws(TradeStoreError) -> Int64 {
        try store.read { db in try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM journal") ?? 0 }
    }

    /// Up to `limit` entries with sequence greater than `sequence`, in order.
    public func read(after sequence: Int64, limit: Int) throws(TradeStoreError) -> [JournalEntry] {
        guard limit > 0 else { throw .invalid("journal read limit must be positive, got \(limit)") }
        var entries: [JournalEntry] = []
        entries.reserveCapacity(min(limit, 65_536))
        try forEach(after: sequence, limit: limit) { entries.append($0) }
        return entries
    }

    /// Calls `body` with every entry after `sequence`, in order, streaming from one
    /// read transaction (a consistent view even while the writer appends). Used by
    /// restart, which must not hold a million events in memory at once.
    public func forEach(after sequence: Int64, limit: Int = .max,
                        _ body: (JournalEntry) throws -> Void) throws(TradeStoreError) {
        try store.read { db in
            let select = try RawStatement(db, """
                SELECT sequence, event_time, kind, payload FROM journal WHERE sequence > ? ORDER BY sequence LIMIT ?
                """)
            select.bind(1, sequence)
            select.bind(2, Int64(clamping: limit))
            defer { select.reset() }
            var previous = max(sequence, 0)
            while try select.step() {
                let s = select.int64(0)
                let kind = select.int64(2)
                let event: JournalEvent
                do {
                    guard let code = UInt8(exactly: kind) else { throw ByteCodecError("kind \(kind) out of range") }
                    var reader = ByteReader(select.blob(3))
                    event = try JournalEvent.decode(kind: code, from: &reader)
                } catch {
                    throw TradeStoreError(.undecodable, "journal entry \(s) cannot be decoded: \(error). "
                        + "Replaying past it would restore a different state; refusing.")
                }
                if s != previous + 1 {
                    throw TradeStoreError.corrupt(store.path, "the journal skips from sequence \(previous) to \(s)")
                }
                previous = s
                try body(JournalEntry(sequence: s, time: select.int64(1), event: event))
            }
        }
    }
}
