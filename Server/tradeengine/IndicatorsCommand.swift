import ArgumentParser
import Foundation
import TradeCore
import TradeVenues

struct IndicatorsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "indicators",
        abstract: "Write every indicator for every candle, in the TA-Lib reference files' columns.",
        discussion: """
        Columns: \(IndicatorExport.header)
        Same names and parameters as ../shared/reference/*.talib.csv.gz; empty cells during warm-up;
        numbers in shortest round-trip form. Check our values against any other library with it.
        """)

    @Option(name: .long, help: ArgumentHelp("Candle file (.csv, .csv.gz or Binance klines).", valueName: "FILE"))
    var data: String

    @Option(name: .long, help: ArgumentHelp("Output CSV (default: standard output).", valueName: "FILE.csv"))
    var out: String?

    func run() throws {
        let file: CandleFile
        do { file = try CandleFileReader.read(path: data) } catch { throw CommandFailure(error.description) }
        var writer = IndicatorExport.Writer()
        var text = IndicatorExport.header + "\n"
        text.reserveCapacity(file.candles.count * 320)
        for candle in file.candles { writer.appendLine(for: candle, to: &text) }
        if let out {
            try write(text, to: out)
            FileHandle.standardError.write(Data("wrote \(file.candles.count) rows to \(out)\n".utf8))
        } else {
            FileHandle.standardOutput.write(Data(text.utf8))
        }
    }
}
