import Foundation

/// Garman–Klass volatility over the last `period` bars, per bar (not annualised):
///
///     σ²ᵢ = ½·ln(Hᵢ/Lᵢ)² − (2·ln 2 − 1)·ln(Cᵢ/Oᵢ)²
///     value = √(mean of σ²ᵢ over the window)
///
/// It uses the whole bar, not just closes, so it is several times more
/// efficient than close-to-close volatility on the same bars. The unit is a
/// log return per bar; multiply by √(bars per year) to annualise.
///
/// A bar with H == L (a flat, often volume-less minute) has O == C too and
/// contributes σ² = 0: it is a bar in which the price did not move, not a
/// missing one. With consistent OHLC (O and C inside [L, H]) each σ²ᵢ ≥ 0;
/// the window mean is clamped at 0 before the square root so inconsistent
/// bars cannot produce NaN. Prices must be positive. The window sum is kept
/// with compensated summation (`RollingSum`), O(1) per update.
public struct GarmanKlassVolatility: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var variances: RollingSum
    private let n: Double

    /// 2·ln 2 − 1, the weight of the open-to-close term (a literal, so reading
    /// it in the update costs no lazy-initialisation check).
    static let openCloseWeight = 0.386_294_361_119_890_6

    public init(period: Int) {
        precondition(period >= 1, "GarmanKlassVolatility period must be ≥ 1")
        self.period = period
        variances = RollingSum(period: period)
        n = Double(period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        let highLow = log(candle.high / candle.low)
        let closeOpen = log(candle.close / candle.open)
        variances.update(0.5 * highLow * highLow - Self.openCloseWeight * closeOpen * closeOpen)
        guard variances.isFull else { return }
        value = max(variances.value / n, 0).squareRoot()
    }

    public static func batch(_ candles: [Candle], period: Int) -> [Double] {
        var gk = GarmanKlassVolatility(period: period)
        return candles.map { gk.update($0); return gk.value }
    }
}
