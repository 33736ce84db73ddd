/// Exponential moving average with alpha = 2/(n+1).
///
/// Two seedings, because the two oracles we test against differ:
/// - `.sma` — TA-Lib: the first value is the SMA of the first `period` inputs
///   (ready after `period` inputs);
/// - `.firstValue` — the reference strategy's engines: the EMA starts at the first
///   input (ready at once; callers ignore the warm-up themselves).
/// The recurrence is TA-Lib's `prev + (x − prev)·k`, evaluated as one fused
/// multiply-add as TA-Lib 0.8.1's build does (visible in MACD's signal line,
/// an EMA of small values: unfused it drifts from TA-Lib by ~1e-13).
public struct EMA: Sendable, Codable {
    public enum Seeding: Sendable, Codable { case sma, firstValue }

    public let period: Int
    public let alpha: Double
    public let seeding: Seeding
    public private(set) var value: Double = .nan
    var count = 0
    var seedSum = 0.0

    public init(period: Int, seeding: Seeding = .sma) {
        precondition(period >= 1, "EMA period must be ≥ 1")
        self.period = period
        self.alpha = 2.0 / Double(period + 1)
        self.seeding = seeding
    }

    public var isReady: Bool { !value.isNaN }

    /// Feeds one input; O(1), no allocation.
    public mutating func update(_ x: Double) {
        count &+= 1
        if count > period || (seeding == .firstValue && count > 1) {
            value = value.addingProduct(x - value, alpha)
            return
        }
        switch seeding {
        case .firstValue:
            value = x
        case .sma:
            seedSum += x
            if count == period { value = seedSum / Double(period) }
        }
    }

    /// Batch form: one output per input, NaN during warm-up.
    public static func batch(_ xs: [Double], period: Int, seeding: Seeding = .sma) -> [Double] {
        var ema = EMA(period: period, seeding: seeding)
        return xs.map { ema.update($0); return ema.value }
    }
}
