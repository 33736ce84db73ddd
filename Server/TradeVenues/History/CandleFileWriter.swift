import Foundation
import TradeCore

/// Writes candles in our format (`ts,open,high,low,close,volume`, ts in Unix ms),
/// the format of `../shared/data`, for exports and test fixtures.
///
/// Numbers are the shortest text that reads back to the identical `Double`, never in
/// exponent notation (spreadsheets and other tools choke on `9e-05`), so
/// `CandleFileReader` returns exactly the candles written. Rows the reader would
/// reject are refused here, so a written file is always readable.
public enum CandleFileWriter {
    /// The file content: header, one row per candle, `\n` after every line.
    /// `name` only labels errors.
    public static func csv(_ candles: some Sequence<Candle>, name: String = "candles.csv") throws(CandleFileError) -> String {
        var text = CandleFileFormat.standardHeader + "\n"
        var line = 1
        var previousTime = Int64.min
        for candle in candles {
            line += 1
            let fields = [String(candle.openTime), number(candle.open), number(candle.high), number(candle.low),
                          number(candle.close), number(candle.volume)]
            if let violation = RowRules.check(open: candle.open, high: candle.high, low: candle.low,
                                              close: candle.close, volume: candle.volume) {
                let message = violation.message(fields: fields.map { $0[...] },
                                                names: CandleFileFormat.standard.columnNames)
                throw CandleFileError(file: name, line: line, message: "cannot write: \(message)")
            }
            guard candle.openTime >= 0 else {
                throw CandleFileError(file: name, line: line, message: "cannot write: open time \(candle.openTime) is negative")
            }
            guard candle.openTime > previousTime else {
                throw CandleFileError(file: name, line: line, message: "cannot write: open time \(candle.openTime)"
                                      + " is not after \(previousTime) on line \(line - 1)")
            }
            previousTime = candle.openTime
            text += fields.joined(separator: ",")
            text += "\n"
        }
        return text
    }

    /// Writes `candles` to `path` (atomically: readers never see half a file).
    public static func write(_ candles: some Sequence<Candle>, to path: String) throws(CandleFileError) {
        let name = URL(fileURLWithPath: path).lastPathComponent
        let text = try csv(candles, name: name)
        do {
            try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
        } catch {
            throw CandleFileError(file: name, line: nil, message: "cannot write: \(error.localizedDescription)")
        }
    }

    /// Shortest round-trip decimal of a finite `value` without exponent notation:
    /// Swift's `description` digits (shortest round-trip), with `1e-05` spelled out
    /// as `0.00001` and `1e+16` as `10000000000000000.0`.
    static func number(_ value: Double) -> String {
        let text = value.description
        guard value.isFinite, let e = text.firstIndex(of: "e") else { return text }
        let exponent = Int(text[text.index(after: e)...])!
        var mantissa = text[..<e]
        let sign = mantissa.first == "-" ? "-" : ""
        if !sign.isEmpty { mantissa = mantissa.dropFirst() }
        let integerDigits = mantissa.firstIndex(of: ".").map { mantissa.distance(from: mantissa.startIndex, to: $0) }
            ?? mantissa.count
        let digits = mantissa.filter { $0 != "." }
        // Where the decimal point falls within `digits` once the exponent is applied.
        let point = integerDigits + exponent
        if point <= 0 {
            return sign + "0." + String(repeating: "0", count: -point) + digits
        }
        if point >= digits.count {
            return sign + digits + String(repeating: "0", count: point - digits.count) + ".0"
        }
        return sign + digits.prefix(point) + "." + digits.dropFirst(point)
    }
}
