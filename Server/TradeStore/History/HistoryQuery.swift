import Foundation

/// A page request for a history list: filters, order and position.
///
/// Pages are read by keyset (after the last row's (time, id)), never by offset,
/// so a page costs the same at row 10 as at row 10 million and rows appended
/// while a client pages through are neither skipped nor repeated.
public struct HistoryQuery: Sendable, Hashable {
    /// Inclusive time bounds (Unix ms); nil leaves that end open.
    public var from: Int64?
    public var to: Int64?
    public var model: String?
    public var symbol: String?
    /// Only the rows of this run (0: rows written outside any run); nil for all runs.
    /// The audit log belongs to no run and refuses this filter.
    public var run: Int64?
    /// 1…1000.
    public var pageSize: Int
    /// The `nextPageToken` of the previous page, or nil for the first page.
    public var pageToken: String?
    public var newestFirst: Bool
    /// Only rows in one of these states (orders: status raw values; signals: outcomes); empty = all.
    /// Lists without a state refuse it.
    public var states: Set<String> = []

    public static let maximumPageSize = 1_000

    public init(from: Int64? = nil, to: Int64? = nil, model: String? = nil, symbol: String? = nil, run: Int64? = nil,
                pageSize: Int = 100, pageToken: String? = nil, newestFirst: Bool = false) {
        self.from = from
        self.to = to
        self.model = model
        self.symbol = symbol
        self.run = run
        self.pageSize = pageSize
        self.pageToken = pageToken
        self.newestFirst = newestFirst
    }
}

public struct HistoryPage<Item: Sendable>: Sendable {
    public var items: [Item]
    /// Pass as `pageToken` for the next page; nil when this page is the last.
    public var nextPageToken: String?
}

extension HistoryPage: Equatable where Item: Equatable {}

/// The opaque cursor behind `pageToken`: where the last page ended, plus what it
/// was a page of (list, order, filters), so a token is refused on another list
/// or filter instead of silently returning the wrong rows.
struct PageCursor: Equatable {
    var table: String
    var newestFirst: Bool
    var filter: UInt64
    var time: Int64
    var id: Int64

    var token: String {
        let text = "h1|\(table)|\(newestFirst ? "d" : "a")|\(String(filter, radix: 16))|\(time)|\(id)"
        return Data(text.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    init(table: String, newestFirst: Bool, filter: UInt64, time: Int64, id: Int64) {
        self.table = table
        self.newestFirst = newestFirst
        self.filter = filter
        self.time = time
        self.id = id
    }

    /// Decodes `token` and checks it belongs to `table`, this order and this filter.
    init(token: String, table: String, query: HistoryQuery) throws(TradeStoreError) {
        let refusal = TradeStoreError.invalid("page_token '\(token.prefix(40))' was not issued for this list, order and "
            + "filter (or is damaged); repeat the query without a page token to start from the first page")
        var base64 = token.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { throw refusal }
        let parts = String(decoding: data, as: UTF8.self).split(separator: "|", omittingEmptySubsequences: false)
        guard parts.count == 6, parts[0] == "h1", parts[1] == table, parts[2] == (query.newestFirst ? "d" : "a"),
              let filter = UInt64(parts[3], radix: 16), filter == Self.fingerprint(query),
              let time = Int64(parts[4]), let id = Int64(parts[5]) else { throw refusal }
        self.init(table: table, newestFirst: query.newestFirst, filter: filter, time: time, id: id)
    }

    /// FNV-1a of the filters: tokens are only valid for the filters they were issued under.
    /// The run is appended only when set, so tokens issued before runs existed stay valid.
    static func fingerprint(_ query: HistoryQuery) -> UInt64 {
        let text = "\(query.from.map(String.init) ?? "-")|\(query.to.map(String.init) ?? "-")|"
            + "\(query.model.map { "m" + $0 } ?? "-")|\(query.symbol.map { "s" + $0 } ?? "-")"
            + (query.run.map { "|r\($0)" } ?? "")
            + (query.states.isEmpty ? "" : "|st" + query.states.sorted().joined(separator: ","))
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }
}
