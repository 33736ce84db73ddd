/// Infers the trading pair from a candle file's name.
///
/// The names in use put the pair first and the interval and dates after it:
/// ours `BTCUSDT-1m-20250101-20250204.csv`, freqtrade `BTC_USDT-1m.csv`,
/// Binance `BTCUSDT-1m-2025-01.csv`. Splitting on `-` and `_`, the pair is the
/// tokens before the first interval (`1m`, `4h`, `1d`, `1w`, `1M`, …) or all-digit
/// date token, joined and upper-cased: all three give `BTCUSDT`. Tokens that merely
/// start with a digit, like `1INCH`, still belong to the pair.
enum SymbolName {
    static func infer(fromFileName name: String) -> String? {
        var stem = Substring(name)
        for suffix in [".gz", ".csv"] where stem.lowercased().hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
        }
        let tokens = stem.split(whereSeparator: { $0 == "-" || $0 == "_" })
        let pair = tokens.prefix { !isIntervalOrDate($0) }
        guard !pair.isEmpty else { return nil }
        return pair.joined().uppercased()
    }

    /// `20250101`, `2025`, `01`, or digits followed by one unit letter (`15m`, `1M`).
    private static func isIntervalOrDate(_ token: Substring) -> Bool {
        let digits = token.prefix(while: \.isASCIIDigit)
        guard !digits.isEmpty else { return false }
        let rest = token.dropFirst(digits.count)
        return rest.isEmpty || (rest.count == 1 && "smhdwM".contains(rest.first!))
    }
}
