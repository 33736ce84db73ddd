import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeVenues

/// Reads the `--data` files into one series per symbol, cut to [from, to].
struct LoadedData {
    var series: [MarketSeries]
    var summaries: [BacktestReport.DataSummary]
    var interval: Timeframe
    var seconds: Double

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

extension Array {
    /// First index whose element satisfies a predicate that is false, then true, along the array.
    func partitionIndex(where belongs: (Element) -> Bool) -> Int {
        var low = 0, high = count
        while low < high {
            let mid = (low + high) / 2
            if belongs(self[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
