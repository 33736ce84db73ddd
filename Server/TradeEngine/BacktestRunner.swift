import TradeCore

/// One symbol's candles for a run. `firstBarIndex` is the data-file row of
/// `candles[0]`, so reported bar indices always refer to the file.
public struct MarketSeries: Sendable {
    public var instrument: Instrument
    public var candles: [Candle]
    public var firstBarIndex: Int

    public init(instrument: Instrument, candles: [Candle], firstBarIndex: Int = 0) {
        self.instrument = instrument
        self.candles = candles
        self.firstBarIndex = firstBarIndex
    }
}

/// What a finished run leaves behind.
public struct BacktestResult: Sendable {
    public var instruments: [Instrument]
    public var fills: [Fill]
    public var orders: [Order]
    public var equityCurve: EquityCurve
    public var ledger: Ledger
    public var finalMarks: [Price]
    public var finalEquity: Money
    public var candlesProcessed: Int
    /// First and last bar per symbol (buy-and-hold is measured over the same span).
    public var firstBars: [Candle]
    public var lastBars: [Candle]
    /// The three-model strategy in its final state (signal log, trades, breakers), for `--strategy models`.
    public var models: ModelsStrategy?
}

/// Drives the engine over recorded candles as fast as it can: the backtest
/// driver. Several symbols are merged by open time (ties in symbol order), so
/// the engine sees exactly the stream a live feed would have produced.
public enum BacktestRunner {
    public static func run<S: Strategy>(
        series: [MarketSeries],
        configuration: EngineConfiguration,
        strategy: S,
        baseTimeframe: Timeframe = .m1,
        stepObserver: ((TradingEngine<S, PaperBroker>) -> Void)? = nil,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(EngineError) -> BacktestResult {
        try runKeepingStrategy(series: series, configuration: configuration, strategy: strategy,
                               baseTimeframe: baseTimeframe, stepObserver: stepObserver, progress: progress).result
    }

    /// `run`, also handing back the strategy in its final state (its own records:
    /// signal logs, per-model books) for reports.
    public static func runKeepingStrategy<S: Strategy>(
        series: [MarketSeries],
        configuration: EngineConfiguration,
        strategy: S,
        baseTimeframe: Timeframe = .m1,
        stepObserver: ((TradingEngine<S, PaperBroker>) -> Void)? = nil,
        progress: ((_ done: Int, _ total: Int) -> Void)? = nil
    ) throws(EngineError) -> (result: BacktestResult, strategy: S) {
        precondition(series.count == configuration.instruments.count, "one series per instrument")
        let total = series.reduce(0) { $0 + $1.candles.count }
        var engine = TradingEngine(configuration: configuration, strategy: strategy, baseTimeframe: baseTimeframe,
                                   expectedSteps: series.map(\.candles.count).max() ?? 0)
        engine.stepObserver = stepObserver
        let progressEvery = max(total / 200, 50_000)
        var done = 0

        if series.count == 1 {
            let s = series[0]
            var untilProgress = progressEvery
            for (i, candle) in s.candles.enumerated() {
                try engine.handleCandle(symbol: 0, candle: candle, barIndex: s.firstBarIndex + i)
                untilProgress -= 1
                if untilProgress == 0, let progress { progress(i + 1, total); untilProgress = progressEvery }
            }
            done = s.candles.count
        } else {
            var cursor = Array(repeating: 0, count: series.count)
            var untilProgress = progressEvery
            while true {
                var next = -1
                var nextTime = Int64.max
                for k in 0..<series.count where cursor[k] < series[k].candles.count {
                    let t = series[k].candles[cursor[k]].openTime
                    if t < nextTime { nextTime = t; next = k }
                }
                if next < 0 { break }
                let i = cursor[next]
                try engine.handleCandle(symbol: next, candle: series[next].candles[i],
                                        barIndex: series[next].firstBarIndex + i)
                cursor[next] = i + 1
                done += 1
                untilProgress -= 1
                if untilProgress == 0, let progress { progress(done, total); untilProgress = progressEvery }
            }
        }
        engine.finish()
        progress?(total, total)
        let result = BacktestResult(
            instruments: configuration.instruments,
            fills: Array(engine.fills), orders: Array(engine.orders), equityCurve: engine.equityCurve,
            ledger: engine.ledger, finalMarks: engine.marks, finalEquity: engine.equity,
            candlesProcessed: done,
            firstBars: series.map { $0.candles.first ?? Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0) },
            lastBars: series.map { $0.candles.last ?? Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0) })
        return (result, engine.strategy)
    }
}
