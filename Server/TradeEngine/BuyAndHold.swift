import TradeCore

/// The benchmark beside every backtest: the starting cash split equally across
/// the run's symbols, bought at each symbol's first open, held to the end, no
/// fees. Its equity is marked at the same steps as the strategy's.
public enum BuyAndHold {
    public static func equityCurve(series: [MarketSeries], initialCash: Double) -> (times: [Int64], equity: [Double]) {
        let n = series.count
        guard n > 0 else { return ([], []) }
        let perSymbol = initialCash / Double(n)
        var units = [Double](repeating: 0, count: n)
        var lastClose = [Double](repeating: 0, count: n)
        var idle = [Double](repeating: perSymbol, count: n)  // cash of symbols whose data has not started
        var cursor = [Int](repeating: 0, count: n)
        var times: [Int64] = []
        var equity: [Double] = []
        times.reserveCapacity(series.map(\.candles.count).max() ?? 0)
        equity.reserveCapacity(times.capacity)
        while true {
            var t = Int64.max
            for k in 0..<n where cursor[k] < series[k].candles.count {
                t = min(t, series[k].candles[cursor[k]].openTime)
            }
            if t == .max { break }
            for k in 0..<n where cursor[k] < series[k].candles.count && series[k].candles[cursor[k]].openTime == t {
                let c = series[k].candles[cursor[k]]
                if cursor[k] == 0 && c.open > 0 {
                    units[k] = perSymbol / c.open
                    idle[k] = 0
                }
                lastClose[k] = c.close
                cursor[k] += 1
            }
            var value = 0.0
            for k in 0..<n { value += units[k] * lastClose[k] + idle[k] }
            times.append(t)
            equity.append(value)
        }
        return (times, equity)
    }
}
