/// Williams %R over the last `period` bars (TA-Lib `WILLR`, default 14):
///
///     %R = −100 · (HH − C) / (HH − LL),   from −100 (close at the low) to 0 (at the high)
///
/// evaluated as TA-Lib does, `(HH − C) / ((HH − LL) / −100)`, which gives −0.0
/// when the close is the high. Edge case: a flat window (HH == LL) has no
/// range; like TA-Lib we return 0 (never NaN or ±inf). Ready after `period`
/// bars; O(1) amortised per update.
public struct WilliamsR: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var range: RollingHighLow

    public init(period: Int = 14) {
        precondition(period >= 1, "WilliamsR period must be ≥ 1")
        self.period = period
        range = RollingHighLow(period: period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        range.update(high: candle.high, low: candle.low)
        guard range.isReady else { return }
        let scaledRange = (range.highest - range.lowest) / -100.0
        value = scaledRange != 0 ? (range.highest - candle.close) / scaledRange : 0
    }

    public static func batch(_ candles: [Candle], period: Int = 14) -> [Double] {
        var willr = WilliamsR(period: period)
        return candles.map { willr.update($0); return willr.value }
    }
}
