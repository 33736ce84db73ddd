import Testing
import TestSupport
@testable import TradeCore

/// Agreement with TA-Lib, the acceptance test of the indicator library: every
/// column of both reference files, to a relative difference of 1e-9 (absolute
/// where |reference| < 1e-6) on every row after the first 500, and warm-up NaN
/// exactly where TA-Lib's cells are empty.
@Suite struct IndicatorTalibTests {
    static let tolerance = 1e-9
    static let skippedRows = 500

    /// A reference file and the candles TA-Lib was run on.
    enum File: String, CaseIterable, Sendable, CustomTestStringConvertible {
        case btc1m = "BTCUSDT-1m-20250101-20250204"
        case btc1h = "BTCUSDT-1h-20170817-20251202"

        var testDescription: String { rawValue }

        func load() throws -> TalibReference {
            switch self {
            case .btc1m: return try Self.oneMinute.get()
            case .btc1h: return try Self.oneHour.get()
            }
        }

        // Loaded once per test process: the first 20,000 1m rows, the last 20,000 1h rows.
        private static let oneMinute = Result { try TalibReference(file: .btc1m, rows: .first(20_000)) }
        private static let oneHour = Result { try TalibReference(file: .btc1h, rows: .last(20_000)) }
    }

    struct Case: Sendable, CustomTestStringConvertible {
        let file: File
        let column: String
        var testDescription: String { "\(file.rawValue) \(column)" }
    }

    static let cases: [Case] = File.allCases.flatMap { file in
        IndicatorExport.columns.dropFirst().map { Case(file: file, column: $0) }
    }

    @Test(arguments: cases)
    func agreesWithTalib(_ c: Case) throws {
        let reference = try c.file.load()
        let expected = try #require(reference.columns[c.column], "no column \(c.column)")
        let ours = try #require(Self.series(c.column, of: reference.candles))
        let report = Agreement(ours: ours, reference: expected, timestamps: reference.timestamps,
                               skippedRows: Self.skippedRows)
        #expect(report.firstNaNMismatch == nil, "\(report.firstNaNMismatch ?? "")")
        #expect(report.worstError <= Self.tolerance, "\(report.worstDescription)")
    }

    /// The export of the first 20,000 1m candles reproduces the reference file:
    /// same header, empty cells in the same places, values within tolerance.
    @Test func exportMatchesReferenceFile() throws {
        let reference = try File.btc1m.load()
        var writer = IndicatorExport.Writer()
        var text = IndicatorExport.header + "\n"
        for candle in reference.candles { writer.appendLine(for: candle, to: &text) }

        let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.first.map(String.init) == reference.header.joined(separator: ","))
        #expect(lines.count == reference.candles.count + 2 && lines.last == "", "one line per candle")
        var exported: [String: [Double]] = [:]
        for line in lines.dropFirst().dropLast() {
            let cells = line.split(separator: ",", omittingEmptySubsequences: false)
            try #require(cells.count == IndicatorExport.columns.count, "line \(line)")
            for (column, cell) in zip(IndicatorExport.columns, cells) {
                exported[column, default: []].append(cell.isEmpty ? .nan : try #require(Double(cell)))
            }
        }
        #expect(exported["ts"] == reference.timestamps.map(Double.init))
        for column in IndicatorExport.columns.dropFirst() {
            let report = Agreement(ours: exported[column] ?? [], reference: reference.columns[column] ?? [],
                                   timestamps: reference.timestamps, skippedRows: Self.skippedRows)
            #expect(report.firstNaNMismatch == nil, "\(column): \(report.firstNaNMismatch ?? "")")
            #expect(report.worstError <= Self.tolerance, "\(column): \(report.worstDescription)")
        }
    }

    /// Our value series for a reference column, each from its indicator's batch form.
    static func series(_ column: String, of candles: [Candle]) -> [Double]? {
        let closes = candles.map(\.close)
        switch column {
        case "sma_20": return SMA.batch(closes, period: 20)
        case "ema_12": return EMA.batch(closes, period: 12)
        case "ema_26": return EMA.batch(closes, period: 26)
        case "rsi_14": return RSI.batch(closes, period: 14)
        case "macd_12_26_9": return MACD.batch(closes).macd
        case "macd_signal_12_26_9": return MACD.batch(closes).signal
        case "macd_hist_12_26_9": return MACD.batch(closes).histogram
        case "stoch_slowk_14_3_3": return Stochastic.batch(candles).slowK
        case "stoch_slowd_14_3_3": return Stochastic.batch(candles).slowD
        case "bb_upper_20_2": return BollingerBands.batch(closes).upper
        case "bb_middle_20_2": return BollingerBands.batch(closes).middle
        case "bb_lower_20_2": return BollingerBands.batch(closes).lower
        case "atr_14": return ATR.batch(candles, period: 14)
        case "adx_14": return ADX.batch(candles, period: 14).adx
        case "plus_di_14": return ADX.batch(candles, period: 14).plusDI
        case "minus_di_14": return ADX.batch(candles, period: 14).minusDI
        case "cci_20": return CCI.batch(candles, period: 20)
        case "mfi_14": return MFI.batch(candles, period: 14)
        case "obv": return OBV.batch(candles)
        case "linreg_slope_14": return LinearRegressionSlope.batch(closes, period: 14)
        case "stddev_20": return StandardDeviation.batch(closes, period: 20)
        case "roc_10": return ROC.batch(closes, period: 10)
        case "willr_14": return WilliamsR.batch(candles, period: 14)
        default: return nil
        }
    }
}

/// A TA-Lib reference file parsed into columns (NaN for an empty cell), with
/// the candles it was computed from.
struct TalibReference: Sendable {
    enum Rows: Sendable { case first(Int), last(Int) }

    let header: [String]
    let columns: [String: [Double]]
    let timestamps: [Int64]
    let candles: [Candle]

    init(file: IndicatorTalibTests.File, rows: Rows) throws {
        let all = try SharedData.candles("\(file.rawValue).csv")
        switch rows {
        case .first(let n): candles = Array(all.prefix(n))
        case .last(let n): candles = Array(all.suffix(n))
        }
        let (header, table) = try SharedData.csvRows(SharedData.reference("\(file.rawValue).talib.csv.gz"))
        self.header = header
        var columns: [String: [Double]] = [:]
        for (index, name) in header.enumerated() {
            columns[name] = table.map { $0[index].isEmpty ? .nan : Double($0[index]) ?? .nan }
        }
        self.columns = columns
        timestamps = table.map { Int64($0[0]) ?? -1 }
        guard timestamps == candles.map(\.openTime) else {
            throw ReferenceMismatch(file: file.rawValue)
        }
    }

    struct ReferenceMismatch: Error { let file: String }
}

/// How far our series is from TA-Lib's: the worst relative difference after
/// `skippedRows` (absolute where the reference is near zero), and the first row
/// where one is NaN and the other is not.
struct Agreement {
    private(set) var worstError = 0.0
    private(set) var worstDescription = "no rows compared"
    private(set) var firstNaNMismatch: String?

    init(ours: [Double], reference: [Double], timestamps: [Int64], skippedRows: Int) {
        guard ours.count == reference.count else {
            firstNaNMismatch = "length \(ours.count) vs \(reference.count)"
            return
        }
        for row in reference.indices {
            let (x, r) = (ours[row], reference[row])
            if x.isNaN != r.isNaN {
                if firstNaNMismatch == nil { firstNaNMismatch = "row \(row) ts \(timestamps[row]): ours \(x), TA-Lib \(r)" }
                continue
            }
            guard row >= skippedRows, !r.isNaN else { continue }
            let error = abs(x - r) / (abs(r) < 1e-6 ? 1 : abs(r))
            if !(error <= worstError) {
                worstError = error
                worstDescription = "worst row \(row) ts \(timestamps[row]): ours \(x), TA-Lib \(r), difference \(error)"
            }
        }
    }
}
