import Foundation
import Synchronization

/// The server's view of `revoked.txt`, kept current without a restart.
///
/// Every handshake asks `isRevoked`; at most once per `checkInterval` that call
/// looks at the file's modification time and size and re-reads it when either
/// changed. So a revocation takes effect within seconds, and a busy server does
/// not stat the file on every connection. A file that fails to parse keeps the
/// previous list in force (a typo must not lock every client out or let every
/// revoked one back in) and reports the error through `onReloadError`.
public final class RevocationWatcher: Sendable {
    private struct State {
        var list = RevocationList()
        var modified: Date?
        var size: Int?
        var lastCheck: ContinuousClock.Instant?
    }

    public let path: String
    public let checkInterval: Duration
    private let state = Mutex(State())
    private let onReloadError: @Sendable (SecurityError) -> Void

    public init(path: String, checkInterval: Duration = .seconds(1),
                onReloadError: @escaping @Sendable (SecurityError) -> Void = { _ in }) throws(SecurityError) {
        self.path = path
        self.checkInterval = checkInterval
        self.onReloadError = onReloadError
        let (modified, size) = Self.stat(path)
        let list = try RevocationList.load(path: path)
        state.withLock { $0 = State(list: list, modified: modified, size: size, lastCheck: .now) }
    }

    public func isRevoked(_ serial: String) -> Bool {
        refreshIfDue()
        return state.withLock { $0.list.contains(serial) }
    }

    /// The list in force now (after a refresh if one is due).
    public var current: RevocationList {
        refreshIfDue()
        return state.withLock { $0.list }
    }

    /// Re-reads the file now if it changed, whatever the interval.
    public func refresh() { reload(force: true) }

    private func refreshIfDue() { reload(force: false) }

    private func reload(force: Bool) {
        let now = ContinuousClock.now
        let due = state.withLock { s -> Bool in
            if !force, let last = s.lastCheck, now - last < checkInterval { return false }
            s.lastCheck = now
            return true
        }
        guard due else { return }
        let (modified, size) = Self.stat(path)
        let changed = state.withLock { $0.modified != modified || $0.size != size }
        guard changed else { return }
        do {
            let list = try RevocationList.load(path: path)
            state.withLock { $0.list = list; $0.modified = modified; $0.size = size }
        } catch {
            onReloadError(error)
        }
    }

    private static func stat(_ path: String) -> (Date?, Int?) {
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path) else { return (nil, nil) }
        return (attributes[.modificationDate] as? Date, (attributes[.size] as? NSNumber)?.intValue)
    }
}
