/// Wilder's true range: the bar's range extended to the previous close,
/// max(H − L, |H − C₋₁|, |L − C₋₁|). Used by ATR and ADX (TA-Lib `TRANGE`).
enum TrueRange {
    static func of(high: Double, low: Double, previousClose: Double) -> Double {
        var range = high - low
        let fromHigh = abs(high - previousClose)
        if fromHigh > range { range = fromHigh }
        let fromLow = abs(low - previousClose)
        if fromLow > range { range = fromLow }
        return range
    }
}
