/// Volume-weighted average price anchored at 00:00 UTC:
/// Σ TP·volume / Σ volume over the bars of the current UTC day so far,
/// TP = (H+L+C)/3. The sums restart with the first bar whose open time falls on
/// a new UTC day (bars are assigned by open time).
///
/// Zero volume: a bar without volume adds nothing, so the value stays what it
/// was. A day that has traded no volume yet has no VWAP: the value is NaN
/// (`isReady` false) from the day's first bar until its first bar with volume —
/// it does not carry yesterday's VWAP, which belongs to another anchor.
/// Negative or NaN volume is treated as none. O(1) per update.
public struct VWAP: Sendable, Codable {
    public private(set) var value: Double = .nan
    /// Open time (Unix ms) of the UTC day the sums belong to.
    public private(set) var dayStart: Int64 = .min
    private var priceVolume = 0.0
    private var volume = 0.0

    public init() {}

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        let day = Timeframe.d1.bucketStart(candle.openTime)
        if day != dayStart {
            dayStart = day
            priceVolume = 0
            volume = 0
            value = .nan
        }
        guard candle.volume > 0 else { return }
        priceVolume += candle.typicalPrice * candle.volume
        volume += candle.volume
        value = priceVolume / volume
    }

    public static func batch(_ candles: [Candle]) -> [Double] {
        var vwap = VWAP()
        return candles.map { vwap.update($0); return vwap.value }
    }
}
