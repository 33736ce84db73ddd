/// Everything the store can refuse, with a message that says what is wrong and
/// what to do about it.
///
/// The engine must never trade on a store it cannot trust: a corrupt file, a
/// schema from a newer build, a read-only or full disk all stop it, and the
/// operator reads `description` to learn why. `kind` lets callers map the
/// refusal (for example to a gRPC status) without parsing text.
public struct TradeStoreError: Error, CustomStringConvertible, Equatable, Sendable {
    public enum Kind: String, Sendable, Equatable {
        /// The file is not an SQLite database, is damaged, or is not a tradeengine store.
        case corrupt
        /// The schema was written by a newer build than this one.
        case newerSchema
        /// The file, its folder or its file system cannot be written.
        case readOnly
        /// The disk (or the database's size limit) is full.
        case diskFull
        /// The path cannot be read at all (missing permission, a folder, an I/O error).
        case unreadable
        /// Another process holds the write lock longer than the busy timeout.
        case busy
        /// A bad argument: page size, page token, filter, unknown name.
        case invalidArgument
        /// A write lost a race or broke an ordering rule (journal sequence, base version).
        case conflict
        /// A parameter change broke a guardrail (bounds, step limit, unknown name).
        case guardrail
        /// A requested record does not exist.
        case notFound
        /// A stored record cannot be decoded by this build.
        case undecodable
        /// Any other SQLite failure; the message carries SQLite's own words.
        case database
    }

    public let kind: Kind
    /// The whole message, advice included.
    public let message: String
    /// Individual problems when there are several (every guardrail a change broke).
    public let details: [String]

    public init(_ kind: Kind, _ message: String, details: [String] = []) {
        self.kind = kind
        self.message = message
        self.details = details
    }

    public var description: String { message }
}

extension TradeStoreError {
    static func corrupt(_ path: String, _ why: String) -> TradeStoreError {
        TradeStoreError(.corrupt, "\(path) is not a usable tradeengine database: \(why). "
            + "Refusing to open it, and refusing to start an empty store in its place: "
            + "restore it from a backup, or move it aside to start afresh.")
    }

    static func newerSchema(_ path: String, found: Int, known: Int) -> TradeStoreError {
        TradeStoreError(.newerSchema, "\(path) has schema version \(found), written by a newer tradeengine; "
            + "this build knows schema versions up to \(known). Run the newer build (or restore a backup "
            + "this build wrote); an older build must not write to a newer schema.")
    }

    static func readOnly(_ path: String, _ why: String) -> TradeStoreError {
        TradeStoreError(.readOnly, "\(path) cannot be written: \(why). The engine journals every event "
            + "before it acts on it, so it will not trade without a writable store: fix the permissions "
            + "or the mount, or pass --db with a writable path.")
    }

    static func diskFull(_ path: String, _ why: String) -> TradeStoreError {
        TradeStoreError(.diskFull, "the disk holding \(path) is full (\(why)); the last operation was "
            + "rolled back and nothing of it was stored. Free space on that disk and retry; the engine "
            + "stops trading until it can journal again.")
    }

    static func unreadable(_ path: String, _ why: String) -> TradeStoreError {
        TradeStoreError(.unreadable, "\(path) cannot be read: \(why). Refusing to start an empty store "
            + "in its place: fix the path or its permissions.")
    }

    static func invalid(_ message: String) -> TradeStoreError { TradeStoreError(.invalidArgument, message) }
}
