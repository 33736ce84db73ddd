import Foundation
import TradeSecurity
import TradeStore

/// The audit log in the engine's database: every control call is committed
/// (append-only table, durable like the journal) before the call's answer goes
/// out, and survives restarts. Records are also echoed to `sink` (the server
/// prints them).
///
/// Reads filter in memory over the newest rows: control calls are few (people
/// and scripts, not market data), and the list API pages by offset.
public actor StoreAuditLog: AuditLog {
    private let store: TradeStore
    private let sink: @Sendable (AuditRecord) -> Void
    /// The most rows a query looks through (newest first).
    private let scanLimit: Int

    public init(store: TradeStore, scanLimit: Int = 100_000, sink: @escaping @Sendable (AuditRecord) -> Void = { _ in }) {
        self.store = store
        self.scanLimit = scanLimit
        self.sink = sink
    }

    @discardableResult
    public func record(_ entry: AuditRecord) -> AuditRecord {
        var e = entry
        do {
            let ids = try store.history.recordAudit([Self.stored(entry)])
            e.id = ids.first ?? 0
        } catch {
            // The call already happened; losing its audit row must be loud.
            e.message += " [audit log not stored: \(error)]"
        }
        sink(e)
        return e
    }

    public func entries(_ query: AuditQuery) -> RecordPage<AuditRecord> {
        var items: [AuditRecord] = []
        var total = 0
        var token: String?
        var scanned = 0
        repeat {
            guard let page = try? store.history.auditLog(HistoryQuery(pageSize: HistoryQuery.maximumPageSize, pageToken: token,
                                                                      newestFirst: true)) else { break }
            for row in page.items {
                let r = Self.record(row)
                guard query.matches(r) else { continue }
                if total >= query.offset && items.count < query.limit { items.append(r) }
                total += 1
            }
            scanned += page.items.count
            token = page.nextPageToken
        } while token != nil && scanned < scanLimit
        return RecordPage(items: items, total: total, offset: query.offset)
    }

    /// Outcome, status code and message share the `outcome` column: "denied|permissionDenied|message".
    static func stored(_ r: AuditRecord) -> AuditEntry {
        AuditEntry(time: Int64((r.time.timeIntervalSince1970 * 1000).rounded()), caller: r.caller, role: r.role?.name ?? "",
                   method: r.method, request: r.requestSummary, outcome: "\(r.outcome.rawValue)|\(r.statusCode)|\(r.message)")
    }

    static func record(_ e: AuditEntry) -> AuditRecord {
        let parts = e.outcome.split(separator: "|", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        return AuditRecord(id: e.id ?? 0, time: Date(timeIntervalSince1970: Double(e.time) / 1000), caller: e.caller,
                           role: Role(name: e.role), method: e.method, requestSummary: e.request,
                           outcome: AuditRecord.Outcome(rawValue: parts.first ?? "") ?? .failed,
                           statusCode: parts.count > 1 ? parts[1] : "", message: parts.count > 2 ? parts[2] : "")
    }
}
