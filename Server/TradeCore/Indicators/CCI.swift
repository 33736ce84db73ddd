/// Commodity channel index (TA-Lib `CCI`, default 20):
///
///     CCI = (TP − mean(TP)) / (0.015 · meanDeviation(TP)),   TP = (H+L+C)/3
///
/// The mean deviation Σ|TPᵢ − mean|/n needs the current mean against every
/// value in the window, so an update is O(period) — in TA-Lib too, whose
/// summation order over its circular buffer (physical slots, not age) we
/// follow so the value is bit for bit TA-Lib's. Ready after `period` bars.
///
/// One deliberate difference: CCI is 0 when TP − mean or the mean deviation is
/// zero within 1e-14 *of the prices' magnitude* (`TA_IS_ZERO_SCALED`). TA-Lib
/// uses an absolute ±1e-14 band (`TA_IS_ZERO`) there, which misses the rounding
/// residue of a price-sized mean: on a flat window of BTC prices the mean of
/// 20 equal values is often an ulp off, and TA-Lib divides that residue by
/// itself into a spurious ±66.7. On any window with real movement both
/// quantities are many orders above either band, so values are unchanged.
public struct CCI: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var typicalPrices: RingBuffer
    private let n: Double

    public init(period: Int = 20) {
        precondition(period >= 2, "CCI period must be ≥ 2")
        self.period = period
        typicalPrices = RingBuffer(capacity: period)
        n = Double(period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        let typical = candle.typicalPrice
        typicalPrices.push(typical)
        guard typicalPrices.isFull else { return }
        var mean = 0.0
        for slot in 0..<period { mean += typicalPrices.slot(slot) }
        mean /= n
        var deviation = 0.0
        for slot in 0..<period { deviation += abs(typicalPrices.slot(slot) - mean) }
        let distance = typical - mean
        let flat = TALibZero.isZeroScaled(distance, scale: abs(typical) + abs(mean))
            || TALibZero.isZeroScaled(deviation, scale: n * abs(mean))
        value = flat ? 0 : distance / (0.015 * (deviation / n))
    }

    public static func batch(_ candles: [Candle], period: Int = 20) -> [Double] {
        var cci = CCI(period: period)
        return candles.map { cci.update($0); return cci.value }
    }
}
