import Foundation
import GRDB

/// The engine's durable state in one SQLite file: the journal and snapshots that
/// make restart exact, candles, history, and parameter versions.
///
/// Opening checks before it trusts: a path that exists but is not a readable,
/// writable tradeengine database of a schema this build knows is refused with a
/// `TradeStoreError` saying why — the store never starts empty over existing data.
/// A new store is built beside its final path and moved into place only once
/// complete, so a crash during creation leaves no half-made file behind.
///
/// **Durability.** WAL mode with `synchronous = FULL`: every commit fsyncs the
/// write-ahead log before it returns. `NORMAL` would already survive `kill -9`
/// (the log is in the OS page cache), but not a power cut or kernel panic, which
/// could roll back the last commits — and a journaled order may by then have
/// reached an exchange, so replaying without it could send its client order id
/// twice. The cost is one fsync per transaction, which batching amortises: the
/// journal takes a batch of events per transaction.
///
/// Thread safety: one writer at a time (SQLite's rule, enforced by GRDB's
/// serial writer queue), many concurrent readers under WAL. Facets group the
/// API by subject: `journal`, `snapshots`, `candles`, `history`, `parameters`.
public final class TradeStore: Sendable {
    /// Where `tradeengine` keeps its store unless told otherwise.
    public static let defaultPath = "./var/tradeengine.sqlite"

    /// The newest schema version this build knows (recorded in `PRAGMA user_version`).
    public static var schemaVersion: Int { StoreSchema.currentVersion }

    public struct Options: Sendable {
        public enum IntegrityCheck: Sendable {
            /// Trust the file (tests and tools that just created it).
            case none
            /// `PRAGMA quick_check`: every page and record is well formed; skips index
            /// contents, so it is fast enough for every start.
            case quick
            /// `PRAGMA integrity_check`: also checks every index entry against its table.
            case full
        }

        /// Checked at open; a failure is a `.corrupt` refusal.
        public var integrityCheck = IntegrityCheck.quick
        /// How long a write waits for another writer's lock before failing as `.busy`.
        public var busyTimeout: TimeInterval = 5
        /// Caps the database at this many pages (4 KiB each): the way tests make the
        /// disk "full" without a small file system. nil = no cap.
        public var maximumPageCount: Int?

        public init() {}
    }

    /// Absolute path of the database file.
    public let path: String
    let pool: DatabasePool

    /// Opens the store at `path`, creating it (and missing folders) if nothing is there.
    public init(path: String = TradeStore.defaultPath, options: Options = Options()) throws(TradeStoreError) {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        self.path = absolute
        if try DatabaseFile.inspect(absolute) == .absent {
            try DatabaseFile.createParentFolder(of: absolute)
            try DatabaseFile.checkWritable(absolute)
            try Self.create(at: absolute)
        }
        try Self.verify(absolute, options)
        do {
            pool = try DatabasePool(path: absolute, configuration: Self.configuration(options))
        } catch {
            throw .from(error, path: absolute)
        }
        do {
            // GRDB sets NORMAL on the writer when it enables WAL, after
            // `prepareDatabase`; the writer connection lives as long as the pool.
            try pool.writeWithoutTransaction { db in
                try db.execute(sql: "PRAGMA synchronous = FULL")
                // 32 MiB of page cache for the one writer (the default is 2 MiB): a
                // large import then keeps its B-tree pages in memory instead of
                // spilling them to the log mid-transaction.
                try db.execute(sql: "PRAGMA cache_size = -32768")
            }
            try StoreSchema.migrator.migrate(pool)
        } catch {
            try? pool.close()
            throw .from(error, path: absolute)
        }
    }

    /// Closes every connection. Later calls fail; a store is closed when released anyway.
    public func close() throws(TradeStoreError) {
        do { try pool.close() } catch { throw .from(error, path: path) }
    }

    /// The schema version recorded in the file.
    public func storedSchemaVersion() throws(TradeStoreError) -> Int {
        try read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0 }
    }

    /// Problems `PRAGMA integrity_check` (or `quick_check`) finds; empty when the file is sound.
    public func integrityProblems(full: Bool = true) throws(TradeStoreError) -> [String] {
        let problems = try read { db in
            try String.fetchAll(db, sql: full ? "PRAGMA integrity_check(20)" : "PRAGMA quick_check(20)")
        }
        return problems == ["ok"] ? [] : problems
    }

    // MARK: - Opening

    static func configuration(_ options: Options) -> Configuration {
        var config = Configuration()
        config.busyMode = .timeout(options.busyTimeout)
        config.label = "TradeStore"
        let maxPages = options.maximumPageCount
        config.prepareDatabase { db in
            // Chosen deliberately: see the type's documentation (Durability).
            try db.execute(sql: "PRAGMA synchronous = FULL")
            if let maxPages { try db.execute(sql: "PRAGMA max_page_count = \(maxPages)") }
        }
        return config
    }

    /// Builds a complete, migrated store at a temporary name and links it into
    /// place. `link` (unlike `rename`) fails if someone else created `path` in the
    /// meantime; then theirs is kept and opened.
    private static func create(at path: String) throws(TradeStoreError) {
        let temporary = path + ".creating-\(getpid())"
        for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) }
        defer { for suffix in ["", "-journal", "-wal", "-shm"] { unlink(temporary + suffix) } }
        do {
            var config = Configuration()
            config.prepareDatabase { db in try db.execute(sql: "PRAGMA synchronous = FULL") }
            let queue = try DatabaseQueue(path: temporary, configuration: config)
            try StoreSchema.migrator.migrate(queue)
            try queue.close()
        } catch {
            throw .from(error, path: path)
        }
        if link(temporary, path) != 0 && errno != EEXIST {
            throw .readOnly(path, "cannot move the new store into place: \(String(cString: strerror(errno)))")
        }
        DatabaseFile.syncFolder((path as NSString).deletingLastPathComponent)
    }

    /// Refuses a foreign, newer or damaged file, through a read-only connection:
    /// nothing is written to a file until it has passed (not even the switch to WAL).
    private static func verify(_ path: String, _ options: Options) throws(TradeStoreError) {
        let migrator = StoreSchema.migrator
        do {
            var config = Configuration()
            config.readonly = true
            let queue = try DatabaseQueue(path: path, configuration: config)
            defer { try? queue.close() }
            try queue.read { db in
                let applicationID = try Int32.fetchOne(db, sql: "PRAGMA application_id") ?? 0
                let version = try Int.fetchOne(db, sql: "PRAGMA user_version") ?? 0
                if applicationID != StoreSchema.applicationID {
                    throw TradeStoreError.corrupt(path, "it is an SQLite database, but not a tradeengine store "
                        + "(application_id \(applicationID), expected \(StoreSchema.applicationID))")
                }
                if version > StoreSchema.currentVersion {
                    throw TradeStoreError.newerSchema(path, found: version, known: StoreSchema.currentVersion)
                }
                let unknown = try migrator.appliedIdentifiers(db).subtracting(migrator.migrations)
                if !unknown.isEmpty {
                    throw TradeStoreError(.newerSchema, "\(path) has migrations this build does not know ("
                        + unknown.sorted().joined(separator: ", ") + ") at schema version \(version); this build "
                        + "knows schema versions up to \(StoreSchema.currentVersion). Run the build that wrote it.")
                }
                let check: String? = switch options.integrityCheck {
                case .none: nil
                case .quick: "PRAGMA quick_check(5)"
                case .full: "PRAGMA integrity_check(5)"
                }
                if let check {
                    let result = try String.fetchAll(db, sql: check)
                    if result != ["ok"] {
                        throw TradeStoreError.corrupt(path, "the integrity check failed: " + result.joined(separator: "; "))
                    }
                }
            }
        } catch {
            throw .from(error, path: path)
        }
    }

    // MARK: - Access with errors translated

    func read<T>(_ body: (Database) throws -> T) throws(TradeStoreError) -> T {
        do { return try pool.read(body) } catch { throw .from(error, path: path) }
    }

    /// One IMMEDIATE transaction; rolled back entirely if `body` throws.
    ///
    /// Immediate, because writes here read before they write (the journal's last
    /// sequence, the current parameter version): taking the write lock first makes
    /// a second process wait (up to the busy timeout) and then see the first one's
    /// commit, instead of both reading the same state.
    func write<T>(_ body: (Database) throws -> T) throws(TradeStoreError) -> T {
        do {
            return try pool.writeWithoutTransaction { db in
                var result: T?
                try db.inTransaction(.immediate) {
                    result = try body(db)
                    return .commit
                }
                return result!
            }
        } catch {
            throw .from(error, path: path)
        }
    }
}
