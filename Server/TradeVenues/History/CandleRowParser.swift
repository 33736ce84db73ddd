import TradeCore

/// Turns the text of a candle file into validated candles: format detection from
/// line 1, then one pass over the bytes that parses and checks each row.
///
/// The hot loop never builds a `String`: fields are parsed in place and each
/// parser stops on the delimiter, so every byte is read once. Only when a row is
/// bad does the slow path split that line into text to say exactly what is wrong.
struct CandleRowParser {
    /// File name used in error messages.
    let fileName: String

    struct Rows {
        var format: CandleFileFormat
        var candles: [Candle]
        /// Line number of `candles[0]`; candle `i` is on line `firstLine + i`
        /// because blank lines are only allowed at the very end.
        var firstLine: Int
        var zeroVolumeCount: Int
    }

    /// Open times at or above this are microseconds (1e14 ms would be the year 5138,
    /// 1e14 µs is 1973), as in Binance's spot kline files from 2025 on.
    static let microsecondThreshold: Int64 = 100_000_000_000_000

    func parse(_ bytes: UnsafeRawBufferPointer) throws(CandleFileError) -> Rows {
        guard let raw = bytes.baseAddress else { throw fail(nil, "file is empty") }
        var p = raw.assumingMemoryBound(to: UInt8.self)
        let end = p + bytes.count
        // A UTF-8 byte-order mark, as spreadsheet programs write, is not part of the header.
        if end - p >= 3, p[0] == 0xEF, p[1] == 0xBB, p[2] == 0xBF { p += 3 }
        if Self.isBlank(p, end) { throw fail(nil, "file is empty") }

        let firstLine = Self.lineText(p, end)
        guard let format = CandleFileFormat.detect(firstLine: firstLine) else {
            throw fail(1, "unrecognised header '\(Self.excerpt(firstLine))': expected '\(CandleFileFormat.standardHeader)'"
                       + " or Binance kline columns (\(CandleFileFormat.binanceColumns.joined(separator: ",")))")
        }
        var line = 1
        if format.hasHeader {
            p = Self.nextLine(p, end)
            line = 2
        }
        var rows = Rows(format: format, candles: [], firstLine: line, zeroVolumeCount: 0)
        // Real rows are ~60 bytes: this over-reserves a little so the array never regrows.
        rows.candles.reserveCapacity((end - p) / 48)
        try parseRows(from: p, end, line: line, format: format, into: &rows)
        guard !rows.candles.isEmpty else { throw fail(nil, "no candles after the header") }
        return rows
    }

    // MARK: - Hot loop

    private func parseRows(from start: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>, line firstLine: Int,
                           format: CandleFileFormat, into rows: inout Rows) throws(CandleFileError) {
        let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n"), carriageReturn = UInt8(ascii: "\r")
        let isBinance = format != .standard
        let columnCount = format.columnCount
        var p = start
        var line = firstLine
        var previousTime = Int64.min
        var previousLineStart = p

        while p < end {
            let lineStart = p
            if p.pointee == newline || p.pointee == carriageReturn {
                if Self.isBlank(p, end) { return }
                throw fail(line, "empty line")
            }

            guard var time = DecimalParser.parseInteger(&p, end), p < end, p.pointee == comma else {
                throw fieldError(column: 0, lineStart, end, line: line, format: format)
            }
            p += 1
            guard let open = DecimalParser.parseDouble(&p, end), p < end, p.pointee == comma else {
                throw fieldError(column: 1, lineStart, end, line: line, format: format)
            }
            p += 1
            guard let high = DecimalParser.parseDouble(&p, end), p < end, p.pointee == comma else {
                throw fieldError(column: 2, lineStart, end, line: line, format: format)
            }
            p += 1
            guard let low = DecimalParser.parseDouble(&p, end), p < end, p.pointee == comma else {
                throw fieldError(column: 3, lineStart, end, line: line, format: format)
            }
            p += 1
            guard let close = DecimalParser.parseDouble(&p, end), p < end, p.pointee == comma else {
                throw fieldError(column: 4, lineStart, end, line: line, format: format)
            }
            p += 1
            guard let volume = DecimalParser.parseDouble(&p, end) else {
                throw fieldError(column: 5, lineStart, end, line: line, format: format)
            }
            if isBinance {
                // close_time … ignore: not kept, but a row with a non-number there is corrupt.
                for column in 6..<columnCount {
                    guard p < end, p.pointee == comma else {
                        throw fieldError(column: column - 1, lineStart, end, line: line, format: format)
                    }
                    p += 1
                    guard DecimalParser.parseDouble(&p, end) != nil else {
                        throw fieldError(column: column, lineStart, end, line: line, format: format)
                    }
                }
            }
            if p < end, p.pointee == carriageReturn { p += 1 }
            if p < end {
                guard p.pointee == newline else {
                    throw fieldError(column: columnCount - 1, lineStart, end, line: line, format: format)
                }
                p += 1
            }

            if isBinance, time >= Self.microsecondThreshold {
                guard time % 1000 == 0 else {
                    throw fail(line, "open time \(time) is in microseconds but not a whole millisecond")
                }
                time /= 1000
            }
            if let violation = RowRules.check(open: open, high: high, low: low, close: close, volume: volume) {
                let fields = Self.fields(lineStart, end)
                throw fail(line, violation.message(fields: fields, names: format.columnNames))
            }
            guard time > previousTime else {
                throw orderError(lineStart, previousLineStart, end, line: line, duplicate: time == previousTime)
            }
            previousTime = time
            previousLineStart = lineStart
            if volume == 0 { rows.zeroVolumeCount += 1 }
            rows.candles.append(Candle(openTime: time, open: open, high: high, low: low, close: close, volume: volume))
            line += 1
        }
    }

    // MARK: - Errors (slow path)

    private func fail(_ line: Int?, _ message: String) -> CandleFileError {
        CandleFileError(file: fileName, line: line, message: message)
    }

    /// The row failed while reading `column`: either the row has the wrong number of
    /// columns (checked first, since then every later column is misread) or that
    /// column's text is not a number.
    @inline(never)
    private func fieldError(column: Int, _ lineStart: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>,
                            line: Int, format: CandleFileFormat) -> CandleFileError {
        let fields = Self.fields(lineStart, end)
        let names = format.columnNames
        guard fields.count == names.count else {
            return fail(line, "expected \(names.count) columns (\(names.joined(separator: ","))), found \(fields.count):"
                        + " '\(Self.excerpt(Self.lineText(lineStart, end)))'")
        }
        let text = fields[column]
        let name = names[column]
        if text.isEmpty { return fail(line, "\(name) is empty") }
        if column == 0 {
            if text.allSatisfy(\.isASCIIDigit) { return fail(line, "\(name) '\(text)' has more than 18 digits") }
            return fail(line, "\(name) '\(Self.excerpt(text))' is not a whole number")
        }
        if let value = Double(text), !value.isFinite {
            return fail(line, "\(name) '\(Self.excerpt(text))' is not a finite number")
        }
        return fail(line, "\(name) '\(Self.excerpt(text))' is not a decimal number")
    }

    @inline(never)
    private func orderError(_ lineStart: UnsafePointer<UInt8>, _ previousLineStart: UnsafePointer<UInt8>,
                            _ end: UnsafePointer<UInt8>, line: Int, duplicate: Bool) -> CandleFileError {
        let time = Self.fields(lineStart, end)[0]
        let previous = Self.fields(previousLineStart, end)[0]
        if duplicate { return fail(line, "duplicate open time \(time) (same as line \(line - 1))") }
        return fail(line, "open time \(time) is not after \(previous) on line \(line - 1); rows must be in increasing time order")
    }

    // MARK: - Line helpers

    /// The line starting at `p`, without its `\n` or `\r\n`.
    static func lineText(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Substring {
        var q = p
        while q < end, q.pointee != UInt8(ascii: "\n") { q += 1 }
        if q > p, q[-1] == UInt8(ascii: "\r") { q -= 1 }
        return String(decoding: UnsafeBufferPointer(start: p, count: q - p), as: UTF8.self)[...]
    }

    static func fields(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> [Substring] {
        lineText(p, end).split(separator: ",", omittingEmptySubsequences: false)
    }

    static func nextLine(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> UnsafePointer<UInt8> {
        var q = p
        while q < end, q.pointee != UInt8(ascii: "\n") { q += 1 }
        return q < end ? q + 1 : q
    }

    /// True when only line terminators remain: trailing newlines are tolerated.
    static func isBlank(_ p: UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Bool {
        var q = p
        while q < end {
            if q.pointee != UInt8(ascii: "\n"), q.pointee != UInt8(ascii: "\r") { return false }
            q += 1
        }
        return true
    }

    /// Offending text, shortened so one bad line cannot flood a log.
    static func excerpt(_ text: Substring) -> String {
        text.count <= 120 ? String(text) : String(text.prefix(117)) + "..."
    }
}
