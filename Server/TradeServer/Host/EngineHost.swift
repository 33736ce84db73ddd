import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore
import TradeVenues

/// Hosts one engine — a replay of recorded candles (files or the store),
/// paper on a replay, or paper on a venue's live candles; the modes differ
/// only in the run's `CandleSource` — journaled in the engine's database: the
/// `EngineHosting` implementation. Time comes from an injected `HostClock`.
///
/// An actor, so it is the single writer of the engine: commands, queries and
/// the replay loop take turns on it. The loop advances the run in batches
/// (paced to 1×/60× of the candles' clock, or as fast as possible), each batch
/// one commit, and yields between batches, so a command lands between two
/// candles within one batch. Every command is journaled and committed before
/// it is answered; everything watchers see goes out through `bus` after the
/// commit that stored it, and the bus never waits for them.
///
/// After a restart, `resumeLatestRun()` takes the database's latest run up
/// where it was: a running replay continues, a paused or halted one stays so,
/// a finished one is shown as finished.
public actor EngineHost: EngineHosting {
    public nonisolated let bus: EventBus
    /// The actor's own thread (see `EngineThreadExecutor`).
    nonisolated let executor = EngineThreadExecutor(name: "tradeengine-replay")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Whether the engine thread runs at raised priority (needs CAP_SYS_NICE).
    public var engineThreadPriorityRaised: Bool { executor.raisedPriority }
    let store: TradeStore
    let models: [ModelDefinition]
    let parameterStore: ParameterStore
    let dataDirectories: [String]
    let settings: RunSettings
    /// Candles per actor turn (and per commit) at max speed: large enough to
    /// amortise the commit's fsync, small enough that commands wait only a few milliseconds.
    let batchSize: Int
    let snapshotEvery: Int
    /// Where the host reads time and waits (the machine's, or a test's).
    nonisolated let clock: any HostClock

    var run: ReplayRun?
    /// A start is reading the venue's rules (the actor is free meanwhile): no second start until it is done.
    var starting = false
    var context = OperatorContext()
    /// Events of the current turn, published together at its end: one lock and
    /// one wake-up round per batch instead of per event.
    var pendingEvents: [EngineEvent] = []
    /// Why the last run ended, or failed to go on (shown in status).
    var message = ""
    /// Where counters and histograms go (`serve --metrics`); nil: nowhere.
    var metrics: EngineMetrics?
    /// Where alerts go (`"alerts"` in the config); nil: nowhere.
    var alerts: AlertDispatcher?
    /// How paper runs' feeds behave (`serve --feed-*`).
    var feedTiming = FeedTiming()
    /// API keys for live runs, by venue (`serve --binance-keys` or the environment); never leave the host.
    var venueCredentials: [String: VenueCredentials] = [:]
    /// How live runs' order gateways behave (`serve`; tests shorten the waits).
    var orderSettings = OrderGatewaySettings()

    /// Sets the API keys live runs may use, by venue.
    public func configure(credentials: [String: VenueCredentials], orders: OrderGatewaySettings = OrderGatewaySettings()) {
        venueCredentials = credentials
        orderSettings = orders
    }

    /// The environment variables' prefix for a venue's keys: TRADEENGINE_BINANCE (_API_KEY, _API_SECRET).
    public static func credentialsPrefix(_ venue: String) -> String { "TRADEENGINE_\(venue.uppercased())" }

    /// Sets how the feeds of runs opened from now on behave.
    public func configure(feed: FeedTiming) { feedTiming = feed }

    /// Counts what happens from now on into `metrics`.
    public func attach(metrics: EngineMetrics) { self.metrics = metrics }

    /// - Parameters:
    ///   - store: the engine's database: journal, snapshots, runs, history, parameters, audit.
    ///   - dataDirectories: the only folders Start may read candle files from.
    ///   - settings: costs, instruments and regime settings every run uses; its
    ///     models section seeds parameter version 1 when the database has none.
    ///   - clock: where the host reads time and waits; tests give one they move.
    public init(store: TradeStore, dataDirectories: [String], settings: RunSettings = RunSettings(), bus: EventBus = EventBus(),
                batchSize: Int = 4096, snapshotEvery: Int = 100_000, clock: any HostClock = SystemHostClock()) throws {
        try self.init(store: store, dataDirectories: dataDirectories, settings: settings, bus: bus, batchSize: batchSize,
                      snapshotEvery: snapshotEvery, models: [.emaCrossRsi, .models], clock: clock)
    }

    init(store: TradeStore, dataDirectories: [String], settings: RunSettings, bus: EventBus, batchSize: Int,
         snapshotEvery: Int, models: [ModelDefinition], clock: any HostClock) throws {
        self.clock = clock
        self.bus = bus
        self.store = store
        self.models = models
        self.dataDirectories = dataDirectories
        self.settings = settings
        self.batchSize = batchSize
        self.snapshotEvery = snapshotEvery
        var specs: [String: ParameterSpec] = [:]
        for m in models { for (name, b) in m.parameterBounds { specs[name] = b.spec } }
        self.parameterStore = store.parameters(schema: ParameterSchema(specs))
        if let saved = try store.settings.value(Self.contextSetting) {
            context = (try? JSONDecoder().decode(OperatorContext.self, from: Data(saved.utf8))) ?? OperatorContext()
        }
        if try parameterStore.current() == nil {
            var values: [String: Double] = [:]
            for m in models { values.merge(m.initialValues(settings)) { a, _ in a } }
            try parameterStore.createInitialVersion(ParameterSet(values), by: ParameterAuthor(name: "tradeengine", role: .system),
                                                    reason: "defaults (and the --config file's models section)",
                                                    now: clock.nowMs)
        }
    }

    /// Where the operator's context is kept in the database.
    static let contextSetting = "operator_context"

    var lifecycle: EngineLifecycle {
        guard let run else { return .idle }
        if run.failure != nil { return .failed }
        switch run.hosted.state {
        case .running: return .running
        case .paused: return .paused
        case .halted: return .halted
        case .finished: return .finished
        case .stopped: return .idle
        case .failed: return .failed
        }
    }

    var isActive: Bool { run.map { $0.failure == nil && $0.hosted.state.isActive } ?? false }

    // MARK: - Lifecycle

    public func start(_ request: StartOptions) async throws(HostError) -> EngineStatusSnapshot {
        if let run, isActive {
            throw .failedPrecondition("the engine is already \(lifecycle.rawValue) (run \(run.id)); stop it first")
        }
        guard !starting else { throw .failedPrecondition("another start is under way; wait for it") }
        starting = true
        defer { starting = false }
        let model = try chooseModel(request.models)
        if request.mode == .paperOnReplay && request.speed == .max {
            throw .invalidArgument("paper-on-replay runs as if live: choose speed 1x or 60x, or use mode replay for max")
        }
        var request = request
        if request.mode == .live {
            guard request.confirmLive else {
                throw .failedPrecondition("live mode sends real orders with the account's money: confirm it (tradectl start --mode live --confirm-live)")
            }
            guard case .venue(let selection) = request.source else {
                throw .invalidArgument("live mode trades a venue's account: give --venue and --symbols, not files or the store")
            }
            guard venueCredentials[selection.venue] != nil else {
                throw .failedPrecondition("this server has no API key for \(selection.venue): give `serve` --\(selection.venue)-keys FILE (mode 0600) or set \(Self.credentialsPrefix(selection.venue))_API_KEY and _API_SECRET")
            }
        } else if request.confirmLive {
            throw .invalidArgument("--confirm-live is for live mode only")
        }
        switch (request.mode, request.source) {
        case (.paper, .venue(var selection)), (.live, .venue(var selection)):
            if request.to != nil { throw .invalidArgument("a \(request.mode.rawValue) run has no end: leave out --to (stop it with `tradectl stop`)") }
            // The backfill's start is part of the run: a restart resumes from the same place.
            if request.from == nil { request.from = clock.nowMs / 60_000 * 60_000 }
            // So are the venue's rules, read now: a restart and a replay of the journal meet the same ones.
            selection.instruments = try await ReplayData.rules(selection)
            request.source = .venue(selection)
        case (.paper, _):
            throw .invalidArgument("paper mode trades a venue's live candles: give --venue and --symbols, not files or the store")
        case (_, .venue):
            throw .invalidArgument("a venue's live candles run in paper or live mode (--mode paper, --mode live)")
        default: break
        }
        let data = try loadData(request)
        let active = try currentParameters()
        try open(model: model, options: request, data: data, version: active.version, values: active.parameters.values,
                 opening: .startNew)
        let run = self.run!
        message = ""
        try pauseForRiskOffContext()
        if run.hosted.venueLink != nil { await reconcile(run, why: "start") }
        log(.info, "run \(run.id) started: \(request.mode.rawValue) at \(request.speed.rawValue), \(model.name), \(run.symbols.joined(separator: ", ")), \(run.hosted.candlesTotal) candles, parameters v\(active.version)")
        publishStatus()
        startLoop(run)
        return status()
    }

    public func stop(flatten: Bool) async throws(HostError) -> EngineStatusSnapshot {
        guard let run, isActive else {
            throw .failedPrecondition("no run to stop: the engine is \(lifecycle.rawValue)")
        }
        run.loop?.cancel()
        run.stopFeed()
        var text = "stopped"
        if flatten {
            // Close positions on the run's own data: step forward (unpaced) until
            // the closing orders have filled, or the data ends.
            try command { try run.hosted.apply(.flatten(symbol: nil, reason: "stop")) }
            var steps = 0
            if run.hosted.venueLink != nil {
                // Live: the closing orders go to the venue; wait (bounded) for its fills.
                while run.hosted.ledger.openPositionCount > 0 || !run.hosted.openOrderIDs.isEmpty, steps < 100 {
                    await exchange(run)
                    run.lastPoll = clock.now - Self.pollInterval   // poll on the next turn
                    try? await clock.sleep(for: .milliseconds(100))
                    steps += 1
                }
            }
            while run.hosted.venueLink == nil, run.hosted.ledger.openPositionCount > 0, run.hosted.nextCandleTime != nil, steps < 10_000 {
                try command { try run.hosted.advance(maxCandles: run.symbols.count, notAfter: .max) }
                publishCommitted(run)
                steps += 1
            }
            let left = run.hosted.ledger.openPositionCount
            text = left == 0 ? "stopped after flattening" : "stopped; \(left) position(s) could not be closed before the data ended"
        }
        if run.hosted.state.isActive { try command { try run.hosted.stop(message: text) } }
        run.endedAt = clock.now
        message = text
        log(.info, "run \(run.id) \(text)")
        publishStatus()
        return status()
    }

    public func pauseEntries(reason: String) async throws(HostError) -> EngineStatusSnapshot {
        guard let run, isActive else { throw .failedPrecondition("nothing to pause: the engine is \(lifecycle.rawValue)") }
        guard lifecycle == .running else {
            throw .failedPrecondition("the engine is \(lifecycle.rawValue); resume it before pausing again")
        }
        let why = reason.isEmpty ? "paused by operator" : reason
        try command { try run.hosted.apply(.pauseEntries(reason: why)) }
        log(.warning, "entries paused: \(why)")
        publishStatus()
        return status()
    }

    public func resume() async throws(HostError) -> EngineStatusSnapshot {
        guard let run, lifecycle == .paused || lifecycle == .halted else {
            throw .failedPrecondition("nothing to resume: the engine is \(lifecycle.rawValue)")
        }
        let was = lifecycle
        try command { try run.hosted.apply(.resume) }
        log(.info, "resumed from \(was.rawValue); entries allowed")
        publishStatus()
        return status()
    }

    public func halt(reason: String) async throws(HostError) -> EngineStatusSnapshot {
        guard let run, isActive else { throw .failedPrecondition("nothing to halt: the engine is \(lifecycle.rawValue)") }
        guard lifecycle != .halted else { throw .failedPrecondition("already \(run.hosted.message)") }
        try command { try run.hosted.apply(.halt(reason: reason)) }
        log(.error, "KILL SWITCH: \(reason); flattening and blocking entries until resumed")
        raise(Alert(kind: "kill_switch", severity: .critical, title: "kill switch: halted by an operator",
                    text: "\(reason); positions are being flattened and entries are blocked until resume",
                    fields: ["by": CallerIdentity.current?.commonName ?? "operator"]))
        publishCommitted(run)
        publishStatus()
        return status()
    }

    public func flatten(symbol: String?) async throws(HostError) -> FlattenResult {
        guard let run, isActive else { throw .failedPrecondition("nothing to flatten: the engine is \(lifecycle.rawValue)") }
        var index: Int?
        if let symbol {
            guard let i = run.symbolIndex(symbol) else {
                throw .invalidArgument("\(symbol) is not in this run; symbols: \(run.symbols.joined(separator: ", "))")
            }
            guard !run.hosted.ledger.positions[i].isFlat else { throw .failedPrecondition("no open position in \(symbol)") }
            index = i
        }
        let closing = run.hosted.ledger.positions.enumerated()
            .filter { !$0.element.isFlat && (index == nil || $0.offset == index) }.map { run.symbols[$0.offset] }
        try command { try run.hosted.apply(.flatten(symbol: index, reason: "operator")) }
        log(.warning, closing.isEmpty ? "flatten: no open positions" : "flatten: closing \(closing.joined(separator: ", ")) at the next bar")
        publishCommitted(run)
        flushEvents()
        return FlattenResult(status: status(), symbols: closing)
    }

    public func setContext(_ newContext: OperatorContext) async throws(HostError) -> OperatorContext {
        if let expires = newContext.expiresAt, expires <= clock.date {
            throw .invalidArgument("expires_at is in the past")
        }
        do {
            let json = String(decoding: try JSONEncoder().encode(newContext), as: UTF8.self)
            try store.settings.set(Self.contextSetting, to: json, now: clock.nowMs)
        } catch {
            throw .unavailable("the context could not be stored, so it was not set: \(error)")
        }
        context = newContext
        log(.info, "context set by \(newContext.setBy): \(newContext.bias.rawValue)\(newContext.note.isEmpty ? "" : " — \(newContext.note)")")
        try pauseForRiskOffContext()
        publishStatus()
        return context
    }

    public func shutdown() async {
        // The run stays as it is in the database: a restart resumes it.
        run?.loop?.cancel()
        run?.stopFeed()
        flushEvents()
        bus.close()
    }

    // MARK: - Helpers

    /// A risk-off context pauses entries of a running engine (journaled like
    /// any pause; an operator lifts it with resume).
    func pauseForRiskOffContext() throws(HostError) {
        let ctx = context.effective(at: clock.date)
        guard ctx.bias == .riskOff, lifecycle == .running, let run else { return }
        try command { try run.hosted.apply(.pauseEntries(reason: "risk-off context: \(ctx.note)")) }
        log(.warning, "entries paused by the risk-off context")
    }

    /// Runs a journaled step; a refusal or a storage failure becomes a host error.
    func command<T>(_ body: () throws -> T) throws(HostError) -> T {
        do { return try body() } catch let error as RuntimeError {
            throw .failedPrecondition(error.description)
        } catch let error as EngineError {
            throw .failedPrecondition(error.description)
        } catch {
            // Memory may be ahead of the disk now: the run stops here, and a
            // restart resumes it from what was stored (the command is not among it).
            let why = "the engine's database refused the write (\(error)); the command was not stored and the run stopped; restart the server to resume from the last stored state"
            if let run {
                run.loop?.cancel()
                run.stopFeed()
                run.failure = why
                run.endedAt = clock.now
            }
            log(.error, why)
            flushEvents()
            throw .unavailable(why)
        }
    }

    private func chooseModel(_ names: [String]) throws(HostError) -> ModelDefinition {
        let known = models.map(\.name).joined(separator: ", ")
        for name in names where !models.contains(where: { $0.name == name }) {
            throw .invalidArgument("unknown model '\(name)'; models: \(known)")
        }
        // One strategy per run; with none named, the default one (the three-model stack), or the first there is.
        guard names.count <= 1 else { throw .invalidArgument("choose one model per run: \(known)") }
        guard let name = names.first else { return models.first(where: \.isDefault) ?? models[0] }
        return models.first { $0.name == name }!
    }

    /// A log line of the engine, with the run it belongs to (and `fields` such as model and symbol).
    func log(_ level: LogRecord.Level, _ text: @autoclosure () -> String, component: String = "engine",
             fields: [String: String] = [:]) {
        if level == .debug && !bus.wantsDebugLogs { return }
        var fields = fields
        if let run { fields["run"] = "\(run.id)" }
        pendingEvents.append(.log(LogRecord(level: level, component: component, message: text(), fields: fields)))
    }

    /// Publishes the batch's events, in the order they happened.
    func flushEvents() {
        guard !pendingEvents.isEmpty else { return }
        bus.publish(contentsOf: pendingEvents)
        pendingEvents.removeAll(keepingCapacity: true)
    }
}
