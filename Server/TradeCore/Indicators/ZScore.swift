/// Z-score of the latest input against the last `period` inputs (it included):
/// (x − mean) / σ, with σ the population standard deviation. A flat window
/// (σ = 0) gives 0: the input is exactly at the mean. Mean and σ come from
/// `RollingVariance`, so the subtraction x − mean does not lose digits on
/// price-sized inputs. Ready after `period` inputs (TA-Lib has no z-score).
public struct ZScore: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var stats: RollingVariance

    public init(period: Int) {
        precondition(period >= 2, "ZScore period must be ≥ 2")
        self.period = period
        stats = RollingVariance(period: period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ x: Double) {
        stats.update(x)
        guard stats.isReady else { return }
        let sigma = stats.variance.squareRoot()
        value = sigma == 0 ? 0 : (x - stats.mean) / sigma
    }

    public static func batch(_ xs: [Double], period: Int) -> [Double] {
        var z = ZScore(period: period)
        return xs.map { z.update($0); return z.value }
    }
}
