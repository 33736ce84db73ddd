import Foundation
import TradeCore
import TradeEngine
import TradeStore
import TradeVenues

/// Candle files for a replay, read and checked before a run starts: paths must
/// lie inside the server's data directories (a remote caller must not be able
/// to make the server read arbitrary files), one file per symbol, one interval.
struct ReplayData {
    /// Recorded candles (files or the store); empty for a live feed.
    var series: [MarketSeries]
    var interval: Timeframe
    /// A paper run's live feed: where it connects and the buffer it fills.
    var live: LiveFeedPlan?

    /// Where the run's candles come from: the series, or the feed's buffer.
    let source: CandleSource

    init(series: [MarketSeries], interval: Timeframe, live: LiveFeedPlan? = nil) {
        self.series = series
        self.interval = interval
        self.live = live
        source = live?.buffer ?? SeriesCandleSource(series)
    }

    var instruments: [Instrument] { source.instruments }
    /// Open time of the run's first candle (a feed's backfill start).
    var firstTime: Int64 { source.firstOpenTime ?? 0 }

    static func load(paths: [String], dataDirectories: [String], from: Int64?, to: Int64?) throws(HostError) -> ReplayData {
        guard !paths.isEmpty else { throw .invalidArgument("give at least one data file") }
        if let from, let to, from >= to { throw .invalidArgument("the window is empty: from must be before to") }
        let roots = dataDirectories.map { URL(fileURLWithPath: $0).standardizedFileURL.resolvingSymlinksInPath().path }
        guard !roots.isEmpty else { throw .failedPrecondition("this server has no data directory; start it with --data-dir DIR") }
        var series: [MarketSeries] = []
        var interval: Timeframe?
        for path in paths {
            let resolved = try resolve(path, roots: roots)
            let file: CandleFile
            do { file = try CandleFileReader.read(path: resolved) }
            catch { throw .invalidArgument("\(path): \(error)") }
            if let interval, interval != file.interval {
                throw .invalidArgument("\(path) has \(file.interval) candles but an earlier file has \(interval); use one interval")
            }
            interval = file.interval
            if series.contains(where: { $0.instrument.symbol == file.symbol }) {
                throw .invalidArgument("\(file.symbol) is given twice; pass one file per symbol")
            }
            let lower = from.map { f in firstIndex(file.candles) { $0.openTime >= f } } ?? 0
            let upper = to.map { t in firstIndex(file.candles) { $0.openTime >= t } } ?? file.candles.count
            guard lower < upper else { throw .invalidArgument("\(path) has no candles in the requested window") }
            series.append(MarketSeries(instrument: .spot(file.symbol), candles: Array(file.candles[lower..<upper]),
                                       firstBarIndex: lower))
        }
        return ReplayData(series: series, interval: interval!)
    }

    /// Candles imported into the engine's database (`tradeengine import`), one
    /// series per symbol at `interval` ("1m"), from the Binance venue.
    static func load(store: TradeStore, symbols: [String], interval: String, from: Int64?, to: Int64?,
                     venue: String = "binance") throws(HostError) -> ReplayData {
        guard !symbols.isEmpty else { throw .invalidArgument("give at least one symbol") }
        guard Set(symbols).count == symbols.count else { throw .invalidArgument("a symbol is given twice") }
        guard let timeframe = Timeframe(name: interval.isEmpty ? "1m" : interval) else {
            throw .invalidArgument("unknown interval '\(interval)'; use one of \(Timeframe.allCases.map(\.name).joined(separator: ", "))")
        }
        if let from, let to, from >= to { throw .invalidArgument("the window is empty: from must be before to") }
        var series: [MarketSeries] = []
        do {
            for symbol in symbols {
                let key = CandleSeriesKey(venue: venue, symbol: symbol, interval: timeframe)
                // The store's range is inclusive; the window is [from, to).
                let window = try store.candles.window(key, from: from, to: to.map { $0 - 1 })
                guard !window.candles.isEmpty else {
                    throw HostError.invalidArgument("the store has no \(key) candles\(from != nil || to != nil ? " in the requested window" : ""); import them with `tradeengine import FILE --db …`")
                }
                series.append(MarketSeries(instrument: .spot(symbol), candles: window.candles, firstBarIndex: window.firstBarIndex))
            }
        } catch let error as HostError {
            throw error
        } catch {
            throw .unavailable("reading candles from the store failed: \(error)")
        }
        return ReplayData(series: series, interval: timeframe)
    }

    /// A relative path is looked up in each data directory in turn; an absolute
    /// one must already be inside one of them.
    private static func resolve(_ path: String, roots: [String]) throws(HostError) -> String {
        let candidates = path.hasPrefix("/") ? [path] : roots.map { ($0 as NSString).appendingPathComponent(path) }
        for candidate in candidates {
            let real = URL(fileURLWithPath: candidate).standardizedFileURL.resolvingSymlinksInPath().path
            guard roots.contains(where: { real == $0 || real.hasPrefix($0 + "/") }) else { continue }
            if FileManager.default.fileExists(atPath: real) { return real }
        }
        if path.hasPrefix("/") && !roots.contains(where: { path.hasPrefix($0 + "/") }) {
            throw .invalidArgument("\(path) is outside the server's data directories (\(roots.joined(separator: ", ")))")
        }
        throw .invalidArgument("no data file \(path) in the server's data directories (\(roots.joined(separator: ", ")))")
    }

    private static func firstIndex(_ candles: [Candle], where belongs: (Candle) -> Bool) -> Int {
        var low = 0, high = candles.count
        while low < high {
            let mid = (low + high) / 2
            if belongs(candles[mid]) { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
