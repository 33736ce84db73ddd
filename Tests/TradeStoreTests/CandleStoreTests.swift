import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeVenues
@testable import TradeStore

private let btc = CandleSeriesKey(venue: "binance", symbol: "BTCUSDT", interval: .m1)

@Suite struct CandleStoreTests {
    @Test func importingTheSameCandlesTwiceLeavesTheSameRows() throws {
        let store = try makeStore()
        let candles = try realCandles(5_000)
        #expect(try store.candles.upsert(candles, into: btc) == CandleUpsertResult(inserted: 5_000))
        let dumpSQL = "SELECT quote(series_id) || ',' || quote(open_time) || ',' || quote(open) || ',' || quote(high) || ',' "
            + "|| quote(low) || ',' || quote(close) || ',' || quote(volume) FROM candles ORDER BY series_id, open_time"
        let before = try store.read { db in try String.fetchAll(db, sql: dumpSQL) }
        #expect(try store.candles.upsert(candles, into: btc) == CandleUpsertResult(unchanged: 5_000))
        #expect(try store.read { db in try String.fetchAll(db, sql: dumpSQL) } == before)
        #expect(before.count == 5_000)
        #expect(try store.candles.range(btc) == candles)
    }

    @Test func changedValuesAreUpdatedAndNewTimesInserted() throws {
        let store = try makeStore()
        let candles = try realCandles(2_000)
        try store.candles.upsert(Array(candles[0..<1_000]), into: btc)
        // A corrected re-download: 10 candles with another volume, plus 1,000 new minutes.
        var next = Array(candles[500..<2_000])
        for i in stride(from: 0, to: 100, by: 10) { next[i].volume += 1 }
        let result = try store.candles.upsert(next, into: btc)
        #expect(result == CandleUpsertResult(inserted: 1_000, updated: 10, unchanged: 490))
        var expected = candles
        for i in stride(from: 0, to: 100, by: 10) { expected[500 + i].volume += 1 }
        #expect(try store.candles.range(btc) == expected)
    }

    @Test func rangesCountsAndSeries() throws {
        let store = try makeStore()
        let candles = try realCandles(1_000)
        try store.candles.upsert(candles, into: btc)
        let eth = CandleSeriesKey(venue: "binance", symbol: "ETHUSDT", interval: .m1)
        try store.candles.upsert(Array(candles[0..<10]), into: eth)
        let from = candles[100].openTime, to = candles[199].openTime
        #expect(try store.candles.range(btc, from: from, to: to) == Array(candles[100...199]))
        #expect(try store.candles.range(btc, from: from) == Array(candles[100...]))
        #expect(try store.candles.range(btc, to: candles[9].openTime) == Array(candles[0..<10]))
        #expect(try store.candles.count(btc, before: from) == 100)
        #expect(try store.candles.range(CandleSeriesKey(venue: "kraken", symbol: "BTCUSDT", interval: .m1)).isEmpty)
        let series = try store.candles.series()
        #expect(series.map(\.key) == [btc, eth])
        #expect(series[0].count == 1_000 && series[0].firstOpenTime == candles[0].openTime
                && series[0].lastOpenTime == candles[999].openTime)
    }

    @Test func rowsOutOfOrderOrOffTheGridAreRefusedWhole() throws {
        let store = try makeStore()
        let candles = try realCandles(10)
        var swapped = candles
        swapped.swapAt(3, 4)
        var offGrid = candles
        offGrid[5].openTime += 1_000
        for bad in [swapped, candles + [candles[9]], offGrid] {
            #expect { try store.candles.upsert(bad, into: btc) } throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
        }
        #expect(try store.candles.range(btc).isEmpty)
        #expect { try store.candles.upsert(candles, into: CandleSeriesKey(venue: "", symbol: "BTCUSDT", interval: .m1)) }
            throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
    }

    /// The store is a faithful data source: a backtest over stored candles makes the
    /// same orders, fills (bar indices included) and equity as over the files.
    @Test func aBacktestFromTheStoreEqualsOneFromTheFiles() throws {
        let store = try makeStore()
        let files = ["BTCUSDT-1m-20250520-20250818.csv.gz", "ETHUSDT-1m-20250520-20250818.csv.gz"]
        let read = try files.map { try CandleFileReader.read(path: SharedData.data($0)) }
        for file in read {
            try store.candles.upsert(file.candles, into: CandleSeriesKey(venue: "binance", symbol: file.symbol, interval: file.interval))
        }
        let from = read[0].candles[20_000].openTime
        let fromFiles = read.map { file in
            let lower = file.candles.firstIndex { $0.openTime >= from }!
            return MarketSeries(instrument: .spot(file.symbol), candles: Array(file.candles[lower...]), firstBarIndex: lower)
        }
        let fromStore = try read.map { file in
            let key = CandleSeriesKey(venue: "binance", symbol: file.symbol, interval: file.interval)
            return MarketSeries(instrument: .spot(file.symbol), candles: try store.candles.range(key, from: from),
                                firstBarIndex: try store.candles.count(key, before: from))
        }
        func run(_ series: [MarketSeries]) throws -> BacktestResult {
            let configuration = EngineConfiguration(instruments: series.map(\.instrument))
            return try StrategyCatalog.run(name: "ema_cross_rsi", series: series, configuration: configuration,
                                           settings: RunSettings(), baseTimeframe: .m1)
        }
        let a = try run(fromFiles), b = try run(fromStore)
        #expect(a.fills.count > 10)
        #expect(a.fills == b.fills)
        #expect(a.orders == b.orders)
        #expect(a.finalEquity == b.finalEquity)
    }
}
