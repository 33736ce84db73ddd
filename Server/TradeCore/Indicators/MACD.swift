/// Moving average convergence/divergence (TA-Lib `MACD`, default 12/26/9).
///
/// macd = EMA(fast) − EMA(slow); signal = EMA(signal period) of macd;
/// histogram = macd − signal. Every EMA is seeded with the SMA of its first
/// inputs, and — as in TA-Lib — the fast EMA is seeded on the same bar as the
/// slow one: it only starts taking inputs `slow − fast` bars in, so its seed is
/// the SMA of the `fast` closes that end where the slow seed ends. All three
/// outputs appear together once the signal line is seeded, after
/// `slow + signal − 1` inputs (TA-Lib's lookback), and each update is O(1).
public struct MACD: Sendable, Codable {
    public let fastPeriod: Int
    public let slowPeriod: Int
    public let signalPeriod: Int
    public private(set) var macd: Double = .nan
    public private(set) var signal: Double = .nan
    public private(set) var histogram: Double = .nan
    private var fast: EMA
    private var slow: EMA
    private var signalLine: EMA
    private var count = 0

    public init(fast: Int = 12, slow: Int = 26, signal: Int = 9) {
        precondition(fast >= 1 && fast <= slow && signal >= 1, "MACD needs 1 ≤ fast ≤ slow and signal ≥ 1")
        fastPeriod = fast
        slowPeriod = slow
        signalPeriod = signal
        self.fast = EMA(period: fast)
        self.slow = EMA(period: slow)
        signalLine = EMA(period: signal)
    }

    public var isReady: Bool { !histogram.isNaN }

    public mutating func update(_ x: Double) {
        count &+= 1
        slow.update(x)
        if count > slowPeriod - fastPeriod { fast.update(x) }
        guard slow.isReady else { return }
        let line = fast.value - slow.value
        signalLine.update(line)
        guard signalLine.isReady else { return }
        macd = line
        signal = signalLine.value
        histogram = line - signal
    }

    /// Batch form: three series, one value per input, NaN during warm-up.
    public static func batch(_ xs: [Double], fast: Int = 12, slow: Int = 26, signal: Int = 9)
        -> (macd: [Double], signal: [Double], histogram: [Double]) {
        var indicator = MACD(fast: fast, slow: slow, signal: signal)
        var out = (macd: [Double](), signal: [Double](), histogram: [Double]())
        out.macd.reserveCapacity(xs.count)
        out.signal.reserveCapacity(xs.count)
        out.histogram.reserveCapacity(xs.count)
        for x in xs {
            indicator.update(x)
            out.macd.append(indicator.macd)
            out.signal.append(indicator.signal)
            out.histogram.append(indicator.histogram)
        }
        return out
    }
}
