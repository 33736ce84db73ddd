/// Slow stochastic oscillator (TA-Lib `STOCH` with SMA smoothing, default 14/3/3).
///
///     fast %K = 100 · (C − LL) / (HH − LL)     over the last `fastK` bars
///     slow %K = SMA(slowK) of fast %K
///     slow %D = SMA(slowD) of slow %K
///
/// As in TA-Lib 0.8.1, fast %K is evaluated as `100 · ((C − LL) / (HH − LL))`
/// and is 0 when the window is flat, i.e. when HH − LL is zero within 1e-14 of
/// |HH| + |LL| (`TA_IS_ZERO_SCALED`). The SMAs are TA-Lib's running sums, so
/// values near 0 agree to the ulp. Both outputs appear together after
/// `fastK + slowK + slowD − 2` bars; each update is O(1) amortised.
public struct Stochastic: Sendable, Codable {
    public let fastKPeriod: Int
    public let slowKPeriod: Int
    public let slowDPeriod: Int
    public private(set) var slowK: Double = .nan
    public private(set) var slowD: Double = .nan
    private var range: RollingHighLow
    private var kSmoothing: SMA
    private var dSmoothing: SMA

    public init(fastK: Int = 14, slowK: Int = 3, slowD: Int = 3) {
        precondition(fastK >= 1 && slowK >= 1 && slowD >= 1, "Stochastic periods must be ≥ 1")
        fastKPeriod = fastK
        slowKPeriod = slowK
        slowDPeriod = slowD
        range = RollingHighLow(period: fastK)
        kSmoothing = SMA(period: slowK)
        dSmoothing = SMA(period: slowD)
    }

    public var isReady: Bool { !slowD.isNaN }

    public mutating func update(_ candle: Candle) {
        range.update(high: candle.high, low: candle.low)
        guard range.isReady else { return }
        let highest = range.highest
        let lowest = range.lowest
        let width = highest - lowest
        let fastK = TALibZero.isZeroScaled(width, scale: abs(highest) + abs(lowest))
            ? 0 : 100 * ((candle.close - lowest) / width)
        kSmoothing.update(fastK)
        guard kSmoothing.isReady else { return }
        dSmoothing.update(kSmoothing.value)
        guard dSmoothing.isReady else { return }
        slowK = kSmoothing.value
        slowD = dSmoothing.value
    }

    public static func batch(_ candles: [Candle], fastK: Int = 14, slowK: Int = 3, slowD: Int = 3)
        -> (slowK: [Double], slowD: [Double]) {
        var indicator = Stochastic(fastK: fastK, slowK: slowK, slowD: slowD)
        var out = (slowK: [Double](), slowD: [Double]())
        out.slowK.reserveCapacity(candles.count)
        out.slowD.reserveCapacity(candles.count)
        for candle in candles {
            indicator.update(candle)
            out.slowK.append(indicator.slowK)
            out.slowD.append(indicator.slowD)
        }
        return out
    }
}
