import GRDB

extension TradeStoreError {
    /// Translates any error from GRDB/SQLite into a refusal that names the file
    /// and says what to do. A full disk, a read-only file and corruption are told
    /// apart because the operator's remedy differs for each.
    static func from(_ error: any Error, path: String) -> TradeStoreError {
        if let error = error as? TradeStoreError { return error }
        guard let db = error as? DatabaseError else {
            return TradeStoreError(.database, "\(path): \(error)")
        }
        let words = db.message ?? "\(db.resultCode)"
        switch db.resultCode {
        case .SQLITE_FULL:
            return .diskFull(path, "SQLite: \(words)")
        case .SQLITE_READONLY, .SQLITE_PERM:
            return .readOnly(path, "SQLite: \(words)")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB:
            return .corrupt(path, "SQLite: \(words)")
        case .SQLITE_CANTOPEN, .SQLITE_AUTH:
            return .unreadable(path, "SQLite: \(words)")
        case .SQLITE_BUSY, .SQLITE_LOCKED:
            return TradeStoreError(.busy, "\(path) is locked by another writer (SQLite: \(words)). "
                + "Only one engine may write a store: stop the other process, or give this one its own --db.")
        case .SQLITE_IOERR:
            return TradeStoreError(.database, "\(path): the disk reported an I/O error (SQLite: \(words)). "
                + "Check the disk; the engine stops trading until it can journal again.")
        default:
            return TradeStoreError(.database, "\(path): SQLite: \(words)")
        }
    }
}
