/// The consistency rules every candle row must satisfy, as a cheap check for the
/// hot loop plus a precise verdict for the message when it fails.
///
/// All prices positive and finite, `low ≤ min(open, close)`, `high ≥ max(open, close)`
/// (so `low ≤ high`), volume finite and `≥ 0`. A row breaking one of these is a
/// corrupt or misaligned download; loading it would poison every indicator.
enum RowRules {
    enum Violation: Equatable {
        case notFinite(column: Int)
        case notPositive(column: Int)
        case negativeVolume
        /// `high` (column 2) is below the value in `column`.
        case highBelow(column: Int)
        /// `low` (column 3) is above the value in `column`.
        case lowAbove(column: Int)

        /// Message quoting the row's own text for each number involved.
        func message(fields: [Substring], names: [String]) -> String {
            func quote(_ column: Int) -> String { "\(names[column]) \(fields[column])" }
            switch self {
            case .notFinite(let column): return "\(quote(column)) is not a finite number"
            case .notPositive(let column): return "\(quote(column)) is not positive"
            case .negativeVolume: return "\(quote(5)) is negative"
            case .highBelow(let column): return "\(quote(2)) is below \(quote(column))"
            case .lowAbove(let column): return "\(quote(3)) is above \(quote(column))"
            }
        }
    }

    /// nil when the row is consistent. The first line is all a valid row costs: since
    /// `low > 0` and `open, close ≥ low`, and `high ≥ open, close`, every price is
    /// positive; `high` finite bounds the others (the parser never yields NaN).
    @inline(__always)
    static func check(open: Double, high: Double, low: Double, close: Double, volume: Double) -> Violation? {
        if low > 0, low <= open, low <= close, high >= open, high >= close, high.isFinite,
           volume >= 0, volume.isFinite {
            return nil
        }
        return diagnose(open: open, high: high, low: low, close: close, volume: volume)
    }

    /// The first rule the row breaks, in the order a reader would check by hand.
    @inline(never)
    static func diagnose(open: Double, high: Double, low: Double, close: Double, volume: Double) -> Violation {
        let prices = [(1, open), (2, high), (3, low), (4, close)]
        for (column, value) in prices where !value.isFinite { return .notFinite(column: column) }
        for (column, value) in prices where !(value > 0) { return .notPositive(column: column) }
        if !volume.isFinite { return .notFinite(column: 5) }
        if volume < 0 { return .negativeVolume }
        if high < low { return .highBelow(column: 3) }
        if high < open { return .highBelow(column: 1) }
        if high < close { return .highBelow(column: 4) }
        if low > open { return .lowAbove(column: 1) }
        // `check` failed and every other rule holds, so this is the broken one.
        return .lowAbove(column: 4)
    }
}
