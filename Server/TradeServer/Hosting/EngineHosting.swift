import TradeCore
import TradeVenues

/// The seam between the gRPC services and whatever runs the engine.
///
/// The services know only this protocol: they validate requests, map messages
/// to these calls and the results back to messages, and never touch engine
/// state themselves (the host is the single writer). `EngineHost` is the one
/// implementation that runs an engine (replay, paper on a replay, paper on a
/// venue's feed); the services' tests use a fake of their own.
///
/// Commands throw `HostError.failedPrecondition` when the engine's state
/// forbids them and `HostError.invalidArgument` for requests that name things
/// the host does not have; either way they change nothing.
public protocol EngineHosting: Sendable {
    // MARK: Lifecycle (operator)
    func start(_ request: StartOptions) async throws(HostError) -> EngineStatusSnapshot
    /// Stops the run; with `flatten`, positions are closed first.
    func stop(flatten: Bool) async throws(HostError) -> EngineStatusSnapshot
    /// Blocks new entries; exits still happen.
    func pauseEntries(reason: String) async throws(HostError) -> EngineStatusSnapshot
    /// Lifts a pause or a halt.
    func resume() async throws(HostError) -> EngineStatusSnapshot
    /// The kill switch: flatten everything and block entries until `resume`.
    func halt(reason: String) async throws(HostError) -> EngineStatusSnapshot
    /// Closes positions (one symbol, or all when nil) without blocking entries.
    func flatten(symbol: String?) async throws(HostError) -> FlattenResult
    func setContext(_ context: OperatorContext) async throws(HostError) -> OperatorContext

    // MARK: Parameters (admin)
    /// Changes the named parameters into a new version (checked against the
    /// guardrails; `force` lifts the ±20 % step limit); a running engine adopts
    /// it at its next bar.
    func setParameters(_ changes: [ParameterValue], comment: String, by caller: String, force: Bool) async throws(HostError) -> ParameterSetRecord
    /// Restores an earlier version (nil: the one before the active) as a new one.
    func rollback(to version: Int64?, comment: String, by caller: String) async throws(HostError) -> ParameterSetRecord

    // MARK: Queries
    func status() async -> EngineStatusSnapshot
    /// Symbols and models requests may name (filters naming others are invalid).
    func catalog() async -> HostCatalog
    func positions() async -> [PositionRecord]
    func orders(_ query: RecordQuery, statuses: Set<OrderStatus>) async throws(HostError) -> RecordPage<OrderRecord>
    func trades(_ query: RecordQuery) async throws(HostError) -> RecordPage<TradeRecord>
    func signals(_ query: RecordQuery, outcome: SignalOutcome?) async throws(HostError) -> RecordPage<SignalRecord>
    func performance() async -> [ModelPerformanceRecord]
    func risk() async -> RiskSnapshot
    /// A parameter version, or the active one for nil.
    func parameters(version: Int64?) async throws(HostError) -> ParameterSetRecord
    /// Every version, newest first.
    func parameterHistory() async -> [ParameterSetRecord]
    func candles(_ query: RecordQuery) async throws(HostError) -> RecordPage<CandleRecord>
    /// The runs the engine's database holds, newest first.
    func runs(offset: Int, limit: Int) async throws(HostError) -> RecordPage<RunSummary>
    /// Breaker transitions of run `run` (nil: the current run).
    /// The current run's venue connections and their breakers (empty for replays).
    func venues() async -> [VenueConnectionRecord]
    func breakerTransitions(_ query: RecordQuery, run: Int64?) async throws(HostError) -> RecordPage<BreakerTransitionRecord>

    // MARK: Events
    /// A bounded subscription to the host's event bus (see `EventBus`).
    func subscribe(_ filter: EventFilter) -> EventSubscription

    /// Called once when the server stops: ends any run cleanly (positions stay
    /// as they are, as with `stop(flatten: false)`) and ends every subscription.
    func shutdown() async
}

/// What a host can be asked about: the names that filters may use.
/// A venue connection as queries show it.
public struct VenueConnectionRecord: Sendable, Equatable {
    public var symbols: [String]
    /// The feed: its venue, endpoint, state and breakers.
    public var feed: FeedStatus
}

public struct HostCatalog: Sendable, Equatable {
    public var symbols: [String]
    public var models: [String]
    public init(symbols: [String], models: [String]) {
        self.symbols = symbols
        self.models = models
    }
}

/// Why a host refused a command or query.
public enum HostError: Error, Equatable, CustomStringConvertible {
    /// The request itself is wrong (unknown symbol, missing file, bad value).
    case invalidArgument(String)
    /// The request is fine but the engine's state forbids it now.
    case failedPrecondition(String)
    /// A version, symbol or item that does not exist.
    case notFound(String)
    /// The engine cannot do it now for a reason outside the request (its database refused a write).
    case unavailable(String)

    public var description: String {
        switch self {
        case .invalidArgument(let m), .failedPrecondition(let m), .notFound(let m), .unavailable(let m): return m
        }
    }
}
