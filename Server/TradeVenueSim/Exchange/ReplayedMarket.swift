import TradeCore

/// The venue's market: real 1-minute candles replayed against a clock.
///
/// Market time runs from `start` at `speed` times the wall clock; the bars
/// that have closed by then are history (klines, the stream), the bar being
/// formed is not shown, and the last closed bar's close is the last traded
/// price. Wall time (what `/api/v3/time` says and what signatures are checked
/// against) is separate: the candles are from 2025, the clients' clocks are not.
public struct ReplayedMarket: Sendable {
    public struct Series: Sendable {
        public var rules: SymbolRules
        public var candles: [Candle]

        public init(rules: SymbolRules, candles: [Candle]) {
            self.rules = rules
            self.candles = candles
        }
    }

    public static let barMilliseconds: Int64 = 60_000
    public let series: [Series]
    /// Market time at wall time `wallStart`.
    public let start: Int64
    public let wallStart: Int64
    public let speed: Double

    public init(series: [Series], start: Int64, wallStart: Int64, speed: Double) {
        self.series = series
        self.start = start
        self.wallStart = wallStart
        self.speed = speed
    }

    public func index(of symbol: String) -> Int? { series.firstIndex { $0.rules.symbol == symbol } }

    /// Market time (Unix ms) at wall time `wall`.
    public func marketTime(atWall wall: Int64) -> Int64 {
        start + Int64((Double(max(0, wall - wallStart)) * speed).rounded(.down))
    }

    /// How many of a symbol's candles have closed by market time `t`.
    public func closedCount(_ symbol: Int, at t: Int64) -> Int {
        // The first candle whose close (open + 1 bar) is after t.
        series[symbol].candles.partitionIndex { $0.openTime + Self.barMilliseconds > t }
    }

    /// The last traded price: the close of the last closed candle (nil before the first).
    public func lastPrice(_ symbol: Int, closed: Int) -> Decimal8? {
        closed > 0 ? Decimal8(exactly: series[symbol].candles[closed - 1].close) : nil
    }
}
