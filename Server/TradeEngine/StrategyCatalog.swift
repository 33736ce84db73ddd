import TradeCore

/// The strategies `--strategy NAME` can name, and how each is built.
public enum StrategyCatalog {
    public static let names = ["ema_cross_rsi"]

    public static func run(name: String, series: [MarketSeries], configuration: EngineConfiguration,
                           settings: RunSettings, baseTimeframe: Timeframe,
                           progress: ((Int, Int) -> Void)? = nil) throws(EngineError) -> BacktestResult {
        switch name {
        case "ema_cross_rsi":
            let strategy = EmaCrossRsi(symbolCount: series.count, timeframe: baseTimeframe, parameters: settings.emaCrossRsi)
            return try BacktestRunner.run(series: series, configuration: configuration, strategy: strategy,
                                          baseTimeframe: baseTimeframe, progress: progress)
        default:
            throw EngineError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }
}
