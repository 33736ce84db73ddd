import TradeCore

/// Where a run's candles come from: recorded series (candle files or the store)
/// or a live venue feed. A journaled run asks for candle `index` of symbol `k`
/// — the position after the last one it took — and the source answers with the
/// candle or "not yet"; the run merges the symbols by open time, then symbol,
/// exactly as a backtest does. So replay, paper and (later) live are one loop
/// that differs only in where this protocol's answers come from.
///
/// Called from the engine's single writer only, but a live source is filled
/// from another task, so implementations are thread-safe where they need to be.
public protocol CandleSource: AnyObject {
    var instruments: [Instrument] { get }
    /// The candle at `index` of symbol `k`'s sequence (0 = the run's first), nil when it is not there (yet).
    func candle(symbol k: Int, index: Int) -> Candle?
    /// The bar number of index 0 for symbol `k` (its row in a data file; 0 for a feed).
    func firstBarIndex(symbol k: Int) -> Int
    /// Whether symbol `k`'s sequence ends before `index` (a file does; a feed never).
    func hasEnded(symbol k: Int, at index: Int) -> Bool
    /// Candles before `index` of symbol `k` are done with: a feed may forget them (bounded memory).
    func consumed(symbol k: Int, below index: Int)
    /// Open time of the run's first candle (a feed's backfill start), when known.
    var firstOpenTime: Int64? { get }
    /// How many candles the source holds in all, when that is known in advance.
    var totalCount: Int? { get }
    /// The most candles of one symbol, for sizing buffers (0 when unknown).
    var expectedSteps: Int { get }
    /// Whether a journaled candle must equal this source's candle at its place (recorded
    /// data: a difference means the files changed). A feed's journal *is* the record.
    var verifiesJournal: Bool { get }
    /// On resume, before any `candle` call: symbol `k` already delivered `index`
    /// candles, the last opening at `lastOpenTime` (nil: none yet).
    func resume(symbol k: Int, delivered index: Int, lastOpenTime: Int64?)
}

/// Recorded candles in memory: the series of candle files or of the store.
public final class SeriesCandleSource: CandleSource {
    public let series: [MarketSeries]

    public init(_ series: [MarketSeries]) { self.series = series }

    public var instruments: [Instrument] { series.map(\.instrument) }
    public func candle(symbol k: Int, index: Int) -> Candle? {
        index < series[k].candles.count ? series[k].candles[index] : nil
    }
    public func firstBarIndex(symbol k: Int) -> Int { series[k].firstBarIndex }
    public func hasEnded(symbol k: Int, at index: Int) -> Bool { index >= series[k].candles.count }
    public var firstOpenTime: Int64? { series.compactMap { $0.candles.first?.openTime }.min() }
    public func consumed(symbol k: Int, below index: Int) {}
    public var totalCount: Int? { series.reduce(0) { $0 + $1.candles.count } }
    public var expectedSteps: Int { series.map(\.candles.count).max() ?? 0 }
    public var verifiesJournal: Bool { true }
    public func resume(symbol k: Int, delivered index: Int, lastOpenTime: Int64?) {}
}
