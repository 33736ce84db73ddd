/// Slope m of the least-squares line through the last `period` inputs, per bar
/// (TA-Lib 0.8.1 `LINEARREG_SLOPE`, default 14).
///
/// With x the bar's age (0 = newest … n−1 = oldest, TA-Lib's weighting):
///
///     m = (n·Σxy − Σx·Σy) / ((Σx)² − n·Σx²),   Σx = n(n−1)/2,  Σx² = n(n−1)(2n−1)/6
///
/// (the divisor is negative, which turns the age axis back into time). As in
/// TA-Lib 0.8.1 Σy and Σxy slide in O(1): when a bar arrives every kept value
/// ages by one, so Σxy += Σy − n·departing, and Σy += new − departing. Those
/// running sums are rebuilt from the window every 32·period bars and on the bar
/// a value leaves whose weight n·|y| exceeds 100·Σ|y| of the window, exactly as
/// TA-Lib does — the slope is a small difference of large sums, so agreeing
/// with TA-Lib to 1e-9 needs its rounding, not just its formula. Ready after
/// `period` inputs.
public struct LinearRegressionSlope: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var window: RingBuffer
    private let n: Double
    private let sumX: Double
    private let divisor: Double
    private var sumY = 0.0
    private var sumXY = 0.0
    private var sumAbs = 0.0
    private var barsUntilRebuild = 0

    public init(period: Int = 14) {
        precondition(period >= 2, "LinearRegressionSlope period must be ≥ 2")
        self.period = period
        window = RingBuffer(capacity: period)
        n = Double(period)
        sumX = n * Double(period - 1) * 0.5
        let sumXSquared = n * Double(period - 1) * Double(2 * period - 1) / 6.0
        divisor = sumX * sumX - n * sumXSquared
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ y: Double) {
        let departing = window.push(y)
        guard window.isFull else { return }
        if let departing {
            let weighted = n * departing
            sumXY = sumXY + sumY - weighted
            sumY = sumY - departing + y
            sumAbs = sumAbs - abs(departing) + abs(y)
            barsUntilRebuild -= 1
            if barsUntilRebuild <= 0 || abs(weighted) > 100.0 * sumAbs { rebuild() }
        } else {
            rebuild()
        }
        value = (n * sumXY - sumX * sumY) / divisor
    }

    /// Fresh sums over the window, oldest first with the weight counting down —
    /// TA-Lib's priming scan, so a rebuilt bar equals one computed from scratch.
    private mutating func rebuild() {
        barsUntilRebuild = 32 * period
        sumY = 0
        sumXY = 0
        sumAbs = 0
        var weight = Double(period - 1)
        for age in 0..<period {
            let y = window[age]
            sumY += y
            sumXY += weight * y
            sumAbs += abs(y)
            weight -= 1
        }
    }

    public static func batch(_ xs: [Double], period: Int = 14) -> [Double] {
        var slope = LinearRegressionSlope(period: period)
        return xs.map { slope.update($0); return slope.value }
    }
}
