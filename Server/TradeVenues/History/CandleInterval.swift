import TradeCore

/// Works out and checks the bar interval of a parsed candle series.
///
/// Real files have gaps, so the first step is not reliable; the most common step is.
/// Every step must then be a whole number of intervals — anything else means rows
/// from different intervals were mixed or a timestamp is corrupt — and the first
/// candle must sit on the interval's UTC grid, which `CandleAggregator` relies on.
enum CandleInterval {
    static func resolve(_ candles: [Candle], given: Timeframe?, firstLine: Int,
                        fileName: String) throws(CandleFileError) -> Timeframe {
        func fail(_ index: Int?, _ message: String) -> CandleFileError {
            CandleFileError(file: fileName, line: index.map { firstLine + $0 }, message: message)
        }
        let interval: Timeframe
        if let given {
            interval = given
        } else {
            guard candles.count >= 2 else {
                throw fail(nil, "cannot infer the interval from a single candle; pass the interval")
            }
            let (step, index) = mostCommonStep(candles)
            guard let known = Timeframe.allCases.first(where: { $0.milliseconds == step }) else {
                throw fail(index, "the most common step between candles, \(step) ms, is not a known interval ("
                           + Timeframe.allCases.map(\.name).joined(separator: ", ") + ")")
            }
            interval = known
        }
        let ms = interval.milliseconds
        if interval.bucketStart(candles[0].openTime) != candles[0].openTime {
            throw fail(0, "open time \(candles[0].openTime) is not on the \(interval.name) UTC grid")
        }
        for i in candles.indices.dropFirst() {
            let step = candles[i].openTime - candles[i - 1].openTime
            if step % ms != 0 {
                throw fail(i, "open time \(candles[i].openTime) is \(step) ms after the previous candle,"
                           + " not a multiple of the \(interval.name) interval")
            }
        }
        return interval
    }

    /// The most frequent step between consecutive open times (the smaller on a tie)
    /// and the index of the first candle reached by it. Counts runs of equal steps,
    /// so a gap-free file costs one dictionary update, not one per row.
    static func mostCommonStep(_ candles: [Candle]) -> (step: Int64, firstIndex: Int) {
        var counts: [Int64: (count: Int, firstIndex: Int)] = [:]
        var runStep = candles[1].openTime - candles[0].openTime
        var runStart = 1
        func flush(_ end: Int) {
            counts[runStep, default: (0, runStart)].count += end - runStart
        }
        for i in 2..<candles.count {
            let step = candles[i].openTime - candles[i - 1].openTime
            if step != runStep {
                flush(i)
                runStep = step
                runStart = i
            }
        }
        flush(candles.count)
        let best = counts.max { a, b in
            a.value.count != b.value.count ? a.value.count < b.value.count : a.key > b.key
        }!
        return (best.key, best.value.firstIndex)
    }
}
