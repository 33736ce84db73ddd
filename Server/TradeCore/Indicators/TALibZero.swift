/// TA-Lib's zero tests (`ta_utility.h`). Indicators that must give TA-Lib's
/// answer on flat or degenerate windows use the same bands TA-Lib does.
enum TALibZero {
    /// `TA_EPSILON`.
    static let epsilon = 0.00000000000001

    /// `TA_IS_ZERO`: an absolute band of ±1e-14.
    static func isZero(_ v: Double) -> Bool { -epsilon < v && v < epsilon }

    /// `TA_IS_ZERO_SCALED`: `v` is a difference of two operands whose magnitudes
    /// sum to `scale`; it counts as zero within 1e-14 of that scale (~90 ulp).
    static func isZeroScaled(_ v: Double, scale: Double) -> Bool { abs(v) <= epsilon * scale }
}
