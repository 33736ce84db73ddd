import Foundation
import Logging
import Testing
import TestSupport
import TradeCore
import TradeVenues

/// The market-data adapters against the real simulator binary: REST backfill,
/// the kline stream, holes filled from REST, reconnects — on both venues, with
/// and without a fault schedule. What reaches the buffer must be exactly the
/// files' candles, in the order a backtest of them sees.
@Suite(.serialized) struct LiveFeedTests {
    static let btc = SharedData.data("BTCUSDT-1m-20250101-20250204.csv")
    static let eth = SharedData.data("ETHUSDT-1m-20250101-20250204.csv")

    /// The files' candles from `start`, merged as a backtest merges them.
    func expected(_ files: [String], from start: Int64, count: Int) throws -> [String] {
        let series = try files.map { try CandleFileReader.read(path: $0).candles.filter { $0.openTime >= start } }
        var out: [String] = []
        var cursor = Array(repeating: 0, count: series.count)
        while out.count < count {
            var best: Int?
            for k in series.indices where cursor[k] < series[k].count {
                if best == nil || series[k][cursor[k]].openTime < series[best!][cursor[best!]].openTime { best = k }
            }
            guard let k = best else { break }
            out.append(Self.line(k, series[k][cursor[k]]))
            cursor[k] += 1
        }
        return out
    }

    static func firstDifference(_ a: [String], _ b: [String]) -> String {
        guard let i = zip(a, b).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset else { return "none (lengths \(a.count), \(b.count))" }
        return "\(i): got \(a[i]), want \(b[i])"
    }

    static func line(_ k: Int, _ c: Candle) -> String { "\(k) \(c.openTime) \(c.open) \(c.high) \(c.low) \(c.close) \(c.volume)" }

    /// Runs a feed against a simulator until `count` candles are in the buffer (or 240 s pass: a loaded
    /// 2-core machine running the other suites beside it can make a REST round trip take seconds).
    func collect(venue: String, files: [String], from start: Int64, marketStart: Int64, count: Int, speed: String,
                 faults: String? = nil, stale: Int64 = 2_000) async throws -> (lines: [String], status: FeedStatus, simErr: String) {
        var args = ["venue-sim", "--listen", "127.0.0.1:0", "--venue", venue, "--speed", speed, "--start", String(marketStart)]
        for f in files { args += ["--data", f] }
        let faultFile = FileManager.default.temporaryDirectory.appendingPathComponent("feed-faults-\(UUID().uuidString).json")
        if let faults {
            try Data(faults.utf8).write(to: faultFile)
            args += ["--faults", faultFile.path]
        }
        defer { try? FileManager.default.removeItem(at: faultFile) }
        let sim = try ListeningProcess(Binaries.tradeengine, args)
        defer { sim.stop() }
        let symbols = try files.map { try CandleFileReader.read(path: $0).symbol }
        let dialect: any MarketDataDialect = venue == "bybit" ? BybitMarketData() : BinanceMarketData()
        var settings = FeedSettings(dialect: dialect, endpoint: "http://\(sim.address)", symbols: symbols)
        settings.timing.staleAfterMilliseconds = stale
        settings.timing.backoffBaseMilliseconds = 50
        settings.timing.backoffCapMilliseconds = 400
        settings.timing.breakerCoolOffMilliseconds = 300
        let buffer = LiveCandleBuffer(instruments: symbols.map { .spot($0) }, start: start, venue: venue)
        let feed = LiveKlineFeed(settings: settings, buffer: buffer, logger: Logger(label: "test.feed"))
        let task = Task { await feed.run() }
        var lines: [String] = []
        var cursor = Array(repeating: 0, count: symbols.count)
        let deadline = Date().addingTimeInterval(240)
        while lines.count < count && Date() < deadline {
            // Read as the engine does: the earliest ready candle, ties in symbol order.
            var best: (Int, Candle)?
            for k in symbols.indices {
                if let c = buffer.candle(symbol: k, index: cursor[k]), best == nil || c.openTime < best!.1.openTime { best = (k, c) }
            }
            guard let (k, c) = best else { try await Task.sleep(for: .milliseconds(5)); continue }
            lines.append(Self.line(k, c))
            cursor[k] += 1
            buffer.consumed(symbol: k, below: cursor[k])
        }
        let status = buffer.status
        task.cancel()
        await task.value
        return (lines, status, sim.stderr)
    }

    @Test func binanceBackfillThenStreamGivesTheFilesCandlesInBacktestOrder() async throws {
        let file = try CandleFileReader.read(path: Self.btc)
        let marketStart = file.candles[3_000].openTime
        // 2,000 minutes of history from REST (two pages), then 400 more from the stream at 6000x (10 ms a candle).
        let start = file.candles[1_000].openTime
        let (lines, status, simErr) = try await collect(venue: "binance", files: [Self.btc, Self.eth], from: start,
                                                        marketStart: marketStart, count: 4_800, speed: "6000x")
        let want = try expected([Self.btc, Self.eth], from: start, count: 4_800)
        #expect(lines.count == want.count, "\(status) \(simErr.suffix(500))")
        #expect(lines == want, "first difference at \(Self.firstDifference(lines, want))")
        // Whether the stream is up at this instant depends on the machine's load (a stall past the
        // stale threshold remakes it); what must hold is that the history came from REST.
        #expect(status.backfilledCandles >= 4_000, "\(status)")
    }

    @Test func bybitBackfillThenStreamGivesTheFilesCandles() async throws {
        let file = try CandleFileReader.read(path: Self.btc)
        let start = file.candles[1_000].openTime
        let (lines, status, simErr) = try await collect(venue: "bybit", files: [Self.btc], from: start,
                                                        marketStart: file.candles[2_200].openTime, count: 1_600, speed: "6000x")
        let want = try expected([Self.btc], from: start, count: 1_600)
        #expect(lines == want, "\(status) \(simErr.suffix(500)) first difference at \(Self.firstDifference(lines, want))")
        #expect(status.backfilledCandles >= 1_200, "\(status)")
    }

    @Test func disconnectsAStaleWindowDuplicatesReorderingAndA429StormLoseNothingAndInventNothing() async throws {
        let file = try CandleFileReader.read(path: Self.btc)
        let start = file.candles[1_000].openTime
        // The stream runs from the start at 3000x (20 ms a candle): every fault lands mid-stream.
        let faults = """
            { "seed": 11, "faults": [
              { "kind": "duplicate", "from": 0, "to": 60, "probability": 0.1 },
              { "kind": "out_of_order", "from": 0, "to": 60, "probability": 0.1 },
              { "kind": "disconnect", "from": 2, "to": 2.1 },
              { "kind": "stale_feed", "from": 4, "to": 6 },
              { "kind": "rate_limit_storm", "from": 6, "to": 7 },
              { "kind": "server_error", "from": 7, "to": 8, "status": 503, "probability": 0.5, "paths": ["/api/v3/klines"] },
              { "kind": "disconnect", "from": 8, "to": 8.1 } ] }
            """
        let (lines, status, simErr) = try await collect(venue: "binance", files: [Self.btc, Self.eth], from: start,
                                                        marketStart: start, count: 1_200, speed: "3000x", faults: faults, stale: 700)
        let want = try expected([Self.btc, Self.eth], from: start, count: 1_200)
        #expect(lines.count == want.count, "\(status) \(simErr.suffix(800))")
        #expect(lines == want, "first difference at \(Self.firstDifference(lines, want))")
        #expect(status.reconnects >= 2, "the disconnects and the stale window remade the stream: \(status)")
        #expect(status.backfilledCandles > 0, "the holes were filled from REST: \(status)")
    }
}
