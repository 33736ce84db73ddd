/// Rate of change in percent (TA-Lib `ROC`, default 10):
/// 100 · (x / x₋ₙ − 1), evaluated as TA-Lib does, `((x / x₋ₙ) − 1) · 100`.
///
/// Edge cases: a flat window gives exactly 0. When x₋ₙ is 0 the ratio is
/// undefined and, like TA-Lib, we return 0 rather than ±inf or NaN. Ready after
/// `period + 1` inputs; O(1) per update.
public struct ROC: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var window: RingBuffer

    public init(period: Int = 10) {
        precondition(period >= 1, "ROC period must be ≥ 1")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ x: Double) {
        guard let past = window.push(x) else { return }
        value = past != 0 ? ((x / past) - 1.0) * 100.0 : 0
    }

    public static func batch(_ xs: [Double], period: Int = 10) -> [Double] {
        var roc = ROC(period: period)
        return xs.map { roc.update($0); return roc.value }
    }
}
