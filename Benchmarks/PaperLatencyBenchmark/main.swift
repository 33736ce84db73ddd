import Foundation
import Synchronization
import TradeCore
import TradeServer
import TradeStore
import TradeVenueSim
import TradeVenues

// Candle close on the simulator's WebSocket → decision made and journaled, in
// one process on loopback: the exchange simulator (Binance's REST and kline
// stream) pushes real 1-minute candles at a pace the pipeline keeps up with,
// and the server's EngineHost runs a paper run on it — the live feed
// (AsyncHTTPClient backfill, swift-websocket stream), the candle buffer, the
// journaled run and its SQLite commit. The host measures each streamed candle
// from the moment its frame came off the socket to the moment the commit
// holding its decision returned (`FeedLatency`), split by whether the
// candle's decision sent an order.
//
// usage: PaperLatencyBenchmark [--minutes 1500] [--speed 3000] [--model ema_cross_rsi|models]
//                              [--data A.csv,B.csv] [--runs 1]

func option(_ name: String, _ fallback: String) -> String {
    let args = CommandLine.arguments
    guard let i = args.firstIndex(of: name), i + 1 < args.count else { return fallback }
    return args[i + 1]
}

let shared = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/data").path
let minutes = Int(option("--minutes", "1500"))!
let speed = Double(option("--speed", "3000"))!
let model = option("--model", "ema_cross_rsi")
let runs = Int(option("--runs", "1"))!
let files = option("--data", ["BTCUSDT-1m-20250101-20250204.csv", "ETHUSDT-1m-20250101-20250204.csv"].map { "\(shared)/\($0)" }.joined(separator: ","))
    .split(separator: ",").map(String.init)

let series = try files.map { path in
    let file = try CandleFileReader.read(path: path)
    return ReplayedMarket.Series(rules: .spot(file.symbol), candles: file.candles)
}
let symbols = series.map(\.rules.symbol)
/// 1,000 minutes of history for the backfill, then the stream.
let marketStart = series.map { $0.candles[1_000].openTime }.max()!

func wallMs() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count, max(1, Int((p / 100 * Double(sorted.count)).rounded(.up)))) - 1]
}

func describe(_ samples: [Double]) -> String {
    guard !samples.isEmpty else { return "no samples" }
    let s = samples.sorted()
    return String(format: "n=%5d  p50 %7.0f µs  p90 %7.0f µs  p99 %7.0f µs  max %7.0f µs", s.count,
                  percentile(s, 50), percentile(s, 90), percentile(s, 99), s.last!)
}

final class Port: Sendable { let value = Mutex<Int?>(nil) }

for run in 1...runs {
    let wallStart = wallMs()
    let market = ReplayedMarket(series: series, start: marketStart, wallStart: wallStart, speed: speed)
    let core = VenueCore(exchange: SimulatedExchange(market: market, accounts: [], clientIDPolicy: .uniqueAmongOpen), now: wallMs)
    let api = BinanceAPI(core: core)
    let port = Port()
    let simulator = Task {
        try await VenueSimServer.run(core: core, rest: { api.respond($0) }, storm: BinanceAPI.stormResponse,
                                     streams: [BinanceStreams(core: core)], host: "127.0.0.1", port: 0) { _, p in port.value.withLock { $0 = p } }
    }
    while port.value.withLock({ $0 }) == nil { try await Task.sleep(for: .milliseconds(10)) }
    let db = FileManager.default.temporaryDirectory.appendingPathComponent("paper-latency-\(UUID().uuidString).sqlite").path
    let host = try EngineHost(store: TradeStore(path: db), dataDirectories: [])
    let endpoint = "http://127.0.0.1:\(port.value.withLock { $0! })"
    _ = try await host.start(StartOptions(mode: .paper, source: .venue(.init(venue: "binance", symbols: symbols, endpoint: endpoint, testnet: false)),
                                          speed: .realtime, models: [model], from: marketStart))
    let target = Int64(minutes * symbols.count)
    while await host.status().candlesProcessed < target { try await Task.sleep(for: .milliseconds(200)) }
    let latency = await host.feedLatency() ?? FeedLatency()
    let status = await host.status()
    _ = try? await host.stop(flatten: false)
    await host.shutdown()
    simulator.cancel()
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: db + suffix) }
    print("run \(run): \(status.candlesProcessed) candles of \(symbols.joined(separator: "+")) at \(Int(speed))x " +
          "(a candle per symbol every \(Int(60_000 / speed)) ms), model \(model)")
    print("  without an order: \(describe(latency.withoutOrder))")
    print("  with an order:    \(describe(latency.withOrder))")
}
