import TradeCore

extension SweepResult {
    /// Backtests one point: the strategy with `parameters` over the settings'
    /// values, measured as the backtest report measures (`PerformanceMetrics`).
    public static func evaluate(index: Int, parameters: [String: Double], strategy: String, series: [MarketSeries],
                                configuration: EngineConfiguration, settings: RunSettings,
                                baseTimeframe: Timeframe) throws(EngineError) -> SweepResult {
        let result = try StrategyCatalog.run(name: strategy, series: series, configuration: configuration, settings: settings,
                                             baseTimeframe: baseTimeframe, parameters: parameters)
        return measure(result, index: index, parameters: parameters, configuration: configuration, baseTimeframe: baseTimeframe)
    }

    /// A finished backtest of one point, measured.
    public static func measure(_ result: BacktestResult, index: Int, parameters: [String: Double],
                               configuration: EngineConfiguration, baseTimeframe: Timeframe) -> SweepResult {
        let initial = configuration.initialCash.doubleValue
        let metrics = result.performance(initialEquity: initial, barMilliseconds: baseTimeframe.milliseconds)
        return SweepResult(index: index, parameters: parameters, metrics: metrics,
                           netPnL: result.finalEquity.doubleValue - initial, candles: result.candlesProcessed)
    }
}
