/// Relative strength index with Wilder smoothing (alpha = 1/n).
///
/// Seeding as TA-Lib: the first average gain/loss is the simple mean of the first
/// `period` changes (ready after period+1 inputs). `.zero` seeding — averages start
/// at 0 and are smoothed from the first change — is what the reference strategy
/// specifies; both converge long before bar 500.
public struct RSI: Sendable, Codable {
    public enum Seeding: Sendable, Codable { case sma, zero }

    public let period: Int
    public let seeding: Seeding
    private let alpha: Double
    public private(set) var value: Double = .nan
    var previous: Double = .nan
    var avgGain = 0.0
    var avgLoss = 0.0
    var changes = 0

    public init(period: Int, seeding: Seeding = .sma) {
        precondition(period >= 1, "RSI period must be ≥ 1")
        self.period = period
        self.seeding = seeding
        self.alpha = 1 / Double(period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ x: Double) {
        defer { previous = x }
        guard !previous.isNaN else {
            if seeding == .zero { value = Self.rsi(0, 0) }
            return
        }
        let change = x - previous
        let gain = change > 0 ? change : 0
        let loss = change < 0 ? -change : 0
        changes &+= 1
        let n = Double(period)
        if seeding == .sma && changes <= period {
            avgGain += gain
            avgLoss += loss
            if changes == period {
                avgGain /= n
                avgLoss /= n
                value = Self.rsi(avgGain, avgLoss)
            }
            return
        }
        switch seeding {
        case .sma:
            // TA-Lib's form: (prev·(n−1) + x) / n — bit-for-bit agreement with its output.
            avgGain = (avgGain * (n - 1) + gain) / n
            avgLoss = (avgLoss * (n - 1) + loss) / n
        case .zero:
            // The reference strategy's form: an EMA with alpha = 1/n (two multiplies
            // instead of two divides; the same Wilder average up to rounding).
            avgGain += (gain - avgGain) * alpha
            avgLoss += (loss - avgLoss) * alpha
        }
        value = Self.rsi(avgGain, avgLoss)
    }

    static func rsi(_ gain: Double, _ loss: Double) -> Double {
        let total = gain + loss
        return total == 0 ? 0 : 100 * gain / total
    }

    public static func batch(_ xs: [Double], period: Int, seeding: Seeding = .sma) -> [Double] {
        var rsi = RSI(period: period, seeding: seeding)
        return xs.map { rsi.update($0); return rsi.value }
    }
}
