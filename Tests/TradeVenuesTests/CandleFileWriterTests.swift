import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeVenues

@Suite struct CandleFileWriterTests {
    /// The writer reproduces every shared file byte for byte: the files hold the
    /// shortest round-trip text of each number, which is what the writer prints.
    @Test(arguments: sharedFiles.map(\.name))
    func rewritesSharedFileIdentically(_ name: String) throws {
        let path = SharedData.data(name)
        let file = try CandleFileReader.read(path: path)
        let original = String(decoding: try Gzip.readMaybeCompressed(path: path), as: UTF8.self)
        #expect(try CandleFileWriter.csv(file.candles) == original)
    }

    @Test func roundTripsThroughAFile() throws {
        let candles = [
            Candle(openTime: 1_735_689_600_000, open: 0.00009, high: 0.0001, low: 0.000012345, close: 0.00009, volume: 1e16),
            Candle(openTime: 1_735_689_660_000, open: 93576.0, high: 93610.93, low: 93537.5, close: 93610.93, volume: 0),
            Candle(openTime: 1_735_689_720_000, open: 0.1 + 0.2, high: 1.0 / 3.0, low: 0.3, close: 0.3, volume: 2.5e-8),
        ]
        let path = try TempFiles().folder.appendingPathComponent("PEPEUSDT-1m-export.csv").path
        try CandleFileWriter.write(candles, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(!text.split(separator: "\n").dropFirst().contains { $0.contains("e") }, "\(text)")
        let file = try CandleFileReader.read(path: path)
        #expect(file.candles.map(\.open.bitPattern) == candles.map(\.open.bitPattern))
        #expect(file.candles == candles)
        #expect(file.symbol == "PEPEUSDT")
        #expect(file.zeroVolumeCount == 1)
    }

    @Test func numbersHaveNoExponent() {
        let expected: [(Double, String)] = [
            (0.00009, "0.00009"), (1e16, "10000000000000000.0"), (1.5e-7, "0.00000015"), (-2.5e-5, "-0.000025"),
            (123_456_789_012_345_680_000.0, "123456789012345680000.0"), (2531.0, "2531.0"), (93610.93, "93610.93"),
            (0.0001, "0.0001"), (1.2345e17, "123450000000000000.0"), (Double.leastNonzeroMagnitude, "0." + String(repeating: "0", count: 323) + "5"),
        ]
        for (value, text) in expected {
            #expect(CandleFileWriter.number(value) == text)
            #expect(Double(text)?.bitPattern == value.bitPattern, "\(text)")
        }
    }

    @Test func refusesRowsTheReaderWouldReject() {
        let good = Candle(openTime: 60_000, open: 2, high: 3, low: 1, close: 2, volume: 1)
        var bad = good
        bad.openTime = 120_000
        bad.high = 1.5
        let error = #expect(throws: CandleFileError.self) { try CandleFileWriter.csv([good, bad], name: "x.csv") }
        #expect(error?.description == "x.csv:3: cannot write: high 1.5 is below open 2.0")
        let order = #expect(throws: CandleFileError.self) { try CandleFileWriter.csv([good, good], name: "x.csv") }
        #expect(order?.description == "x.csv:3: cannot write: open time 60000 is not after 60000 on line 2")
    }
}
