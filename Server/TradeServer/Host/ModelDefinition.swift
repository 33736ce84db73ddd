import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore
import TradeVenues

/// A strategy the host can run: its name, timeframes, parameters (names and
/// bounds) and how to open a journaled run of it with a parameter version's
/// values. The host is given a list of these, so which strategies exist stays
/// open; `emaCrossRsi` and `models` are the two the engine has today.
struct ModelDefinition: Sendable {
    /// Everything needed to open (start or resume) a run.
    struct Opening {
        var store: TradeStore
        var identity: RunIdentity
        var source: CandleSource
        var configuration: EngineConfiguration
        var baseTimeframe: Timeframe
        var settings: RunSettings
        /// The full parameter set of `version` (every strategy's names).
        var values: [String: Double]
        var version: Int64
        var opening: RunOpening
        var now: Int64
        var snapshotEvery: Int
        /// A live run's way to the venue's account; nil for the paper broker.
        var gateway: OrderGateway?
    }

    /// A model inside a strategy made of several (listed in status even before a run starts).
    struct Submodel: Sendable {
        var name: String
        var timeframes: [Timeframe]
    }

    var name: String
    var timeframes: [Timeframe]
    /// The models inside it; empty when the strategy is one model.
    var submodels: [Submodel] = []
    /// The strategy a run gets when the operator names none.
    var isDefault = false
    var parameterBounds: [String: ParameterBounds]
    /// The values version 1 starts from: the --config file's where it sets them, the defaults otherwise.
    var initialValues: @Sendable (RunSettings) -> [String: Double]
    var open: @Sendable (Opening) throws -> any HostedRun
}

extension ModelDefinition {
    /// The reference strategy (`../shared/reference/STRATEGY.md`).
    static let emaCrossRsi = ModelDefinition(
        name: "ema_cross_rsi", timeframes: [.m1], parameterBounds: EmaCrossRsi.parameterBounds,
        initialValues: { _ in EmaCrossRsi.defaultParameterValues },
        open: { o in try o.open(EmaCrossRsi(symbolCount: o.source.instruments.count, timeframe: o.baseTimeframe)) })

    /// The three models, the resolver and the risk engine as one strategy.
    static let models = ModelDefinition(
        name: "models", timeframes: ModelsStrategy(instruments: [.spot("BTCUSDT")], initialEquity: 1).timeframes,
        submodels: ModelID.allCases.map { Submodel(name: $0.name, timeframes: $0.timeframes) }, isDefault: true,
        parameterBounds: ModelsStrategy.parameterBounds,
        initialValues: { settings in
            var configuration = EngineConfiguration(instruments: [.spot("BTCUSDT")])
            settings.apply(to: &configuration)
            return StrategyCatalog.modelsStrategy(configuration: configuration, settings: settings, baseTimeframe: .m1).parameterValues
        },
        open: { o in
            try o.open(StrategyCatalog.modelsStrategy(configuration: o.configuration, settings: o.settings, baseTimeframe: o.baseTimeframe))
        })
}

extension ModelDefinition.Opening {
    /// Opens the journaled run of `strategy` (built with its defaults), switched first to this
    /// opening's parameter version.
    func open<S: TunableStrategy & Codable>(_ strategy: S) throws -> any HostedRun {
        var strategy = strategy
        try strategy.adopt(parameterValues: ParameterAdoption<S>.own(values, strategy: strategy.name))
        if let gateway {
            // Live: the kernel's orders wait in a RemoteVenue until the link sends them, after their commit.
            let run = try JournaledRun(
                store: store, identity: identity, source: source, configuration: configuration, baseTimeframe: baseTimeframe,
                strategy: strategy, venue: { _ in RemoteVenue() }, parameterVersion: version, adoption: .tunable,
                snapshotEvery: snapshotEvery, opening: opening, now: now)
            return HostedReplay(run, link: LiveOrderLink(run: run, gateway: gateway))
        }
        return HostedReplay(try JournaledReplay(
            store: store, identity: identity, source: source, configuration: configuration, baseTimeframe: baseTimeframe,
            strategy: strategy, parameterVersion: version, adoption: .tunable, snapshotEvery: snapshotEvery,
            opening: opening, now: now))
    }
}

extension ParameterBounds {
    /// The store's guardrail for this parameter.
    var spec: ParameterSpec {
        ParameterSpec(minimum: minimum, maximum: maximum, minimumStep: minimumStep, isInteger: isInteger)
    }
}
