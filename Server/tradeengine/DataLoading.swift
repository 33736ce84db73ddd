import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeStore
import TradeVenues

/// Reads the `--data` files into one series per symbol, cut to [from, to].
struct LoadedData {
    var series: [MarketSeries]
    var summaries: [BacktestReport.DataSummary]
    var interval: Timeframe
    var seconds: Double

    /// The engine configuration the settings give these symbols, and the series
    /// carrying its instruments (tick, lot and minimum notional overrides).
    func configured(with settings: RunSettings) -> (EngineConfiguration, [MarketSeries]) {
        var configuration = EngineConfiguration(instruments: series.map(\.instrument))
        settings.apply(to: &configuration)
        let configured = series.enumerated().map { i, s in
            MarketSeries(instrument: configuration.instruments[i], candles: s.candles, firstBarIndex: s.firstBarIndex)
        }
        return (configuration, configured)
    }

    static func load(paths: [String], from: Int64?, to: Int64?) throws -> LoadedData {
        guard !paths.isEmpty else { throw ValidationError("give at least one --data FILE") }
        if let from, let to, from > to { throw ValidationError("--from is after --to") }
        let start = DispatchTime.now().uptimeNanoseconds
        var series: [MarketSeries] = []
        var summaries: [BacktestReport.DataSummary] = []
        var interval: Timeframe?
        for path in paths {
            let file: CandleFile
            do { file = try CandleFileReader.read(path: path) } catch { throw CommandFailure(error.description) }
            if let interval, interval != file.interval {
                throw CommandFailure("\(path) has \(file.interval) candles but an earlier file has \(interval); all --data files must share one interval")
            }
            interval = file.interval
            if series.contains(where: { $0.instrument.symbol == file.symbol }) {
                throw ValidationError("\(file.symbol) is given twice (\(path)); pass one file per symbol")
            }
            let lower = from.map { f in file.candles.partitionIndex { $0.openTime >= f } } ?? 0
            let upper = to.map { t in file.candles.partitionIndex { $0.openTime > t } } ?? file.candles.count
            guard lower < upper else {
                throw CommandFailure("\(path) has no candles between --from and --to")
            }
            let candles = Array(file.candles[lower..<upper])
            series.append(MarketSeries(instrument: .spot(file.symbol), candles: candles, firstBarIndex: lower))
            summaries.append(.init(file: (path as NSString).lastPathComponent, symbol: file.symbol,
                                   interval: file.interval.name, rows: candles.count,
                                   firstOpenTime: candles.first!.openTime, lastOpenTime: candles.last!.openTime,
                                   gapCount: file.gaps.count, missingCandles: file.gaps.missingCandles,
                                   largestGapStart: file.gaps.largestGap?.start,
                                   largestGapMissing: file.gaps.largestGap?.missingCandles ?? 0,
                                   zeroVolumeCandles: file.zeroVolumeCount))
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return LoadedData(series: series, summaries: summaries, interval: interval!, seconds: seconds)
    }
}

extension LoadedData {
    /// Reads `symbols` from the store, cut to [from, to]. Bar indices count the
    /// stored candles before `from`, as a file's row numbers do, so a backtest from
    /// the store of an imported file reports the same bars as one from the file.
    static func load(store path: String, venue: String, symbols: [String], interval: Timeframe?,
                     from: Int64?, to: Int64?) throws -> LoadedData {
        if let from, let to, from > to { throw ValidationError("--from is after --to") }
        guard Set(symbols).count == symbols.count else { throw ValidationError("a symbol is given twice in --symbols") }
        guard FileManager.default.fileExists(atPath: path) else {
            throw CommandFailure("there is no store at \(path); create it with tradeengine import FILE --db \(path)")
        }
        let start = DispatchTime.now().uptimeNanoseconds
        do {
            let store = try TradeStore(path: path)
            let stored = try store.candles.series().filter { $0.key.venue == venue }
            var series: [MarketSeries] = []
            var summaries: [BacktestReport.DataSummary] = []
            var chosen: Timeframe?
            for symbol in symbols {
                let available = stored.filter { $0.key.symbol == symbol }.map(\.key.interval)
                guard !available.isEmpty else {
                    throw CommandFailure("\(path) holds no \(venue) candles for \(symbol); import them first (tradeengine import FILE --db \(path))")
                }
                let timeframe: Timeframe
                if let wanted = interval ?? chosen {
                    guard available.contains(wanted) else {
                        throw CommandFailure("\(path) holds \(symbol) only at \(available.map(\.name).joined(separator: ", ")), not \(wanted.name)")
                    }
                    timeframe = wanted
                } else {
                    guard available.count == 1 else {
                        throw CommandFailure("\(path) holds \(symbol) at \(available.map(\.name).joined(separator: ", ")); pass --interval")
                    }
                    timeframe = available[0]
                }
                chosen = timeframe
                let key = CandleSeriesKey(venue: venue, symbol: symbol, interval: timeframe)
                let (candles, firstBarIndex) = try store.candles.window(key, from: from, to: to)
                guard let first = candles.first, let last = candles.last else {
                    throw CommandFailure("\(path) has no \(key) candles between --from and --to")
                }
                let gaps = GapReport(candles: candles, interval: timeframe)
                series.append(MarketSeries(instrument: .spot(symbol), candles: candles, firstBarIndex: firstBarIndex))
                summaries.append(.init(file: "store:\(key)", symbol: symbol, interval: timeframe.name, rows: candles.count,
                                       firstOpenTime: first.openTime, lastOpenTime: last.openTime,
                                       gapCount: gaps.count, missingCandles: gaps.missingCandles,
                                       largestGapStart: gaps.largestGap?.start,
                                       largestGapMissing: gaps.largestGap?.missingCandles ?? 0,
                                       zeroVolumeCandles: candles.reduce(0) { $0 + ($1.volume == 0 ? 1 : 0) }))
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return LoadedData(series: series, summaries: summaries, interval: chosen!, seconds: seconds)
        } catch let error as TradeStoreError {
            throw CommandFailure(error.description)
        }
    }
}
