import Foundation
import TradeCore
@testable import TradeServer

/// An `EngineHosting` that runs no engine: it records every call it gets and
/// answers with what the test set, so the gRPC services are tested on their
/// own — what they validate, what they pass on, how they map answers and errors.
actor FakeHost: EngineHosting {
    /// Every call that reached the host, in order, as "name(arguments)".
    private(set) var calls: [String] = []
    var statusAnswer = EngineStatusSnapshot()
    var catalogAnswer = HostCatalog(symbols: ["BTCUSDT", "ETHUSDT"], models: ["aggressive", "balanced"])
    var orderItems: [OrderRecord] = []
    /// Thrown by the next command (queries never fail).
    var failure: HostError?
    /// The options of the last start that reached the host.
    private(set) var started: StartOptions?
    nonisolated let bus = EventBus()

    func set(status: EngineStatusSnapshot) { statusAnswer = status }
    func set(failure: HostError?) { self.failure = failure }
    func set(orders: [OrderRecord]) { orderItems = orders }

    private func command(_ call: String) throws(HostError) -> EngineStatusSnapshot {
        calls.append(call)
        if let failure { throw failure }
        return statusAnswer
    }

    func start(_ request: StartOptions) throws(HostError) -> EngineStatusSnapshot {
        started = request
        return try command("start(\(request.mode) \(request.source) \(request.speed) models=\(request.models) from=\(request.from.map(String.init) ?? "-"))")
    }
    func stop(flatten: Bool) throws(HostError) -> EngineStatusSnapshot { try command("stop(flatten: \(flatten))") }
    func pauseEntries(reason: String) throws(HostError) -> EngineStatusSnapshot { try command("pause(\(reason))") }
    func resume() throws(HostError) -> EngineStatusSnapshot { try command("resume()") }
    func halt(reason: String) throws(HostError) -> EngineStatusSnapshot { try command("halt(\(reason))") }
    func flatten(symbol: String?) throws(HostError) -> FlattenResult {
        FlattenResult(status: try command("flatten(\(symbol ?? "all"))"), symbols: symbol.map { [$0] } ?? [])
    }
    func setContext(_ context: OperatorContext) throws(HostError) -> OperatorContext {
        _ = try command("context(\(context.note))")
        return context
    }
    func setParameters(_ changes: [ParameterValue], comment: String, by caller: String, force: Bool) throws(HostError) -> ParameterSetRecord {
        _ = try command("set(\(changes.map { "\($0.model).\($0.name)" }) by \(caller))")
        return ParameterSetRecord(version: 2, parameters: changes, createdAt: Date(), createdBy: caller, comment: comment, restoredFrom: 0)
    }
    func rollback(to version: Int64?, comment: String, by caller: String) throws(HostError) -> ParameterSetRecord {
        _ = try command("rollback(\(version.map(String.init) ?? "previous"))")
        return ParameterSetRecord(version: 3, parameters: [], createdAt: Date(), createdBy: caller, comment: comment, restoredFrom: version ?? 1)
    }

    func status() -> EngineStatusSnapshot { statusAnswer }
    func catalog() -> HostCatalog { catalogAnswer }
    func positions() -> [PositionRecord] { [] }
    func orders(_ query: RecordQuery, statuses: Set<OrderStatus>) throws(HostError) -> RecordPage<OrderRecord> {
        calls.append("orders(offset=\(query.offset) limit=\(query.limit) symbol=\(query.symbol ?? "-") statuses=\(statuses.map(\.rawValue).sorted()))")
        let page = orderItems.dropFirst(query.offset).prefix(query.limit)
        return RecordPage(items: Array(page), total: orderItems.count, offset: query.offset)
    }
    func trades(_ query: RecordQuery) -> RecordPage<TradeRecord> { RecordPage(items: [], total: 0, offset: query.offset) }
    func signals(_ query: RecordQuery, outcome: SignalOutcome?) -> RecordPage<TradeServer.SignalRecord> { RecordPage(items: [], total: 0, offset: query.offset) }
    func performance() -> [ModelPerformanceRecord] { [] }
    func risk() -> RiskSnapshot { RiskSnapshot() }
    func parameters(version: Int64?) throws(HostError) -> ParameterSetRecord {
        ParameterSetRecord(version: version ?? 1, parameters: [], createdAt: Date(), createdBy: "", comment: "", restoredFrom: 0)
    }
    func parameterHistory() -> [ParameterSetRecord] { [] }
    func candles(_ query: RecordQuery) throws(HostError) -> RecordPage<CandleRecord> { RecordPage(items: [], total: 0, offset: 0) }
    func runs(offset: Int, limit: Int) throws(HostError) -> RecordPage<RunSummary> { RecordPage(items: [], total: 0, offset: offset) }
    func venues() -> [VenueConnectionRecord] { [] }
    func breakerTransitions(_ query: RecordQuery, run: Int64?) throws(HostError) -> RecordPage<BreakerTransitionRecord> {
        RecordPage(items: [], total: 0, offset: 0)
    }
    nonisolated func subscribe(_ filter: EventFilter) -> EventSubscription { bus.subscribe(filter) }
    func shutdown() { calls.append("shutdown()") }
}
