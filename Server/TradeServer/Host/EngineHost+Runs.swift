import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore
import TradeVenues

/// Opening runs: a new one from a Start, or the database's latest after a
/// restart. A run's identity (strategy, symbols, data, window, mode, speed)
/// is stored with it, so a restart can load the same data and resume it.
extension EngineHost {
    /// Takes the database's latest run up where it was: a running replay
    /// continues from its next unprocessed candle, a paused or halted one stays
    /// so (its loop still runs, entries stay blocked), a finished or stopped one
    /// is shown as it ended. Returns a line for the server's log.
    @discardableResult
    public func resumeLatestRun() async throws(HostError) -> String? {
        guard run == nil else { return nil }
        guard let latest = try stored({ try store.runs.latest() }) else { return nil }
        let state = RunState(rawValue: latest.state) ?? .failed
        let identity: RunIdentity
        do { identity = try RunIdentity(json: latest.identity) } catch {
            throw .unavailable("run \(latest.id)'s identity in the database is unreadable: \(error)")
        }
        guard let model = models.first(where: { $0.name == identity.strategy }) else {
            throw .unavailable("run \(latest.id) ran '\(identity.strategy)', which this build does not have")
        }
        let options = try Self.startOptions(identity)
        let data = try loadData(options)
        let version = Int64(identity.settings["parameter_version"] ?? "") ?? 1
        guard let values = try stored({ try parameterStore.version(version) })?.parameters.values else {
            throw .unavailable("run \(latest.id) started with parameter version \(version), which the database lacks")
        }
        try open(model: model, options: options, data: data, version: version, values: values, opening: .resumeLatest)
        let run = self.run!
        if run.hosted.venueLink != nil && state.isActive { await reconcile(run, why: "restart") }
        message = state.isActive ? "" : latest.message
        let line = "run \(run.id) (\(model.name), \(run.symbols.joined(separator: ","))) \(state.isActive ? "resumed" : "loaded"): \(state.rawValue), candle \(run.hosted.candlesDone) of \(run.hosted.candlesTotal), parameters v\(run.hosted.parameterVersion)"
        log(.info, line)
        publishStatus()
        startLoop(run)
        return line
    }

    /// Opens the journaled run and makes it the host's run.
    func open(model: ModelDefinition, options: StartOptions, data: ReplayData, version: Int64, values: [String: Double],
              opening: RunOpening) throws(HostError) {
        var configuration = EngineConfiguration(instruments: data.instruments)
        settings.apply(to: &configuration)
        let gateway = try liveGateway(options)
        if gateway != nil { configuration.allowShorting = false }   // a spot account: nothing is shorted
        var identitySettings = Self.identitySettings(options)
        identitySettings["parameter_version"] = String(version)
        let identity = RunIdentity(strategy: model.name, symbols: data.instruments.map(\.symbol), settings: identitySettings)
        let hosted: any HostedRun
        do {
            hosted = try model.open(ModelDefinition.Opening(
                store: store, identity: identity, source: data.source, configuration: configuration, baseTimeframe: data.interval,
                settings: settings, values: values, version: version, opening: opening, now: clock.nowMs,
                snapshotEvery: snapshotEvery, gateway: gateway))
        } catch let error as RuntimeError {
            throw .failedPrecondition(error.description)
        } catch let error as EngineError {
            throw .invalidArgument("parameter version \(version) does not fit \(model.name): \(error.description)")
        } catch {
            throw .unavailable("the engine's database refused the run: \(error)")
        }
        run = ReplayRun(hosted: hosted, options: options, data: data, clock: clock)
    }

    /// A live run's order gateway to its venue's account, with this server's keys for it; nil for paper modes.
    func liveGateway(_ options: StartOptions) throws(HostError) -> OrderGateway? {
        guard options.mode == .live, case .venue(let selection) = options.source else { return nil }
        guard let credentials = venueCredentials[selection.venue] else {
            throw .failedPrecondition("run's venue \(selection.venue) needs an API key this server was not given (serve --\(selection.venue)-keys FILE, or \(Self.credentialsPrefix(selection.venue))_API_KEY and _API_SECRET)")
        }
        let (_, endpoint) = try ReplayData.venue(selection)
        let dialect: any OrderDialect = selection.venue == "bybit" ? BybitOrders() : BinanceOrders()
        let clock = self.clock
        return OrderGateway(dialect: dialect, baseURL: endpoint, credentials: credentials, settings: orderSettings, now: { clock.nowMs })
    }

    func loadData(_ options: StartOptions) throws(HostError) -> ReplayData {
        switch options.source {
        case .files(let paths):
            return try ReplayData.load(paths: paths, dataDirectories: dataDirectories, from: options.from, to: options.to)
        case .store(let symbols, let interval):
            return try ReplayData.load(store: store, symbols: symbols, interval: interval, from: options.from, to: options.to)
        case .venue(let selection):
            // `start` sets the backfill's minute and the identity keeps it, so a restart has it too.
            guard let from = options.from else { throw .unavailable("the paper run has no start minute recorded") }
            return try ReplayData.live(selection, from: from, timing: feedTiming)
        }
    }

    /// What a run's identity records of its options (all text, sorted when stored).
    static func identitySettings(_ o: StartOptions) -> [String: String] {
        var s = ["mode": o.mode.rawValue, "speed": o.speed.rawValue]
        switch o.source {
        case .files(let paths): s["files"] = paths.joined(separator: "\n")
        case .store(let symbols, let interval):
            s["store_symbols"] = symbols.joined(separator: ",")
            s["store_interval"] = interval
        case .venue(let v):
            s["venue"] = v.venue
            s["venue_symbols"] = v.symbols.joined(separator: ",")
            if let endpoint = v.endpoint { s["venue_endpoint"] = endpoint }
            if v.testnet { s["venue_testnet"] = "true" }
            if let rules = v.instruments { s["venue_rules"] = RecordedRules.text(rules) }
        }
        if let from = o.from { s["from"] = String(from) }
        if let to = o.to { s["to"] = String(to) }
        return s
    }

    static func startOptions(_ identity: RunIdentity) throws(HostError) -> StartOptions {
        let s = identity.settings
        guard let mode = s["mode"].flatMap(StartOptions.Mode.init(rawValue:)),
              let speed = s["speed"].flatMap(StartOptions.Speed.init(rawValue:)) else {
            throw .unavailable("the latest run in the database was not started by this server (no mode or speed); start a new one")
        }
        let source: StartOptions.Source
        if let files = s["files"] {
            source = .files(files.split(separator: "\n").map(String.init))
        } else if let venue = s["venue"] {
            guard let rules = s["venue_rules"].flatMap(RecordedRules.parse) else {
                throw .unavailable("the latest paper run in the database has no readable trading rules recorded; start a new one")
            }
            source = .venue(StartOptions.VenueSelection(venue: venue, symbols: (s["venue_symbols"] ?? "").split(separator: ",").map(String.init),
                                                        endpoint: s["venue_endpoint"], testnet: s["venue_testnet"] == "true", instruments: rules))
        } else if let symbols = s["store_symbols"] {
            source = .store(symbols: symbols.split(separator: ",").map(String.init), interval: s["store_interval"] ?? "")
        } else {
            throw .unavailable("the latest run in the database has no data source recorded")
        }
        return StartOptions(mode: mode, source: source, speed: speed, models: [identity.strategy],
                            from: s["from"].flatMap { Int64($0) }, to: s["to"].flatMap { Int64($0) })
    }
}
