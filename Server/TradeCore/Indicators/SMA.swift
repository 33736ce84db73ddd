/// Simple moving average of the last `period` inputs (TA-Lib `SMA`).
///
/// TA-Lib keeps one running total for the whole series: add the new value,
/// output total/n, then subtract the value that leaves. We do the same in the
/// same order so the rounding — and so the value — is TA-Lib's bit for bit.
/// O(1) per update; ready after `period` inputs.
public struct SMA: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var window: RingBuffer
    private var total = 0.0
    private let n: Double

    public init(period: Int) {
        precondition(period >= 1, "SMA period must be ≥ 1")
        self.period = period
        window = RingBuffer(capacity: period)
        n = Double(period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ x: Double) {
        total += x
        window.push(x)
        guard window.isFull else { return }
        value = total / n
        total -= window.oldest
    }

    /// Batch form: one output per input, NaN during warm-up.
    public static func batch(_ xs: [Double], period: Int) -> [Double] {
        var sma = SMA(period: period)
        return xs.map { sma.update($0); return sma.value }
    }
}
