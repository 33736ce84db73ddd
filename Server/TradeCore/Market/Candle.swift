/// One OHLCV bar. `openTime` is the bar's open time in Unix milliseconds (UTC),
/// the convention of every file in `../shared/data` and of Binance.
///
/// Prices and volume are `Double` on purpose: indicators and statistics run on
/// them in the hot loop. Money never does — the ledger converts a price to the
/// exact `Price` type (rounded to the instrument's tick) at the moment of a fill.
public struct Candle: Sendable, Codable, Equatable, Hashable {
    public var openTime: Int64
    public var open: Double
    public var high: Double
    public var low: Double
    public var close: Double
    public var volume: Double

    @inlinable
    public init(openTime: Int64, open: Double, high: Double, low: Double, close: Double, volume: Double) {
        self.openTime = openTime
        self.open = open
        self.high = high
        self.low = low
        self.close = close
        self.volume = volume
    }

    /// Typical price (H+L+C)/3, used by CCI, MFI and VWAP.
    @inlinable public var typicalPrice: Double { (high + low + close) / 3 }
}
