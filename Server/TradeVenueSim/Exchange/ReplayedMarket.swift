import TradeCore

/// The venue's market: real 1-minute candles replayed against a clock.
///
/// Market time runs from `start` either at `speed` times the wall clock, or —
/// at `--speed max` — as fast as the stream clients read: the market moves one
/// bar on only when every client subscribed to a kline stream has been sent
/// every kline that has closed (`KlineStreamHub` calls `step()`), so the
/// slowest reader paces it and nobody misses a bar. The bars that have closed
/// by then are history (klines, the stream), the bar being formed is not
/// shown, and the last closed bar's close is the last traded price. Wall time
/// (what `/api/v3/time` says and what signatures are checked against) is
/// separate: the candles are from 2025, the clients' clocks are not.
public struct ReplayedMarket: Sendable {
    public struct Series: Sendable {
        public var rules: SymbolRules
        public var candles: [Candle]

        public init(rules: SymbolRules, candles: [Candle]) {
            self.rules = rules
            self.candles = candles
        }
    }

    /// How market time moves.
    public enum Pace: Sendable, Equatable {
        /// `speed` market milliseconds per wall millisecond.
        case wall(speed: Double)
        /// One bar per `step()`, taken when the stream clients have read the last.
        case readers
    }

    public static let barMilliseconds: Int64 = 60_000
    public let series: [Series]
    /// Market time at wall time `wallStart`.
    public let start: Int64
    public let wallStart: Int64
    public let pace: Pace
    /// Market time under `.readers` pace (moved by `step()`).
    public private(set) var steppedTime: Int64
    /// The close of the last candle of any series: a stepped market stops there.
    public let end: Int64

    public init(series: [Series], start: Int64, wallStart: Int64, pace: Pace) {
        self.series = series
        self.start = start
        self.wallStart = wallStart
        self.pace = pace
        steppedTime = start
        end = series.compactMap { $0.candles.last.map { $0.openTime + Self.barMilliseconds } }.max() ?? start
    }

    public init(series: [Series], start: Int64, wallStart: Int64, speed: Double) {
        self.init(series: series, start: start, wallStart: wallStart, pace: .wall(speed: speed))
    }

    public func index(of symbol: String) -> Int? { series.firstIndex { $0.rules.symbol == symbol } }

    /// Market time (Unix ms) at wall time `wall`.
    public func marketTime(atWall wall: Int64) -> Int64 {
        switch pace {
        case .wall(let speed): start + Int64((Double(max(0, wall - wallStart)) * speed).rounded(.down))
        case .readers: steppedTime
        }
    }

    /// The wall time market time `t` falls on; nil when the market is not paced by the wall.
    public func wallTime(atMarket t: Int64) -> Int64? {
        guard case .wall(let speed) = pace else { return nil }
        return wallStart + Int64((Double(t - start) / speed).rounded(.up))
    }

    /// Moves a reader-paced market one bar on; false at the end of the data (or when paced by the wall).
    public mutating func step() -> Bool {
        guard pace == .readers, steppedTime < end else { return false }
        steppedTime += Self.barMilliseconds
        return true
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
