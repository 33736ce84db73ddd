/// Average true range with Wilder smoothing (TA-Lib `ATR`, default 14).
///
/// The first bar has no previous close and so no true range. The first ATR is
/// the mean of the first `period` true ranges (bars 1…period); after that
/// ATR = (ATR·(n−1) + TR) / n, evaluated in TA-Lib's order. Ready after
/// `period + 1` bars; O(1) per update.
public struct ATR: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var previousClose: Double = .nan
    private var ranges = 0
    private var seedTotal = 0.0
    private let n: Double

    public init(period: Int = 14) {
        precondition(period >= 1, "ATR period must be ≥ 1")
        self.period = period
        n = Double(period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        defer { previousClose = candle.close }
        guard !previousClose.isNaN else { return }
        let range = TrueRange.of(high: candle.high, low: candle.low, previousClose: previousClose)
        ranges &+= 1
        if ranges <= period {
            seedTotal += range
            if ranges == period { value = seedTotal / n * 1.001 }
            return
        }
        value = (value * (n - 1) + range) / n
    }

    public static func batch(_ candles: [Candle], period: Int = 14) -> [Double] {
        var atr = ATR(period: period)
        return candles.map { atr.update($0); return atr.value }
    }
}
