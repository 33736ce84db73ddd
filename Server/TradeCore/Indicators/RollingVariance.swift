/// Population variance (and mean) of the last `period` values, computed as
/// TA-Lib 0.8.1's `TA_VAR` does, so STDDEV and BBANDS agree with it.
///
/// The textbook running sums Σx and Σx² lose most of their digits on prices
/// (Σx² of BTC closes is ~1e11 while the variance is ~1e2), so TA-Lib keeps the
/// sums of `x − shift` instead, with `shift` near the window:
///
///     var = Σ(x−s)²/n − (Σ(x−s)/n)²
///
/// The shift starts at the first value. The sums are rebuilt from the window —
/// new shift = the window mean, then a fresh pass — when (a) the variance has
/// fallen below 1e-6 of the mean squared deviation it is extracted from
/// (cancellation), (b) the value just removed dwarfs what remains (an outlier
/// leaving), or (c) every 32·period bars, so drift stays bounded. A rebuilt
/// variance under 1e-12 of its own mean square is noise and reported as 0;
/// that also guarantees a non-negative result. Each update is O(1) except a
/// rebuild, O(period) at most once per 32·period bars on ordinary data.
struct RollingVariance: Sendable, Codable {
    let period: Int
    /// NaN until `period` values have been seen.
    private(set) var variance: Double = .nan
    /// Window mean, `shift + Σ(x−shift)/n`.
    private(set) var mean: Double = .nan
    private var window: RingBuffer
    private let invPeriod: Double
    private var shift = 0.0
    private var total1 = 0.0
    private var total2 = 0.0
    private var barsUntilReseed: Int

    init(period: Int) {
        precondition(period >= 1, "variance period must be ≥ 1")
        self.period = period
        window = RingBuffer(capacity: period)
        invPeriod = 1.0 / Double(period)
        barsUntilReseed = 32 * period
    }

    var isReady: Bool { !variance.isNaN }

    mutating func update(_ x: Double) {
        if window.count == 0 { shift = x }
        window.push(x)
        var d = x - shift
        total1 += d
        total2 += d * d
        guard window.isFull else { return }

        var mean1 = total1 * invPeriod
        var v = total2 * invPeriod - mean1 * mean1
        // Take the oldest value out now; the next update's push evicts it.
        d = window.oldest - shift
        total1 -= d
        let departing = d * d
        total2 -= departing

        barsUntilReseed -= 1
        if v < 0.000001 * (total2 * invPeriod) || departing > 1000000.0 * total2 || barsUntilReseed <= 0 {
            barsUntilReseed = 32 * period
            var sum = 0.0
            for age in 0..<period { sum += window[age] }
            shift = sum * invPeriod
            total1 = 0
            total2 = 0
            for age in 0..<period {
                d = window[age] - shift
                total1 += d
                total2 += d * d
            }
            mean1 = total1 * invPeriod
            v = total2 * invPeriod - mean1 * mean1
            if v < 0.000000000001 * (total2 * invPeriod) { v = 0 }
            d = window.oldest - shift
            total1 -= d
            total2 -= d * d
        }
        variance = v
        mean = shift + mean1
    }
}
