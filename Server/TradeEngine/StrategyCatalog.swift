import TradeCore

/// The strategies `--strategy NAME` can name, and how each is built.
public enum StrategyCatalog {
    public static let names = ["ema_cross_rsi", "models"]

    public static func run(name: String, series: [MarketSeries], configuration: EngineConfiguration,
                           settings: RunSettings, baseTimeframe: Timeframe,
                           progress: ((Int, Int) -> Void)? = nil) throws(EngineError) -> BacktestResult {
        switch name {
        case "ema_cross_rsi":
            let strategy = EmaCrossRsi(symbolCount: series.count, timeframe: baseTimeframe, parameters: settings.emaCrossRsi)
            return try BacktestRunner.run(series: series, configuration: configuration, strategy: strategy,
                                          baseTimeframe: baseTimeframe, progress: progress)
        case "models":
            let strategy = modelsStrategy(configuration: configuration, settings: settings, baseTimeframe: baseTimeframe)
            var (result, final) = try BacktestRunner.runKeepingStrategy(
                series: series, configuration: configuration, strategy: strategy,
                baseTimeframe: baseTimeframe, progress: progress)
            result.models = final
            return result
        default:
            throw EngineError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    /// Every tunable parameter of the strategy called `name`, with its bounds.
    public static func parameterBounds(name: String) throws(EngineError) -> [String: ParameterBounds] {
        switch name {
        case "ema_cross_rsi": return EmaCrossRsi.parameterBounds
        case "models": return ModelsStrategy.parameterBounds
        default: throw EngineError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    /// A backtest with some parameters set (flat names, as `tradectl params` prints them) over the
    /// settings' values: the strategy is built from `settings`, then adopts the merged set.
    public static func run(name: String, series: [MarketSeries], configuration: EngineConfiguration,
                           settings: RunSettings, baseTimeframe: Timeframe,
                           parameters overrides: [String: Double]) throws(EngineError) -> BacktestResult {
        switch name {
        case "ema_cross_rsi":
            var strategy = EmaCrossRsi(symbolCount: series.count, timeframe: baseTimeframe, parameters: settings.emaCrossRsi)
            try strategy.adopt(parameterValues: strategy.parameterValues.merging(overrides) { _, new in new })
            return try BacktestRunner.run(series: series, configuration: configuration, strategy: strategy, baseTimeframe: baseTimeframe)
        case "models":
            var strategy = modelsStrategy(configuration: configuration, settings: settings, baseTimeframe: baseTimeframe)
            try strategy.adopt(parameterValues: strategy.parameterValues.merging(overrides) { _, new in new })
            var (result, final) = try BacktestRunner.runKeepingStrategy(series: series, configuration: configuration,
                                                                        strategy: strategy, baseTimeframe: baseTimeframe)
            result.models = final
            return result
        default:
            throw EngineError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }

    /// The three-model strategy for a run: the settings' parameters, shorting as
    /// the engine allows it, and — unless the config sets it — the round-trip
    /// cost the risk engine counts taken from the broker's taker fee and fixed
    /// slippage, both ways.
    public static func modelsStrategy(configuration: EngineConfiguration, settings: RunSettings,
                                      baseTimeframe: Timeframe) -> ModelsStrategy {
        var p = settings.models
        p.allowShort = configuration.allowShorting
        if !settings.modelsRoundTripCostSet {
            let b = configuration.broker
            p.risk.roundTripCost = 2 * (Double(b.takerFeeE8) / Double(fixedPointScale) + b.slippageBps / 10_000)
        }
        return ModelsStrategy(instruments: configuration.instruments, parameters: p,
                              initialEquity: configuration.initialCash.doubleValue, baseTimeframe: baseTimeframe)
    }
}
