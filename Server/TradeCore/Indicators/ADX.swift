/// Wilder's directional movement: +DI, −DI and ADX (TA-Lib `PLUS_DI`,
/// `MINUS_DI`, `ADX`, default 14), in one pass since they share every sum.
///
/// Per bar: up = H − H₋₁, down = L₋₁ − L; +DM = up when up > down and up > 0,
/// −DM = down when down > up and down > 0, else 0; TR = true range. TA-Lib's
/// seeding: +DM, −DM and TR are summed over bars 1…n−1, then Wilder-smoothed
/// from bar n on as S = S − S/n + x. Then
///
///     ±DI = 100 · (±DM / TR)          (0 when TR is zero within 1e-14)
///     DX  = 100 · |−DI − +DI| / (−DI + +DI)
///     ADX = mean of the first n DX, then (ADX·(n−1) + DX) / n
///
/// A bar whose TR or DI sum is zero within 1e-14 has no DX and leaves ADX as
/// it was, as in TA-Lib. ±DI are ready after n+1 bars, ADX after 2n; O(1) per
/// update.
public struct ADX: Sendable, Codable {
    public let period: Int
    public private(set) var adx: Double = .nan
    public private(set) var plusDI: Double = .nan
    public private(set) var minusDI: Double = .nan
    private var previous: Candle?
    private var bars = 0
    private var plusDM = 0.0
    private var minusDM = 0.0
    private var trueRange = 0.0
    private var dxTotal = 0.0
    private let n: Double

    public init(period: Int = 14) {
        precondition(period >= 2, "ADX period must be ≥ 2")
        self.period = period
        n = Double(period)
    }

    /// True once ADX itself has a value (±DI are ready `period − 1` bars earlier).
    public var isReady: Bool { !adx.isNaN }

    public mutating func update(_ candle: Candle) {
        defer { previous = candle }
        guard let previous else { return }
        let up = candle.high - previous.high
        let down = previous.low - candle.low
        var plus = 0.0
        var minus = 0.0
        if down > 0 && up < down {
            minus = down
        } else if up > 0 && up > down {
            plus = up
        }
        let range = TrueRange.of(high: candle.high, low: candle.low, previousClose: previous.close)
        bars &+= 1
        guard bars >= period else {
            plusDM += plus
            minusDM += minus
            trueRange += range
            return
        }
        plusDM = plusDM - plusDM / n + plus
        minusDM = minusDM - minusDM / n + minus
        trueRange = trueRange - trueRange / n + range

        var dx = Double.nan
        if TALibZero.isZero(trueRange) {
            plusDI = 0
            minusDI = 0
        } else {
            plusDI = 100 * (plusDM / trueRange)
            minusDI = 100 * (minusDM / trueRange)
            let sum = minusDI + plusDI
            if !TALibZero.isZero(sum) { dx = 100 * (abs(minusDI - plusDI) / sum) }
        }
        if bars < 2 * period {
            if !dx.isNaN { dxTotal += dx }
            if bars == 2 * period - 1 { adx = dxTotal / n }
        } else if !dx.isNaN {
            adx = (adx * (n - 1) + dx) / n
        }
    }

    public static func batch(_ candles: [Candle], period: Int = 14)
        -> (adx: [Double], plusDI: [Double], minusDI: [Double]) {
        var indicator = ADX(period: period)
        var out = (adx: [Double](), plusDI: [Double](), minusDI: [Double]())
        out.adx.reserveCapacity(candles.count)
        out.plusDI.reserveCapacity(candles.count)
        out.minusDI.reserveCapacity(candles.count)
        for candle in candles {
            indicator.update(candle)
            out.adx.append(indicator.adx)
            out.plusDI.append(indicator.plusDI)
            out.minusDI.append(indicator.minusDI)
        }
        return out
    }
}
