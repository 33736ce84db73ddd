import Foundation
import GRDB

extension TradeStore {
    /// Periodic engine snapshots, so restart replays a bounded tail of the journal.
    public var snapshots: Snapshots { Snapshots(store: self) }
}

/// The engine's whole state as of a journal sequence, as an opaque blob the
/// engine encodes (with `ByteWriter`, or any layout it versions with `format`).
public struct Snapshot: Sendable, Hashable {
    /// The state after applying every journal entry up to and including this one.
    public var sequence: Int64
    /// Event time (Unix ms) of that entry; informational.
    public var takenAt: Int64
    /// The engine's own layout version of `payload`, so a later build can tell
    /// whether it can read it (or must replay from an earlier point instead).
    public var format: Int
    public var payload: [UInt8]

    public init(sequence: Int64, takenAt: Int64, format: Int, payload: [UInt8]) {
        self.sequence = sequence
        self.takenAt = takenAt
        self.format = format
        self.payload = payload
    }
}

public struct Snapshots: Sendable {
    let store: TradeStore

    /// Stores a snapshot. Its sequence must already be journaled: a snapshot of
    /// events the journal does not hold could never be reproduced or checked.
    public func save(_ snapshot: Snapshot) throws(TradeStoreError) {
        try store.write { db in try Self.save(snapshot, db) }
    }

    static func save(_ snapshot: Snapshot, _ db: Database) throws {
        let last = try Int64.fetchOne(db, sql: "SELECT max(sequence) FROM journal") ?? 0
        guard snapshot.sequence >= 0, snapshot.sequence <= last else {
            throw TradeStoreError(.conflict, "a snapshot at sequence \(snapshot.sequence) was offered, but the "
                + "journal ends at \(last): journal the events first, then snapshot the state they produce.")
        }
        try db.execute(sql: """
            INSERT INTO snapshots (sequence, taken_at, format, payload) VALUES (?, ?, ?, ?)
            ON CONFLICT (sequence) DO UPDATE SET taken_at = excluded.taken_at, format = excluded.format,
                payload = excluded.payload
            """, arguments: [snapshot.sequence, snapshot.takenAt, snapshot.format, Data(snapshot.payload)])
    }

    /// The snapshot with the highest sequence, if any.
    public func latest() throws(TradeStoreError) -> Snapshot? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT sequence, taken_at, format, payload FROM snapshots ORDER BY sequence DESC LIMIT 1")
                .map(Self.snapshot)
        }
    }

    /// The latest snapshot at or before `sequence` (to restart from an earlier point).
    public func latest(atOrBefore sequence: Int64) throws(TradeStoreError) -> Snapshot? {
        try store.read { db in
            try Row.fetchOne(db, sql: """
                SELECT sequence, taken_at, format, payload FROM snapshots WHERE sequence <= ? ORDER BY sequence DESC LIMIT 1
                """, arguments: [sequence]).map(Self.snapshot)
        }
    }

    /// Deletes all but the newest `count` snapshots (the journal itself is kept).
    public func prune(keepingLatest count: Int) throws(TradeStoreError) {
        guard count >= 1 else { throw .invalid("keep at least one snapshot, got \(count)") }
        try store.write { db in
            try db.execute(sql: """
                DELETE FROM snapshots WHERE sequence NOT IN (SELECT sequence FROM snapshots ORDER BY sequence DESC LIMIT ?)
                """, arguments: [count])
        }
    }

    private static func snapshot(_ row: Row) -> Snapshot {
        let data: Data = row["payload"]
        return Snapshot(sequence: row["sequence"], takenAt: row["taken_at"], format: row["format"], payload: [UInt8](data))
    }
}
