/// Bollinger Bands (TA-Lib `BBANDS` with an SMA middle band, default 20, 2, 2).
///
///     middle = SMA(n)
///     upper  = middle + kUp · σ,   lower = middle − kDown · σ
///
/// σ is the population standard deviation of the same n closes, computed as
/// TA-Lib 0.8.1 does (shifted running sums, see `RollingVariance`); the middle
/// band is TA-Lib's running-sum SMA. Ready after `period` inputs; O(1) per
/// update apart from `RollingVariance`'s occasional O(period) rebuild.
public struct BollingerBands: Sendable, Codable {
    public let period: Int
    public let upperDeviations: Double
    public let lowerDeviations: Double
    public private(set) var upper: Double = .nan
    public private(set) var middle: Double = .nan
    public private(set) var lower: Double = .nan
    private var average: SMA
    private var spread: RollingVariance

    public init(period: Int = 20, upperDeviations: Double = 2, lowerDeviations: Double = 2) {
        precondition(period >= 1, "Bollinger period must be ≥ 1")
        self.period = period
        self.upperDeviations = upperDeviations
        self.lowerDeviations = lowerDeviations
        average = SMA(period: period)
        spread = RollingVariance(period: period)
    }

    public var isReady: Bool { !middle.isNaN }

    public mutating func update(_ x: Double) {
        average.update(x)
        spread.update(x)
        guard average.isReady else { return }
        let sigma = spread.variance.squareRoot()
        middle = average.value
        upper = middle + sigma * upperDeviations
        lower = middle - sigma * lowerDeviations
    }

    public static func batch(_ xs: [Double], period: Int = 20, upperDeviations: Double = 2,
                             lowerDeviations: Double = 2)
        -> (upper: [Double], middle: [Double], lower: [Double]) {
        var bands = BollingerBands(period: period, upperDeviations: upperDeviations,
                                   lowerDeviations: lowerDeviations)
        var out = (upper: [Double](), middle: [Double](), lower: [Double]())
        out.upper.reserveCapacity(xs.count)
        out.middle.reserveCapacity(xs.count)
        out.lower.reserveCapacity(xs.count)
        for x in xs {
            bands.update(x)
            out.upper.append(bands.upper)
            out.middle.append(bands.middle)
            out.lower.append(bands.lower)
        }
        return out
    }
}
