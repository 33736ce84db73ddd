import GRDB
import GRDBSQLite

/// Direct SQLite binding and stepping on a GRDB statement, for the hot paths
/// (journal appends and reads, candle upserts and range reads).
///
/// GRDB's `StatementArguments` box every value into an array of enums per row;
/// at hundreds of thousands of rows a second that boxing is most of the cost.
/// Binding through the C API keeps GRDB's statement cache, transactions and
/// error types while skipping it. Use only inside a `read`/`write` closure, on
/// a statement of that closure's `Database`.
struct RawStatement {
    let statement: Statement
    let db: Database
    var handle: OpaquePointer { statement.sqliteStatement }

    init(_ db: Database, _ sql: String) throws {
        self.db = db
        statement = try db.cachedStatement(sql: sql)
        sqlite3_reset(statement.sqliteStatement)
        sqlite3_clear_bindings(statement.sqliteStatement)
    }

    @inline(__always) func bind(_ index: Int32, _ value: Int64) { sqlite3_bind_int64(handle, index, value) }
    @inline(__always) func bind(_ index: Int32, _ value: Double) { sqlite3_bind_double(handle, index, value) }
    @inline(__always) func bindNull(_ index: Int32) { sqlite3_bind_null(handle, index) }

    /// Binds a copy of the bytes (SQLITE_TRANSIENT), so the buffer may be reused at once.
    @inline(__always) func bind(_ index: Int32, blob: [UInt8]) {
        blob.withUnsafeBytes { buffer in
            if let base = buffer.baseAddress, buffer.count > 0 {
                sqlite3_bind_blob(handle, index, base, Int32(buffer.count), unsafeBitCast(-1, to: sqlite3_destructor_type.self))
            } else {
                sqlite3_bind_zeroblob(handle, index, 0)   // empty, not NULL
            }
        }
    }

    /// Runs a statement that returns no rows, then resets it for the next bindings.
    @inline(__always) func execute() throws {
        let code = sqlite3_step(handle)
        guard code == SQLITE_DONE else {
            let failure = error(code)
            sqlite3_reset(handle)
            throw failure
        }
        sqlite3_reset(handle)
    }

    /// Advances to the next row: true if there is one.
    @inline(__always) func step() throws -> Bool {
        let code = sqlite3_step(handle)
        if code == SQLITE_ROW { return true }
        if code == SQLITE_DONE { return false }
        throw error(code)
    }

    @inline(__always) func int64(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }
    @inline(__always) func double(_ column: Int32) -> Double { sqlite3_column_double(handle, column) }

    /// The column's bytes, valid until the next step.
    @inline(__always) func blob(_ column: Int32) -> UnsafeRawBufferPointer {
        let count = Int(sqlite3_column_bytes(handle, column))
        guard count > 0, let base = sqlite3_column_blob(handle, column) else { return UnsafeRawBufferPointer(start: nil, count: 0) }
        return UnsafeRawBufferPointer(start: base, count: count)
    }

    func reset() { sqlite3_reset(handle) }

    private func error(_ code: Int32) -> DatabaseError {
        let message = db.sqliteConnection.map { String(cString: sqlite3_errmsg($0)) }
        return DatabaseError(resultCode: ResultCode(rawValue: code), message: message, sql: statement.sql)
    }
}
