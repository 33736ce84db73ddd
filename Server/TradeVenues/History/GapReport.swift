import TradeCore

/// A run of missing candles: exchange maintenance, an outage, a lost download.
public struct Gap: Sendable, Equatable, Hashable {
    /// Open time (Unix ms, UTC) of the first missing candle.
    public let start: Int64
    /// How many consecutive candles are missing.
    public let missingCandles: Int

    public init(start: Int64, missingCandles: Int) {
        self.start = start
        self.missingCandles = missingCandles
    }
}

/// The gaps of a candle series. Gaps are reported, never filled: an invented
/// candle is a price that never traded, and a backtest fed one would trade on it.
public struct GapReport: Sendable, Equatable {
    /// Every gap, in time order.
    public let gaps: [Gap]
    /// Total candles missing over all gaps.
    public let missingCandles: Int
    /// The longest gap (the earliest one if several are equally long); nil if none.
    public let largestGap: Gap?

    public var count: Int { gaps.count }

    public init(gaps: [Gap]) {
        self.gaps = gaps
        missingCandles = gaps.reduce(0) { $0 + $1.missingCandles }
        largestGap = gaps.reduce(nil) { best, gap in
            guard let best, best.missingCandles >= gap.missingCandles else { return gap }
            return best
        }
    }

    /// Gaps between consecutive candles whose open times are `interval` apart when
    /// nothing is missing. The caller guarantees every step is a positive multiple
    /// of the interval (`CandleFileReader` checks it; the store refuses other rows).
    public init(candles: [Candle], interval: Timeframe) {
        let step = interval.milliseconds
        var gaps: [Gap] = []
        for i in candles.indices.dropFirst() {
            let missing = Int((candles[i].openTime - candles[i - 1].openTime) / step) - 1
            if missing > 0 { gaps.append(Gap(start: candles[i - 1].openTime + step, missingCandles: missing)) }
        }
        self.init(gaps: gaps)
    }
}
