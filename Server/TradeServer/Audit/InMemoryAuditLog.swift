import Foundation

/// The audit log kept in memory, bounded: beyond `capacity` records the oldest
/// are forgotten (a process restart forgets all; the durable log is SQLite's
/// job). Records are also echoed to `sink` — the server prints them — so the
/// trail survives in the process's own log either way.
public actor InMemoryAuditLog: AuditLog {
    private var records: [AuditRecord] = []
    private var nextID: Int64 = 1
    private let capacity: Int
    private let sink: @Sendable (AuditRecord) -> Void

    public init(capacity: Int = 100_000, sink: @escaping @Sendable (AuditRecord) -> Void = { _ in }) {
        self.capacity = capacity
        self.sink = sink
    }

    @discardableResult
    public func record(_ entry: AuditRecord) -> AuditRecord {
        var e = entry
        e.id = nextID
        nextID += 1
        records.append(e)
        if records.count > capacity { records.removeFirst(records.count - capacity) }
        sink(e)
        return e
    }

    public func entries(_ query: AuditQuery) -> RecordPage<AuditRecord> {
        var items: [AuditRecord] = []
        var total = 0
        for r in records.reversed() where query.matches(r) {
            if total >= query.offset && items.count < query.limit { items.append(r) }
            total += 1
        }
        return RecordPage(items: items, total: total, offset: query.offset)
    }
}
