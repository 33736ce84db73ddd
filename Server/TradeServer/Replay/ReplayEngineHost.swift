import Foundation
import TradeCore
import TradeEngine

/// Hosts one engine over recorded candles: the `EngineHosting` implementation
/// for replay and paper-on-replay runs.
///
/// An actor, so it is the single writer of the engine: commands, queries and
/// the replay loop take turns on it. The loop processes candles in batches
/// (paced to 1×/60× of the candles' clock, or as fast as possible) and yields
/// between batches, so a halt lands within one batch. Everything watchers see
/// goes out through `bus`, which never waits for them.
public actor ReplayEngineHost: EngineHosting {
    public nonisolated let bus: EventBus
    /// The actor's own thread (see `EngineThreadExecutor`).
    nonisolated let executor = EngineThreadExecutor(name: "tradeengine-replay")
    public nonisolated var unownedExecutor: UnownedSerialExecutor { executor.asUnownedSerialExecutor() }
    /// Whether the engine thread runs at raised priority (needs CAP_SYS_NICE).
    public var engineThreadPriorityRaised: Bool { executor.raisedPriority }
    let models: [ModelDefinition]
    let dataDirectories: [String]
    let settings: RunSettings
    /// Candles per actor turn at max speed: large enough to amortise the hop,
    /// small enough that commands wait only a millisecond or so.
    let batchSize: Int

    var lifecycle: EngineLifecycle = .idle
    var run: ReplayRun?
    var nextRunID = 1
    var parameters: ParameterStore
    var context = OperatorContext()
    /// Signals and trades of the current batch, published together at its end:
    /// one lock and one wake-up round per batch instead of per event.
    var pendingEvents: [EngineEvent] = []
    var pauseReason: String?
    var haltReason: String?
    var message = ""

    /// - Parameters:
    ///   - dataDirectories: the only folders Start may read candle files from.
    ///   - settings: costs, instruments and regime settings every run uses.
    public init(dataDirectories: [String], settings: RunSettings = RunSettings(), bus: EventBus = EventBus(),
                batchSize: Int = 4096) {
        self.init(dataDirectories: dataDirectories, settings: settings, bus: bus, batchSize: batchSize,
                  models: [.emaCrossRsi])
    }

    init(dataDirectories: [String], settings: RunSettings, bus: EventBus, batchSize: Int, models: [ModelDefinition]) {
        self.bus = bus
        self.models = models
        self.dataDirectories = dataDirectories
        self.settings = settings
        self.batchSize = batchSize
        self.parameters = ParameterStore(models: models, now: Date())
    }

    var isActive: Bool { lifecycle == .running || lifecycle == .paused || lifecycle == .halted }

    // MARK: - Lifecycle

    public func start(_ request: StartOptions) async throws(HostError) -> EngineStatusSnapshot {
        guard !isActive else {
            throw .failedPrecondition("the engine is already \(lifecycle.rawValue) (run \(run?.id ?? 0)); stop it first")
        }
        let model = try chooseModel(request.models)
        if request.mode == .paperOnReplay && request.speed == .max {
            throw .invalidArgument("paper-on-replay runs as if live: choose speed 1x or 60x, or use mode replay for max")
        }
        let paths: [String]
        switch request.source {
        case .files(let p): paths = p
        case .store:
            throw .failedPrecondition("this server was started without a candle store; start the run with data files")
        }
        let data = try ReplayData.load(paths: paths, dataDirectories: dataDirectories, from: request.from, to: request.to)
        var configuration = EngineConfiguration(instruments: data.series.map(\.instrument))
        settings.apply(to: &configuration)
        let active = parameters.active
        let session = model.makeSession(configuration, parameters.values(model: model.name, in: active), data.interval,
                                        data.series.map(\.candles.count).max() ?? 0)
        let newRun = ReplayRun(id: nextRunID, options: request, data: data, session: session,
                               parameterVersion: active.version)
        nextRunID += 1
        run = newRun
        lifecycle = .running
        pauseReason = nil
        haltReason = nil
        message = ""
        applyGate()
        log(.info, "run \(newRun.id) started: \(request.mode.rawValue) at \(request.speed.rawValue), \(model.name), \(newRun.symbols.joined(separator: ", ")), \(newRun.candlesTotal) candles, parameters v\(active.version)")
        publishStatus()
        let runID = newRun.id
        newRun.loop = Task(executorPreference: executor) { await self.drive(runID: runID) }
        return status()
    }

    public func stop(flatten: Bool) async throws(HostError) -> EngineStatusSnapshot {
        guard let run, isActive else {
            throw .failedPrecondition("no run to stop: the engine is \(lifecycle.rawValue)")
        }
        run.loop?.cancel()
        if flatten {
            // Close positions on the run's own data: step forward (unpaced) until
            // the closing orders have filled, or the data ends.
            requestFlattenAll(run, reason: "stop")
            run.session.gate.entriesBlockedReason = "stopping"
            var steps = 0
            while run.session.ledger.openPositionCount > 0 || run.session.gate.hasFlattenRequests, steps < 10_000 {
                guard processNext(run) else { break }
                steps += 1
            }
            let left = run.session.ledger.openPositionCount
            message = left == 0 ? "stopped after flattening" : "stopped; \(left) position(s) could not be closed before the data ended"
        } else {
            message = "stopped"
        }
        run.endedAt = .now
        run.session.finish()
        lifecycle = .idle
        log(.info, "run \(run.id) \(message)")
        publishStatus()
        return status()
    }

    public func pauseEntries(reason: String) async throws(HostError) -> EngineStatusSnapshot {
        guard isActive else { throw .failedPrecondition("nothing to pause: the engine is \(lifecycle.rawValue)") }
        guard lifecycle == .running else {
            throw .failedPrecondition("the engine is \(lifecycle.rawValue); resume it before pausing again")
        }
        lifecycle = .paused
        pauseReason = reason.isEmpty ? "paused by operator" : reason
        message = pauseReason!
        applyGate()
        log(.warning, "entries paused: \(pauseReason!)")
        publishStatus()
        return status()
    }

    public func resume() async throws(HostError) -> EngineStatusSnapshot {
        guard lifecycle == .paused || lifecycle == .halted else {
            throw .failedPrecondition("nothing to resume: the engine is \(lifecycle.rawValue)")
        }
        let was = lifecycle
        lifecycle = .running
        pauseReason = nil
        haltReason = nil
        message = ""
        applyGate()
        log(.info, "resumed from \(was.rawValue); entries allowed")
        publishStatus()
        return status()
    }

    public func halt(reason: String) async throws(HostError) -> EngineStatusSnapshot {
        guard let run, isActive else { throw .failedPrecondition("nothing to halt: the engine is \(lifecycle.rawValue)") }
        guard lifecycle != .halted else { throw .failedPrecondition("already halted: \(haltReason ?? "")") }
        lifecycle = .halted
        haltReason = reason
        message = "halted: \(reason)"
        applyGate()
        requestFlattenAll(run, reason: "halt: \(reason)")
        log(.error, "KILL SWITCH: \(reason); flattening and blocking entries until resumed")
        publishStatus()
        return status()
    }

    public func flatten(symbol: String?) async throws(HostError) -> FlattenResult {
        guard let run, isActive else { throw .failedPrecondition("nothing to flatten: the engine is \(lifecycle.rawValue)") }
        var closing: [String] = []
        if let symbol {
            guard let i = run.symbolIndex(symbol) else {
                throw .invalidArgument("\(symbol) is not in this run; symbols: \(run.symbols.joined(separator: ", "))")
            }
            guard !run.session.ledger.positions[i].isFlat else {
                throw .failedPrecondition("no open position in \(symbol)")
            }
            run.session.gate.requestFlatten(symbol: i, reason: "flatten")
            closing = [symbol]
        } else {
            closing = requestFlattenAll(run, reason: "flatten")
        }
        log(.warning, closing.isEmpty ? "flatten: no open positions" : "flatten: closing \(closing.joined(separator: ", ")) at the next bar")
        flushEvents()
        return FlattenResult(status: status(), symbols: closing)
    }

    public func setContext(_ newContext: OperatorContext) async throws(HostError) -> OperatorContext {
        if let expires = newContext.expiresAt, expires <= Date() {
            throw .invalidArgument("expires_at is in the past")
        }
        context = newContext
        applyGate()
        log(.info, "context set by \(newContext.setBy): \(newContext.bias.rawValue)\(newContext.note.isEmpty ? "" : " — \(newContext.note)")")
        publishStatus()
        return context
    }

    public func setParameters(_ changes: [ParameterValue], comment: String, by caller: String) async throws(HostError) -> ParameterSetRecord {
        let record = try parameters.set(changes, comment: comment, by: caller, now: Date())
        log(.info, "parameters v\(record.version) by \(caller)\(isActive ? "; the running run keeps v\(run!.parameterVersion), the next start uses v\(record.version)" : "")")
        flushEvents()
        return record
    }

    public func rollback(to version: Int64, comment: String, by caller: String) async throws(HostError) -> ParameterSetRecord {
        let record = try parameters.rollback(to: version, comment: comment, by: caller, now: Date())
        log(.warning, "parameters rolled back to v\(version) as v\(record.version) by \(caller)")
        flushEvents()
        return record
    }

    public func shutdown() async {
        if isActive { _ = try? await stop(flatten: false) }
        flushEvents()
        bus.close()
    }

    // MARK: - Helpers

    private func chooseModel(_ names: [String]) throws(HostError) -> ModelDefinition {
        let known = models.map(\.name).joined(separator: ", ")
        for name in names where !models.contains(where: { $0.name == name }) {
            throw .invalidArgument("unknown model '\(name)'; models: \(known)")
        }
        let chosen = names.isEmpty ? models : models.filter { names.contains($0.name) }
        guard chosen.count == 1 else {
            throw .invalidArgument("this host runs one model per run; choose one of: \(known)")
        }
        return chosen[0]
    }

    /// Entries are blocked while paused, halted, or under a risk-off context.
    func applyGate() {
        guard let run else { return }
        let ctx = context.effective(at: Date())
        run.session.gate.entriesBlockedReason =
            haltReason.map { "halted: \($0)" } ?? pauseReason ?? (ctx.bias == .riskOff ? "risk-off context: \(ctx.note)" : nil)
    }

    @discardableResult
    private func requestFlattenAll(_ run: ReplayRun, reason: String) -> [String] {
        var closing: [String] = []
        for (i, p) in run.session.ledger.positions.enumerated() where !p.isFlat {
            run.session.gate.requestFlatten(symbol: i, reason: reason)
            closing.append(run.symbols[i])
        }
        return closing
    }

    func log(_ level: LogRecord.Level, _ text: @autoclosure () -> String, component: String = "engine") {
        if level == .debug && !bus.wantsDebugLogs { return }
        pendingEvents.append(.log(LogRecord(level: level, component: component, message: text())))
    }

    /// Publishes the batch's events, in the order they happened.
    func flushEvents() {
        guard !pendingEvents.isEmpty else { return }
        bus.publish(contentsOf: pendingEvents)
        pendingEvents.removeAll(keepingCapacity: true)
    }
}
