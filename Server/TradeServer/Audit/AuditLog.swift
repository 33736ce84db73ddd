import Foundation
import TradeAPI
import TradeSecurity

/// Where control calls are recorded. The interceptor writes one record per
/// control call — allowed or denied, succeeded or failed — and the query
/// service reads them back. `InMemoryAuditLog` keeps them in memory; a durable
/// implementation (SQLite, in TradeStore) plugs in through the same protocol.
public protocol AuditLog: Sendable {
    /// Stores a record and returns it with its id.
    @discardableResult
    func record(_ entry: AuditRecord) async -> AuditRecord
    /// Matching records, newest first.
    func entries(_ query: AuditQuery) async -> RecordPage<AuditRecord>
}

public struct AuditRecord: Sendable, Equatable {
    public enum Outcome: String, Sendable, Equatable {
        case ok, denied, failed

        var wire: Tradeengine_V1_AuditOutcome {
            switch self {
            case .ok: return .ok
            case .denied: return .denied
            case .failed: return .failed
            }
        }
    }

    /// Assigned by the log; 0 until recorded.
    public var id: Int64
    public var time: Date
    /// Common name of the client certificate.
    public var caller: String
    public var role: Role?
    /// Full method name, e.g. "tradeengine.v1.ControlService/Halt".
    public var method: String
    public var requestSummary: String
    public var outcome: Outcome
    /// gRPC status code name: "ok", "permissionDenied", …
    public var statusCode: String
    public var message: String

    public init(id: Int64 = 0, time: Date = Date(), caller: String, role: Role?, method: String, requestSummary: String,
                outcome: Outcome, statusCode: String, message: String) {
        self.id = id
        self.time = time
        self.caller = caller
        self.role = role
        self.method = method
        self.requestSummary = requestSummary
        self.outcome = outcome
        self.statusCode = statusCode
        self.message = message
    }
}

public struct AuditQuery: Sendable, Equatable {
    public var from: Date?
    public var to: Date?
    public var caller: String?
    /// Matches the method's short name ("Halt") or its full name.
    public var method: String?
    public var offset: Int
    public var limit: Int

    public init(from: Date? = nil, to: Date? = nil, caller: String? = nil, method: String? = nil,
                offset: Int = 0, limit: Int = 100) {
        self.from = from
        self.to = to
        self.caller = caller
        self.method = method
        self.offset = offset
        self.limit = limit
    }

    public func matches(_ r: AuditRecord) -> Bool {
        if let from, r.time < from { return false }
        if let to, r.time >= to { return false }
        if let caller, r.caller != caller { return false }
        if let method, r.method != method && !r.method.hasSuffix("/" + method) { return false }
        return true
    }
}
