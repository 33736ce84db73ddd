import TradeCore

extension BacktestResult {
    /// The result of a run driven by something other than `BacktestRunner`
    /// (a journaled replay, a resumed run) over `series`.
    public init<S: Strategy, V: ExecutionVenue>(engine: TradingEngine<S, V>, series: [MarketSeries]) {
        let empty = Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0)
        precondition(engine.orders.startIndex == 0 && engine.fills.startIndex == 0 && engine.equityCurve.forgottenSteps == 0,
                     "a backtest result needs the run's whole history; this engine has let some of it go")
        self.init(instruments: engine.configuration.instruments, fills: Array(engine.fills), orders: Array(engine.orders),
                  equityCurve: engine.equityCurve, ledger: engine.ledger, finalMarks: engine.marks,
                  finalEquity: engine.equity, candlesProcessed: series.reduce(0) { $0 + $1.candles.count },
                  firstBars: series.map { $0.candles.first ?? empty }, lastBars: series.map { $0.candles.last ?? empty })
    }
}
