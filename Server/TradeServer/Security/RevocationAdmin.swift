import TradeSecurity

/// Changes to the deny list made over the API (RevokeCertificate). One actor,
/// so two revocations at once cannot lose each other's line; the file is
/// rewritten atomically and the watcher refreshed, so the next handshake
/// already sees the change.
public actor RevocationAdmin {
    let path: String
    let watcher: RevocationWatcher

    public init(path: String, watcher: RevocationWatcher) {
        self.path = path
        self.watcher = watcher
    }

    /// Adds a serial; returns false if it was already revoked.
    public func revoke(serial: String, note: String) throws(SecurityError) -> Bool {
        var list = try RevocationList.load(path: path)
        let added = list.add(serial, note: note)
        if added { try list.save(path: path) }
        watcher.refresh()
        return added
    }

    public func list() -> RevocationList { watcher.current }
}
