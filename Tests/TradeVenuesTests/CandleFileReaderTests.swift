import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeVenues

private let header = "ts,open,high,low,close,volume\n"
/// Three good 1-minute rows; error tests append a bad fourth (line 5).
private let goodRows = """
    1735689600000,93576.0,93610.93,93537.5,93610.93,8.21827
    1735689660000,93610.93,93652.0,93606.0,93650.32,12.32014
    1735689720000,93650.32,93670.0,93611.34,93616.1,7.40271

    """

/// Reads `text` as a file called `name` and returns the error it must raise.
private func readError(_ text: String, name: String = "BTCUSDT-1m.csv",
                       sourceLocation: SourceLocation = #_sourceLocation) throws -> CandleFileError? {
    let path = try TempFiles().write(text, name: name)
    return #expect(throws: CandleFileError.self, sourceLocation: sourceLocation) {
        try CandleFileReader.read(path: path)
    }
}

/// Asserts the error names the file and the line (`name:line: `) and says `what`.
private func expectError(_ text: String, name: String = "BTCUSDT-1m.csv", line: Int?, _ what: String,
                         sourceLocation: SourceLocation = #_sourceLocation) throws {
    let error = try readError(text, name: name, sourceLocation: sourceLocation)
    let prefix = line.map { "\(name):\($0): " } ?? "\(name): "
    #expect(error?.line == line, sourceLocation: sourceLocation)
    #expect(error?.description.hasPrefix(prefix) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
    #expect(error?.message.contains(what) == true, "\(String(describing: error))", sourceLocation: sourceLocation)
}

@Suite struct CandleFileReaderErrorTests {
    @Test func goodRowsRead() throws {
        let file = try CandleFileReader.read(path: try TempFiles().write(header + goodRows, name: "BTCUSDT-1m.csv"))
        #expect(file.candles.count == 3)
        #expect(file.interval == .m1)
        #expect(file.symbol == "BTCUSDT")
        #expect(file.format == .standard)
        #expect(file.candles[1] == Candle(openTime: 1_735_689_660_000, open: 93610.93, high: 93652.0,
                                          low: 93606.0, close: 93650.32, volume: 12.32014))
    }

    @Test func badHeader() throws {
        try expectError("time,open,high,low,close,volume\n" + goodRows, line: 1, "unrecognised header 'time,open")
        // Ours without its header: nothing says the first column is milliseconds.
        try expectError(goodRows, line: 1, "unrecognised header '1735689600000,93576.0")
    }

    @Test func wrongColumnCount() throws {
        try expectError(header + goodRows + "1735689780000,93616.1,93620.0,93600.0,93605.5\n",
                        line: 5, "expected 6 columns (ts,open,high,low,close,volume), found 5: '1735689780000,93616.1")
        try expectError(header + goodRows + "1735689780000,93616.1,93620.0,93600.0,93605.5,1.5,7\n",
                        line: 5, "found 7")
    }

    @Test func nonNumericField() throws {
        try expectError(header + "1735689600000,93576.0,abc,93537.5,93610.93,8.21827\n", line: 2,
                        "high 'abc' is not a decimal number")
        try expectError(header + goodRows + "1735689780000,93616.1,93620.0,93600.0,93605.5,1.5x\n", line: 5,
                        "volume '1.5x' is not a decimal number")
        try expectError(header + goodRows + "1735689780000,,93620.0,93600.0,93605.5,1.5\n", line: 5, "open is empty")
        try expectError(header + "1735689600000.5,93576.0,93610.93,93537.5,93610.93,8.21827\n", line: 2,
                        "ts '1735689600000.5' is not a whole number")
        try expectError(header + "1234567890123456789,93576.0,93610.93,93537.5,93610.93,8.21827\n", line: 2,
                        "has more than 18 digits")
    }

    @Test func notFinite() throws {
        try expectError(header + "1735689600000,nan,93610.93,93537.5,93610.93,8.21827\n", line: 2,
                        "open 'nan' is not a finite number")
        try expectError(header + "1735689600000,93576.0,inf,93537.5,93610.93,8.21827\n", line: 2,
                        "high 'inf' is not a finite number")
        // Decimal syntax, but beyond Double's range.
        try expectError(header + "1735689600000,93576.0,1e999,93537.5,93610.93,8.21827\n", line: 2,
                        "high 1e999 is not a finite number")
    }

    @Test func timeOrder() throws {
        try expectError(header + goodRows + "1735689660000,93616.1,93620.0,93600.0,93605.5,1.5\n", line: 5,
                        "open time 1735689660000 is not after 1735689720000 on line 4")
        try expectError(header + goodRows + "1735689720000,93616.1,93620.0,93600.0,93605.5,1.5\n", line: 5,
                        "duplicate open time 1735689720000 (same as line 4)")
    }

    @Test func inconsistentPrices() throws {
        try expectError(header + goodRows + "1735689780000,93616.1,93500.0,93600.0,93605.5,1.5\n", line: 5,
                        "high 93500.0 is below low 93600.0")
        try expectError(header + goodRows + "1735689780000,93100.0,93000.5,92900.0,92950.0,1.5\n", line: 5,
                        "high 93000.5 is below open 93100.0")
        try expectError(header + goodRows + "1735689780000,93100.0,93200.0,93000.0,93300.0,1.5\n", line: 5,
                        "high 93200.0 is below close 93300.0")
        try expectError(header + goodRows + "1735689780000,93100.0,93200.0,93150.0,93180.0,1.5\n", line: 5,
                        "low 93150.0 is above open 93100.0")
        try expectError(header + goodRows + "1735689780000,93100.0,93200.0,93050.0,93000.0,1.5\n", line: 5,
                        "low 93050.0 is above close 93000.0")
        try expectError(header + goodRows + "1735689780000,0,93200.0,0,93000.0,1.5\n", line: 5, "open 0 is not positive")
        try expectError(header + goodRows + "1735689780000,93100.0,93200.0,-5,93000.0,1.5\n", line: 5,
                        "low -5 is not positive")
    }

    @Test func negativeVolume() throws {
        try expectError(header + goodRows + "1735689780000,93616.1,93620.0,93600.0,93605.5,-1.5\n", line: 5,
                        "volume -1.5 is negative")
    }

    @Test func emptyFile() throws {
        try expectError("", line: nil, "file is empty")
        try expectError("\r\n\n", line: nil, "file is empty")
        try expectError(header, line: nil, "no candles after the header")
        try expectError(header + "\n" + goodRows, line: 2, "empty line")
    }

    @Test func interval() throws {
        // Two-minute steps: consistent, but not an interval the engine knows.
        try expectError(header + "1735689600000,1,1,1,1,1\n1735689720000,1,1,1,1,1\n1735689840000,1,1,1,1,1\n",
                        line: 3, "the most common step between candles, 120000 ms, is not a known interval")
        try expectError(header + goodRows + "1735689810000,93616.1,93620.0,93600.0,93605.5,1.5\n", line: 5,
                        "is 90000 ms after the previous candle, not a multiple of the 1m interval")
        try expectError(header + "1735689630000,1,1,1,1,1\n1735689690000,1,1,1,1,1\n", line: 2,
                        "open time 1735689630000 is not on the 1m UTC grid")
        try expectError(header + "1735689600000,1,1,1,1,1\n", line: nil, "cannot infer the interval from a single candle")

        let single = try TempFiles().write(header + "1735689600000,1,1,1,1,1\n", name: "BTCUSDT-1h.csv")
        #expect(try CandleFileReader.read(path: single, interval: .h1).interval == .h1)
        // A given interval is checked, not trusted.
        let minutes = try TempFiles().write(header + goodRows, name: "BTCUSDT-1m.csv")
        let error = #expect(throws: CandleFileError.self) { try CandleFileReader.read(path: minutes, interval: .m5) }
        #expect(error?.description == "BTCUSDT-1m.csv:3: open time 1735689660000 is 60000 ms after the previous candle,"
                + " not a multiple of the 5m interval")
    }

    @Test func truncatedGzip() throws {
        let whole = try Data(contentsOf: URL(fileURLWithPath: SharedData.data("BTCUSDT-1m-20250520-20250818.csv.gz")))
        let path = try TempFiles().write(whole.prefix(whole.count / 2), name: "BTCUSDT-1m-cut.csv.gz")
        let error = #expect(throws: CandleFileError.self) { try CandleFileReader.read(path: path) }
        #expect(error?.description == "BTCUSDT-1m-cut.csv.gz: truncated gzip data (unexpected end of file)")
    }

    @Test func unreadableFile() throws {
        let path = try TempFiles().folder.appendingPathComponent("ETHUSDT-1m.csv").path
        let error = #expect(throws: CandleFileError.self) { try CandleFileReader.read(path: path) }
        #expect(error?.description.hasPrefix("ETHUSDT-1m.csv: cannot read") == true)
    }

    @Test func symbolFromFileName() throws {
        #expect(SymbolName.infer(fromFileName: "BTCUSDT-1m-20250101-20250204.csv") == "BTCUSDT")
        #expect(SymbolName.infer(fromFileName: "BTC_USDT-1m.csv") == "BTCUSDT")
        #expect(SymbolName.infer(fromFileName: "BTCUSDT-1m-2025-01.csv") == "BTCUSDT")
        #expect(SymbolName.infer(fromFileName: "ETHUSDT-1m-20250520-20250818.csv.gz") == "ETHUSDT")
        #expect(SymbolName.infer(fromFileName: "1INCHUSDT-15m-2025-01.csv") == "1INCHUSDT")
        #expect(SymbolName.infer(fromFileName: "1m.csv") == nil)

        try expectError(header + goodRows, name: "1m-2025.csv", line: nil, "cannot infer the symbol from the file name")
        let path = try TempFiles().write(header + goodRows, name: "1m-2025.csv")
        #expect(try CandleFileReader.read(path: path, symbol: "SOLUSDT").symbol == "SOLUSDT")
    }

    @Test func lineEndings() throws {
        let crlf = (header + goodRows).replacingOccurrences(of: "\n", with: "\r\n")
        let files = try TempFiles()
        for (name, text) in [("A-1m.csv", crlf), ("B-1m.csv", crlf + "\r\n"), ("C-1m.csv", String((header + goodRows).dropLast())),
                             ("D-1m.csv", "\u{FEFF}" + header + goodRows)] {
            let file = try CandleFileReader.read(path: try files.write(text, name: name))
            #expect(file.candles.count == 3, "\(name)")
            #expect(file.candles.last?.volume == 7.40271, "\(name)")
        }
    }
}

/// Row counts, gaps and zero-volume candles of each shared file, as its README states.
struct SharedFileFacts: Sendable {
    let name: String
    let rows: Int
    let interval: Timeframe
    let gaps: Int
    let missing: Int
    let largest: Gap?
    let zeroVolume: Int
}

let sharedFiles: [SharedFileFacts] = [
    .init(name: "BTCUSDT-1m-20250520-20250818.csv.gz", rows: 130_680, interval: .m1, gaps: 0, missing: 0, largest: nil, zeroVolume: 0),
    .init(name: "ETHUSDT-1m-20250520-20250818.csv.gz", rows: 130_680, interval: .m1, gaps: 0, missing: 0, largest: nil, zeroVolume: 0),
    .init(name: "BTCUSDT-1m-20250101-20250204.csv", rows: 50_180, interval: .m1, gaps: 0, missing: 0, largest: nil, zeroVolume: 0),
    .init(name: "ETHUSDT-1m-20250101-20250204.csv", rows: 50_180, interval: .m1, gaps: 0, missing: 0, largest: nil, zeroVolume: 0),
    .init(name: "SOLUSDT-1m-20250101-20250204.csv", rows: 50_180, interval: .m1, gaps: 0, missing: 0, largest: nil, zeroVolume: 0),
    // 2018-02-08 01:00 UTC = 1518051600000; the zero-volume candle is 2023-03-24 12:00.
    .init(name: "BTCUSDT-1h-20170817-20251202.csv", rows: 72_566, interval: .h1, gaps: 29, missing: 131,
          largest: Gap(start: 1_518_051_600_000, missingCandles: 33), zeroVolume: 1),
]

/// "YYYY-MM-DD HH:MM" (UTC) → Unix ms.
private func utcMillis(_ text: String) -> Int64 {
    let formatter = ISO8601DateFormatter()
    let date = formatter.date(from: text.replacingOccurrences(of: " ", with: "T") + ":00Z")!
    return Int64(date.timeIntervalSince1970 * 1000)
}

@Suite struct CandleFileReaderSharedDataTests {
    @Test(arguments: sharedFiles)
    func readsSharedFile(_ facts: SharedFileFacts) throws {
        let file = try CandleFileReader.read(path: SharedData.data(facts.name))
        #expect(file.candles.count == facts.rows)
        #expect(file.interval == facts.interval)
        #expect(file.symbol == String(facts.name.prefix(7)))
        #expect(file.format == .standard)
        #expect(file.gaps.count == facts.gaps)
        #expect(file.gaps.missingCandles == facts.missing)
        #expect(file.gaps.largestGap == facts.largest)
        #expect(file.zeroVolumeCount == facts.zeroVolume)
        // Rows + missing candles span first to last exactly.
        let span = (file.candles.last!.openTime - file.candles.first!.openTime) / facts.interval.milliseconds + 1
        #expect(Int(span) == facts.rows + facts.missing)
    }

    @Test func hourlyGapsAreTheReadmeList() throws {
        let readme = """
            2017-09-06 16:00+7h; 2018-01-04 04:00+1h; 2018-02-08 01:00+33h; 2018-06-26 02:00+10h; 2018-06-27 13:00+1h;
            2018-07-04 01:00+7h; 2018-10-19 06:00+3h; 2018-11-14 02:00+7h; 2019-03-12 02:00+6h; 2019-05-15 03:00+10h;
            2019-06-07 21:00+1h; 2019-08-15 02:00+8h; 2019-11-13 02:00+2h; 2019-11-25 02:00+2h; 2020-02-09 02:00+1h;
            2020-02-19 12:00+5h; 2020-03-04 10:00+1h; 2020-04-25 02:00+2h; 2020-06-28 02:00+3h; 2020-11-30 06:00+1h;
            2020-12-21 14:00+4h; 2020-12-25 02:00+1h; 2021-02-11 03:00+2h; 2021-03-06 02:00+1h; 2021-04-20 02:00+2h;
            2021-04-25 05:00+3h; 2021-08-13 02:00+4h; 2021-09-29 07:00+2h; 2023-03-24 13:00+1h
            """
        let expected = readme.split(separator: ";").map { item in
            let parts = item.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: "+")
            return Gap(start: utcMillis(String(parts[0])), missingCandles: Int(parts[1].dropLast())!)
        }
        let file = try CandleFileReader.read(path: SharedData.data("BTCUSDT-1h-20170817-20251202.csv"))
        #expect(file.gaps.gaps == expected)
        #expect(file.candles.first == Candle(openTime: 1_502_942_400_000, open: 4261.48, high: 4313.62,
                                             low: 4261.32, close: 4308.83, volume: 47.181009))
        let zeroVolume = file.candles.filter { $0.volume == 0 }.map(\.openTime)
        #expect(zeroVolume == [utcMillis("2023-03-24 12:00")])
    }

    /// Every field of every shared file, against `Int64(String)` / `Double(String)`,
    /// to the bit (`==` alone would accept -0.0 for 0.0).
    @Test(arguments: sharedFiles.map(\.name))
    func parsedNumbersAreBitIdenticalToDoubleInit(_ name: String) throws {
        let path = SharedData.data(name)
        let candles = try CandleFileReader.read(path: path).candles
        let rows = try SharedData.csvRows(path).rows
        #expect(candles.count == rows.count)
        var mismatches = 0
        for (candle, row) in zip(candles, rows) {
            let parsed = [candle.open, candle.high, candle.low, candle.close, candle.volume]
            if candle.openTime != Int64(row[0])! { mismatches += 1 }
            for (value, text) in zip(parsed, row[1...]) where value.bitPattern != Double(text)!.bitPattern {
                mismatches += 1
            }
        }
        #expect(mismatches == 0)
    }

    @Test func gzipEqualsUncompressed() throws {
        let name = "BTCUSDT-1m-20250520-20250818.csv"
        let plain = try TempFiles().write(try Gzip.readMaybeCompressed(path: SharedData.data(name + ".gz")), name: name)
        let fromGzip = try CandleFileReader.read(path: SharedData.data(name + ".gz"))
        let fromPlain = try CandleFileReader.read(path: plain)
        #expect(fromGzip.candles == fromPlain.candles)
        #expect(fromGzip.gaps == fromPlain.gaps)
        #expect(fromGzip.symbol == fromPlain.symbol)
    }
}

@Suite struct BinanceKlineTests {
    /// A Binance kline row as data.binance.vision writes it, open/close time in `unit` ms (1) or µs (1000).
    private func klineRow(_ c: Candle, unit: Int64) -> String {
        let closeTime = (c.openTime + 60_000) * unit - 1
        return "\(c.openTime * unit),\(c.open),\(c.high),\(c.low),\(c.close),\(c.volume),\(closeTime),"
            + "\(c.volume * c.close),\(Int(c.volume * 100)),\(c.volume / 2),\(c.volume * c.close / 2),0"
    }

    private let klineHeader = "open_time,open,high,low,close,volume,close_time,quote_volume,count,"
        + "taker_buy_volume,taker_buy_quote_volume,ignore"

    @Test func roundTripsMillisecondsAndMicroseconds() throws {
        let original = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 2_000)
        let files = try TempFiles()
        let cases: [(String, String, Bool)] = [
            ("ms", original.map { klineRow($0, unit: 1) + "\n" }.joined(), false),
            ("us", original.map { klineRow($0, unit: 1_000) + "\n" }.joined(), false),
            ("us-header", klineHeader + "\n" + original.map { klineRow($0, unit: 1_000) + "\n" }.joined(), true),
            ("ms-crlf", original.map { klineRow($0, unit: 1) + "\r\n" }.joined(), false),
            // A 2024 monthly file (ms) followed by a 2025 one (µs), concatenated.
            ("mixed", original.enumerated().map { klineRow($1, unit: $0 < 1_000 ? 1 : 1_000) + "\n" }.joined(), false),
        ]
        for (label, text, hasHeader) in cases {
            let file = try CandleFileReader.read(path: try files.write(text, name: "BTCUSDT-1m-2025-01-\(label).csv"))
            #expect(file.format == .binanceKlines(hasHeader: hasHeader), "\(label)")
            #expect(file.symbol == "BTCUSDT", "\(label)")
            #expect(file.interval == .m1, "\(label)")
            #expect(file.candles == original, "\(label)")
        }
    }

    @Test func errorsNameBinanceColumns() throws {
        let c = Candle(openTime: 1_735_689_600_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3)
        let good = klineRow(c, unit: 1)
        let next = klineRow(Candle(openTime: 1_735_689_660_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3), unit: 1)
        try expectError(good + "\n" + next.dropLast() + "x\n", name: "BTCUSDT-1m-2025-01.csv", line: 2,
                        "ignore 'x' is not a decimal number")
        try expectError(good + ",5\n", name: "BTCUSDT-1m-2025-01.csv", line: 1, "unrecognised header")
        try expectError(good + "\n" + "1735689660000,1,2,0.5,1.5,3\n", name: "BTCUSDT-1m-2025-01.csv", line: 2,
                        "expected 12 columns (open_time,open,high,low,close,volume,close_time,")
        let micro = klineRow(c, unit: 1_000).replacingOccurrences(of: "1735689600000000,", with: "1735689600000123,")
        try expectError(micro + "\n", name: "BTCUSDT-1m-2025-01.csv", line: 1,
                        "open time 1735689600000123 is in microseconds but not a whole millisecond")
    }
}
