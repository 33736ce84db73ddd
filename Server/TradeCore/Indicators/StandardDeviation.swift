/// Population standard deviation of the last `period` inputs (TA-Lib
/// `STDDEV(n, 1)`): the square root of TA-Lib 0.8.1's variance, see
/// `RollingVariance` for how it keeps its digits on price-sized inputs.
/// Ready after `period` inputs.
public struct StandardDeviation: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var variance: RollingVariance

    public init(period: Int) {
        precondition(period >= 1, "StandardDeviation period must be ≥ 1")
        self.period = period
        variance = RollingVariance(period: period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ x: Double) {
        variance.update(x)
        guard variance.isReady else { return }
        value = variance.variance.squareRoot()
    }

    public static func batch(_ xs: [Double], period: Int) -> [Double] {
        var sd = StandardDeviation(period: period)
        return xs.map { sd.update($0); return sd.value }
    }
}
