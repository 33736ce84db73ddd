import GRPCCore
import SwiftProtobuf
import TradeAPI

/// Checks a request's paging and filter fields and turns them into a
/// `RecordQuery`. Everything that is wrong is INVALID_ARGUMENT with a message
/// that says which field and what would be right; nothing reaches the host.
enum RequestValidation {
    static let maxPageSize: Int32 = 1000

    static func invalid(_ message: String) -> RPCError { RPCError(code: .invalidArgument, message: message) }

    static func query(page: Tradeengine_V1_PageRequest, filter: Tradeengine_V1_ListFilter?, hasFilter: Bool,
                      catalog: HostCatalog) throws(RPCError) -> RecordQuery {
        var q = RecordQuery()
        (q.offset, q.limit, q.cursor) = try paging(page)
        guard hasFilter, let filter else { return q }
        if filter.hasFrom { q.from = try time(filter.from, field: "filter.from") }
        if filter.hasTo { q.to = try time(filter.to, field: "filter.to") }
        if let from = q.from, let to = q.to, from >= to {
            throw invalid("filter.from must be before filter.to")
        }
        if !filter.symbol.isEmpty { q.symbol = try symbol(filter.symbol, catalog: catalog, field: "filter.symbol") }
        if !filter.model.isEmpty { q.model = try model(filter.model, catalog: catalog, field: "filter.model") }
        return q
    }

    static func paging(_ page: Tradeengine_V1_PageRequest) throws(RPCError) -> (offset: Int, limit: Int, cursor: String?) {
        guard page.pageSize >= 1 && page.pageSize <= maxPageSize else {
            throw invalid("page.page_size must be 1…\(maxPageSize), got \(page.pageSize)")
        }
        guard !page.pageToken.isEmpty else { return (0, Int(page.pageSize), nil) }
        guard let (offset, cursor) = PageToken.decode(page.pageToken) else {
            throw invalid("page.page_token is not a token this server issued; pass next_page_token from the previous page")
        }
        return (offset, Int(page.pageSize), cursor)
    }

    static func symbol(_ s: String, catalog: HostCatalog, field: String) throws(RPCError) -> String {
        guard catalog.symbols.contains(s) else {
            throw invalid(catalog.symbols.isEmpty
                ? "\(field): unknown symbol '\(s)' (no run has been started, so no symbol is known yet)"
                : "\(field): unknown symbol '\(s)'; known: \(catalog.symbols.joined(separator: ", "))")
        }
        return s
    }

    static func model(_ m: String, catalog: HostCatalog, field: String) throws(RPCError) -> String {
        guard catalog.models.contains(m) else {
            throw invalid("\(field): unknown model '\(m)'; known: \(catalog.models.joined(separator: ", "))")
        }
        return m
    }

    static func time(_ t: Google_Protobuf_Timestamp, field: String) throws(RPCError) -> Int64 {
        // RFC 3339 range (years 1…9999) and nanos within a second, as the type's comment requires.
        guard (-62_135_596_800...253_402_300_799).contains(t.seconds), (0..<1_000_000_000).contains(t.nanos) else {
            throw invalid("\(field) is not a valid timestamp")
        }
        return Timestamps.ms(t)
    }
}

extension HostError {
    /// The gRPC status for a host's refusal.
    var rpcError: RPCError {
        switch self {
        case .invalidArgument(let m): return RPCError(code: .invalidArgument, message: m)
        case .failedPrecondition(let m): return RPCError(code: .failedPrecondition, message: m)
        case .notFound(let m): return RPCError(code: .notFound, message: m)
        case .unavailable(let m): return RPCError(code: .unavailable, message: m)
        }
    }
}
