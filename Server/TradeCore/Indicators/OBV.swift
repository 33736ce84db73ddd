/// On-balance volume (TA-Lib `OBV`): starts at the first bar's volume, then
/// adds the volume of a bar that closes higher than the previous close and
/// subtracts it when lower; an unchanged close leaves it. Ready at once.
public struct OBV: Sendable, Codable {
    public private(set) var value: Double = .nan
    private var previousClose: Double = .nan

    public init() {}

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        defer { previousClose = candle.close }
        guard !previousClose.isNaN else {
            value = candle.volume
            return
        }
        if candle.close > previousClose {
            value += candle.volume
        } else if candle.close < previousClose {
            value -= candle.volume
        }
    }

    public static func batch(_ candles: [Candle]) -> [Double] {
        var obv = OBV()
        return candles.map { obv.update($0); return obv.value }
    }
}
