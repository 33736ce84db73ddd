import Foundation
import TradeRuntime
import TradeStore

/// Lists read straight from the engine's database: its runs, and the
/// breaker transitions each run stored.
extension EngineHost {
    public func runs(offset: Int, limit: Int) throws(HostError) -> RecordPage<RunSummary> {
        var all: [RunRecord] = []
        var before: Int64?
        while true {
            let page = try stored { try store.runs.list(limit: RunStore.maximumLimit, before: before) }
            all += page
            guard page.count == RunStore.maximumLimit, let last = page.last else { break }
            before = last.id
        }
        let items = all.dropFirst(offset).prefix(limit).map { r -> RunSummary in
            let identity = try? RunIdentity(json: r.identity)
            return RunSummary(id: r.id, state: r.state, message: r.message,
                              startedAt: Date(timeIntervalSince1970: Double(r.startedAt) / 1000), endedAt: r.endedAt,
                              strategy: identity?.strategy ?? "", symbols: identity?.symbols ?? [],
                              settings: identity?.settings ?? [:])
        }
        return RecordPage(items: Array(items), total: all.count, offset: offset)
    }

    public func breakerTransitions(_ query: RecordQuery, run wanted: Int64?) throws(HostError) -> RecordPage<BreakerTransitionRecord> {
        let latest = try stored { try store.runs.latest() }
        guard let id = wanted ?? run?.id ?? latest?.id else {
            return RecordPage(items: [], total: 0, offset: query.offset)
        }
        var rows: [StoredBreakerTransition] = []
        var token: String?
        repeat {
            let page = try stored {
                try store.history.breakerTransitions(HistoryQuery(run: id, pageSize: HistoryQuery.maximumPageSize, pageToken: token))
            }
            rows += page.items
            token = page.nextPageToken
        } while token != nil
        let records = rows.lazy.map { BreakerTransitionRecord(time: $0.time, model: $0.model, symbol: $0.symbol, breaker: $0.breaker,
                                                              from: $0.from, to: $0.to, reason: $0.reason) }
        return query.page(records, time: \.time, symbol: \.symbol, model: \.model)
    }
}
