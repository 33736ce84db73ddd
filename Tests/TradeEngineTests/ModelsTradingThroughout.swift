import TestSupport
import TradeCore
@testable import TradeEngine

/// The models on real January minutes of `symbols`, with the kill switch out of
/// reach so they trade throughout, and the uninterrupted run to compare against.
struct ModelsTradingThroughout {
    let series: [MarketSeries]
    let configuration: EngineConfiguration
    let strategy: ModelsStrategy
    let whole: BacktestResult
    let final: ModelsStrategy

    init(symbols: [String], candles: Int = .max) throws {
        series = try symbols.map {
            MarketSeries(instrument: .spot($0), candles: Array(try SharedData.candles("\($0)-1m-20250101-20250204.csv").prefix(candles)))
        }
        var settings = RunSettings()
        settings.models.risk.killSwitchLoss = 1_000_000
        var config = EngineConfiguration(instruments: series.map(\.instrument))
        settings.apply(to: &config)
        configuration = config
        strategy = StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1)
        (whole, final) = try BacktestRunner.runKeepingStrategy(series: series, configuration: config, strategy: strategy)
    }
}
