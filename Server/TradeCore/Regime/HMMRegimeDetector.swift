#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Live regime detection with a fitted `GaussianHMM`: closes in, the log
/// return of each consecutive pair goes through an `HMMFilter`, and the
/// filtered probabilities are read through an `HMMStateMapping`.
///
/// Fit the model on past data only (`LogReturns.of` + `GaussianHMM.fit`);
/// the detector itself never looks ahead.
public struct HMMRegimeDetector: Sendable, Codable {
    public let mapping: HMMStateMapping
    public private(set) var filter: HMMFilter
    /// The latest reading; before the first return, the reading of the model's
    /// initial distribution.
    public private(set) var reading: RegimeReading
    private var previousClose = Double.nan

    public init(model: GaussianHMM, mapping parameters: HMMStateMapping.Parameters = HMMStateMapping.Parameters()) {
        mapping = HMMStateMapping(model: model, parameters: parameters)
        filter = HMMFilter(model: model)
        reading = mapping.reading(from: filter.probabilities)
    }

    /// Feeds the next bar's close. Pass `followsGap: true` when bars are
    /// missing before this one: the return across the gap is skipped, as in
    /// `LogReturns.of`, and the reading is left unchanged. A close that is not
    /// a positive number yields no return on either side of it.
    @discardableResult
    public mutating func update(close: Double, followsGap: Bool = false) -> RegimeReading {
        defer { previousClose = close }
        guard !followsGap, previousClose > 0, close > 0, close.isFinite else { return reading }
        filter.update(logReturn: log(close / previousClose))
        reading = mapping.reading(from: filter.probabilities)
        return reading
    }
}
