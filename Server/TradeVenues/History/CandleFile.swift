import TradeCore

/// A candle file read and checked: the candles plus what is known about them.
public struct CandleFile: Sendable {
    /// The path the file was read from.
    public let path: String
    /// The trading pair, e.g. `BTCUSDT` (from the file name unless given).
    public let symbol: String
    /// The bar interval (inferred from the open times unless given).
    public let interval: Timeframe
    /// The column layout the file turned out to have.
    public let format: CandleFileFormat
    /// Every row, in increasing time order, validated, open times in Unix ms.
    /// Nothing is filled in or dropped.
    public let candles: [Candle]
    /// Missing candles between the first and the last.
    public let gaps: GapReport
    /// Candles with volume 0 (exchange outages print flat bars). They are kept,
    /// since they really happened, and counted so a strategy can decide about them.
    public let zeroVolumeCount: Int
}
