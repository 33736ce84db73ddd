/// The indicator table TA-Lib's reference files hold, computed by our own
/// indicators one candle at a time: for research exports, and to check the
/// whole set against `../shared/reference/*.talib.csv.gz` in one go.
///
/// Every indicator uses TA-Lib's parameters and seeding (EMA seeded with the
/// SMA of its first period, Wilder averages with the mean of theirs), so cells
/// are empty exactly where TA-Lib's are.
///
/// Number format: the shortest decimal that reads back to the same `Double`
/// (the digits of Swift's `description`), always written positionally — a
/// value Swift would print as `1.5e-07` is written `0.00000015` — so any CSV
/// reader parses it and the file is byte-for-byte deterministic. An empty cell
/// is a warm-up NaN. TA-Lib's files instead carry 15 significant digits.
public enum IndicatorExport {
    /// The reference header, in order.
    public static let columns: [String] = [
        "ts", "sma_20", "ema_12", "ema_26", "rsi_14",
        "macd_12_26_9", "macd_signal_12_26_9", "macd_hist_12_26_9",
        "stoch_slowk_14_3_3", "stoch_slowd_14_3_3",
        "bb_upper_20_2", "bb_middle_20_2", "bb_lower_20_2",
        "atr_14", "adx_14", "plus_di_14", "minus_di_14", "cci_20", "mfi_14", "obv",
        "linreg_slope_14", "stddev_20", "roc_10", "willr_14",
    ]

    /// `columns` as a CSV header line, without the newline.
    public static var header: String { columns.joined(separator: ",") }

    /// One candle's values, NaN during warm-up; fields in column order.
    public struct Row: Sendable, Codable, Equatable {
        public var ts: Int64
        public var sma20: Double
        public var ema12: Double
        public var ema26: Double
        public var rsi14: Double
        public var macd: Double
        public var macdSignal: Double
        public var macdHistogram: Double
        public var stochSlowK: Double
        public var stochSlowD: Double
        public var bollingerUpper: Double
        public var bollingerMiddle: Double
        public var bollingerLower: Double
        public var atr14: Double
        public var adx14: Double
        public var plusDI14: Double
        public var minusDI14: Double
        public var cci20: Double
        public var mfi14: Double
        public var obv: Double
        public var linearRegressionSlope14: Double
        public var standardDeviation20: Double
        public var roc10: Double
        public var williamsR14: Double

        /// Appends the row as one CSV line (with its newline) in `columns` order.
        public func appendCSVLine(to out: inout String) {
            out += String(ts)
            for value in [sma20, ema12, ema26, rsi14, macd, macdSignal, macdHistogram,
                          stochSlowK, stochSlowD, bollingerUpper, bollingerMiddle, bollingerLower,
                          atr14, adx14, plusDI14, minusDI14, cci20, mfi14, obv,
                          linearRegressionSlope14, standardDeviation20, roc10, williamsR14] {
                out += ","
                IndicatorExport.appendNumber(value, to: &out)
            }
            out += "\n"
        }
    }

    /// Streams candles through every indicator of the table.
    public struct Writer: Sendable, Codable {
        private var sma20 = SMA(period: 20)
        private var ema12 = EMA(period: 12)
        private var ema26 = EMA(period: 26)
        private var rsi14 = RSI(period: 14)
        private var macd = MACD(fast: 12, slow: 26, signal: 9)
        private var stochastic = Stochastic(fastK: 14, slowK: 3, slowD: 3)
        private var bollinger = BollingerBands(period: 20, upperDeviations: 2, lowerDeviations: 2)
        private var atr14 = ATR(period: 14)
        private var adx14 = ADX(period: 14)
        private var cci20 = CCI(period: 20)
        private var mfi14 = MFI(period: 14)
        private var obv = OBV()
        private var slope14 = LinearRegressionSlope(period: 14)
        private var deviation20 = StandardDeviation(period: 20)
        private var roc10 = ROC(period: 10)
        private var williams14 = WilliamsR(period: 14)

        public init() {}

        /// Feeds one candle to every indicator and returns the row for it.
        public mutating func update(_ candle: Candle) -> Row {
            let close = candle.close
            sma20.update(close)
            ema12.update(close)
            ema26.update(close)
            rsi14.update(close)
            macd.update(close)
            stochastic.update(candle)
            bollinger.update(close)
            atr14.update(candle)
            adx14.update(candle)
            cci20.update(candle)
            mfi14.update(candle)
            obv.update(candle)
            slope14.update(close)
            deviation20.update(close)
            roc10.update(close)
            williams14.update(candle)
            return Row(
                ts: candle.openTime, sma20: sma20.value, ema12: ema12.value, ema26: ema26.value,
                rsi14: rsi14.value, macd: macd.macd, macdSignal: macd.signal,
                macdHistogram: macd.histogram, stochSlowK: stochastic.slowK,
                stochSlowD: stochastic.slowD, bollingerUpper: bollinger.upper,
                bollingerMiddle: bollinger.middle, bollingerLower: bollinger.lower,
                atr14: atr14.value, adx14: adx14.adx, plusDI14: adx14.plusDI,
                minusDI14: adx14.minusDI, cci20: cci20.value, mfi14: mfi14.value, obv: obv.value,
                linearRegressionSlope14: slope14.value, standardDeviation20: deviation20.value,
                roc10: roc10.value, williamsR14: williams14.value)
        }

        /// Feeds one candle and appends its CSV line to `out`.
        public mutating func appendLine(for candle: Candle, to out: inout String) {
            update(candle).appendCSVLine(to: &out)
        }
    }

    /// Appends `x` in the export's number format: nothing for NaN, otherwise the
    /// shortest round-trip digits written without an exponent.
    public static func appendNumber(_ x: Double, to out: inout String) {
        guard !x.isNaN else { return }
        let text = x.description
        guard x.isFinite, let e = text.firstIndex(of: "e") else {
            out += text
            return
        }
        var mantissa = text[..<e]
        let exponent = Int(text[text.index(after: e)...])!
        if mantissa.first == "-" {
            out += "-"
            mantissa = mantissa.dropFirst()
        }
        let digits = mantissa.filter { $0 != "." }
        let integerDigits = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        let point = integerDigits + exponent
        if point <= 0 {
            out += "0."
            out += String(repeating: "0", count: -point)
            out += digits
        } else if point >= digits.count {
            out += digits
            out += String(repeating: "0", count: point - digits.count)
            out += ".0"
        } else {
            out += digits.prefix(point)
            out += "."
            out += digits.dropFirst(point)
        }
    }
}
