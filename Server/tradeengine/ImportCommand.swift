import ArgumentParser
import Foundation
import TradeCore
import TradeStore
import TradeVenues

struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Load candle files into the store (upsert: importing a file twice changes nothing).",
        discussion: """
        Files are read and validated exactly as `backtest --data` reads them (our CSV, .csv.gz, Binance
        klines); a bad row stops the import of that file before anything of it is stored. Candles are keyed
        by (venue, symbol, interval, open time): a new key is inserted, a stored one with other values is
        replaced, an identical one is left alone. Gaps are reported, never filled.
        Example: tradeengine import ../shared/data/BTCUSDT-1m-20250101-20250204.csv --db var/tradeengine.sqlite
        """)

    @Argument(help: ArgumentHelp("Candle files to import.", valueName: "FILE"))
    var files: [String]

    @Option(name: .long, help: ArgumentHelp("The store (created if absent).", valueName: "PATH"))
    var db = TradeStore.defaultPath

    @Option(name: .long, help: "Venue the candles come from.")
    var venue = "binance"

    func run() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one candle FILE to import") }
        let store: TradeStore
        do { store = try TradeStore(path: db) } catch { throw CommandFailure(error.description) }
        var total = CandleUpsertResult()
        for path in files {
            let started = DispatchTime.now().uptimeNanoseconds
            let file: CandleFile
            do { file = try CandleFileReader.read(path: path) } catch { throw CommandFailure(error.description) }
            let key = CandleSeriesKey(venue: venue, symbol: file.symbol, interval: file.interval)
            let result: CandleUpsertResult
            do { result = try store.candles.upsert(file.candles, into: key) } catch { throw CommandFailure(error.description) }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            total.inserted += result.inserted
            total.updated += result.updated
            total.unchanged += result.unchanged
            print("\((path as NSString).lastPathComponent): \(key), \(file.candles.count) rows: "
                  + "\(result.inserted) inserted, \(result.updated) updated, \(result.unchanged) unchanged "
                  + "(\(String(format: "%.2f", seconds)) s)")
            print("  " + Self.describe(file.gaps, interval: file.interval))
        }
        if files.count > 1 {
            print("total: \(total.inserted) inserted, \(total.updated) updated, \(total.unchanged) unchanged")
        }
        print("store: \(store.path)")
    }

    /// "gaps: none" or "gaps: 3 (12 candles missing; largest 5 from 2025-01-03T04:05:00Z)".
    static func describe(_ gaps: GapReport, interval: Timeframe) -> String {
        guard let largest = gaps.largestGap else { return "gaps: none" }
        return "gaps: \(gaps.count) (\(gaps.missingCandles) \(interval.name) candles missing; largest "
            + "\(largest.missingCandles) from \(TimeArgument.format(largest.start)))"
    }
}
