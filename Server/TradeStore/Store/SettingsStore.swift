import GRDB

extension TradeStore {
    /// Named values kept across restarts (text, replaced whole).
    public var settings: SettingsStore { SettingsStore(store: self) }
}

/// Small named values the engine must not forget on restart, such as the
/// operator's market context: each `set` is one durable transaction, so a value
/// the caller acknowledged is on disk.
public struct SettingsStore: Sendable {
    let store: TradeStore

    public func value(_ name: String) throws(TradeStoreError) -> String? {
        try store.read { db in try String.fetchOne(db, sql: "SELECT value FROM settings WHERE name = ?", arguments: [name]) }
    }

    /// Stores `value` under `name` (nil removes it). `now` is Unix ms, given by the caller.
    public func set(_ name: String, to value: String?, now: Int64) throws(TradeStoreError) {
        try store.write { db in
            if let value {
                try db.execute(sql: "INSERT INTO settings (name, value, updated_at) VALUES (?, ?, ?) "
                                   + "ON CONFLICT(name) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
                               arguments: [name, value, now])
            } else {
                try db.execute(sql: "DELETE FROM settings WHERE name = ?", arguments: [name])
            }
        }
    }
}
