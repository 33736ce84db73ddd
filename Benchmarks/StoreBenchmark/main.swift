import Foundation
import TradeCore
import TradeEngine
import TradeStore
import TradeVenues

// Store benchmark (issue: durable state, item 9). Build and run in release:
//
//     swift build -c release -Xswiftc -num-threads -Xswiftc 2 --product StoreBenchmark
//     .build/release/StoreBenchmark [--data PATH] [--copies 8] [--batch 1000] [--dir DIR]
//
// Data: the 130,680 real BTCUSDT minutes of 2025-05-20 → 2025-08-18, TILED 8
// times (1,045,440 candles; each copy's times shifted after the previous one,
// prices unchanged), as in EngineBenchmark. Every write is durable as in
// production: WAL, synchronous = FULL, one fsync per committed batch.

func argument(_ name: String, default value: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return value
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

func fileSize(_ path: String) -> Int {
    ["", "-wal"].reduce(0) { total, suffix in
        total + ((try? FileManager.default.attributesOfItem(atPath: path + suffix)[.size] as? Int) ?? 0)
    }
}

func megabytes(_ bytes: Int) -> String { String(format: "%.1f MB", Double(bytes) / 1_048_576) }

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let dataPath = argument("--data", default: root.deletingLastPathComponent()
    .appendingPathComponent("shared/data/BTCUSDT-1m-20250520-20250818.csv.gz").path)
let copies = Int(argument("--copies", default: "8"))!
let batch = Int(argument("--batch", default: "1000"))!
let folder = argument("--dir", default: FileManager.default.temporaryDirectory
    .appendingPathComponent("store-benchmark-\(getpid())").path)
try? FileManager.default.removeItem(atPath: folder)
defer { try? FileManager.default.removeItem(atPath: folder) }

let file = try CandleFileReader.read(path: dataPath)
let span = file.candles.last!.openTime - file.candles.first!.openTime + file.interval.milliseconds
var tiled: [Candle] = []
tiled.reserveCapacity(file.candles.count * copies)
for k in 0..<copies {
    for c in file.candles {
        tiled.append(Candle(openTime: c.openTime + Int64(k) * span, open: c.open, high: c.high, low: c.low,
                            close: c.close, volume: c.volume))
    }
}
print("data: \(file.symbol) \(file.candles.count) real 1m candles × \(copies) copies = \(tiled.count) candles")
print("store folder: \(folder)")

// 1. Journal appends: every candle as a candleAccepted event, in durable batches.
let journalPath = folder + "/journal.sqlite"
var store = try TradeStore(path: journalPath)
let entries = tiled.enumerated().map { i, c in
    JournalEntry(sequence: Int64(i + 1), time: c.openTime, event: .candleAccepted(symbol: 0, candle: c, barIndex: i))
}
let appendSeconds = try seconds {
    for start in stride(from: 0, to: entries.count, by: batch) {
        try store.journal.append(Array(entries[start..<min(start + batch, entries.count)]))
    }
}
print(String(format: "journal append: %d events in batches of %d: %.3f s = %.0f events/s (%.0f durable commits/s); %@ on disk (%.0f bytes/event)",
             entries.count, batch, appendSeconds, Double(entries.count) / appendSeconds,
             Double((entries.count + batch - 1) / batch) / appendSeconds, megabytes(fileSize(journalPath)),
             Double(fileSize(journalPath)) / Double(entries.count)))
let single = 2_000
let singleSeconds = try seconds {
    for i in 0..<single {
        let c = tiled[i]
        try store.journal.append([JournalEntry(sequence: Int64(entries.count + i + 1), time: c.openTime,
                                               event: .candleAccepted(symbol: 0, candle: c, barIndex: i))])
    }
}
print(String(format: "journal append unbatched: %d events one per transaction: %.0f events/s (each fsynced)",
             single, Double(single) / singleSeconds))

// 2. Snapshot: a representative engine state — every order and fill of a real
// BTC backtest (ema_cross_rsi over all tiled candles) encoded with ByteWriter.
let run = try BacktestRunner.run(series: [MarketSeries(instrument: .spot(file.symbol), candles: tiled)],
                                 configuration: EngineConfiguration(instruments: [.spot(file.symbol)]),
                                 strategy: EmaCrossRsi(symbolCount: 1))
var state = ByteWriter(capacity: 1 << 20)
for order in run.orders { JournalEvent.orderSubmitted(OrderSubmission(order)).encode(into: &state) }
for fill in run.fills { JournalEvent.orderFilled(clientOrderID: run.orders[Int(fill.orderID - 1)].clientOrderID, fill: fill).encode(into: &state) }
let lastSequence = try store.journal.lastSequence()
let snapshot = Snapshot(sequence: lastSequence, takenAt: tiled.last!.openTime, format: 1, payload: state.bytes)
let saveSeconds = try seconds { try store.snapshots.save(snapshot) }
var loaded: Snapshot?
let loadSeconds = try seconds { loaded = try store.snapshots.latest() }
precondition(loaded == snapshot)
print(String(format: "snapshot: %d orders + %d fills = %d bytes; save %.2f ms, load %.2f ms",
             run.orders.count, run.fills.count, snapshot.payload.count, saveSeconds * 1e3, loadSeconds * 1e3))

// 3. Restart to ready: reopen the store (integrity checked) and replay the whole
// journal, decoding every event: a worst case with no snapshot to start from.
try store.close()
var openSeconds = 0.0, replaySeconds = 0.0
var replayed = 0
var checksum = 0.0
for (label, check) in [("quick_check", TradeStore.Options.IntegrityCheck.quick), ("no check", .none)] {
    var options = TradeStore.Options()
    options.integrityCheck = check
    replayed = 0
    openSeconds = try seconds { store = try TradeStore(path: journalPath, options: options) }
    replaySeconds = try seconds {
        try store.journal.forEach(after: 0) { entry in
            if case .candleAccepted(_, let candle, _) = entry.event { checksum += candle.close }
            replayed += 1
        }
    }
    print(String(format: "restart (%@): open %.3f s + read and decode %d events %.3f s = %.3f s to ready (%.0f events/s)",
                 label, openSeconds, replayed, replaySeconds, openSeconds + replaySeconds, Double(replayed) / replaySeconds))
    try store.close()
}

// 4. Candle import: upsert every tiled candle, fresh, then again (a re-import).
let candlePath = folder + "/candles.sqlite"
let candleStore = try TradeStore(path: candlePath)
let key = CandleSeriesKey(venue: "binance", symbol: file.symbol, interval: file.interval)
for label in ["fresh", "again (unchanged)"] {
    var result = CandleUpsertResult()
    let t = try seconds { result = try candleStore.candles.upsert(tiled, into: key) }
    print(String(format: "candle import %@: %d rows in %.3f s = %.0f rows/s (%d inserted, %d unchanged)",
                 label, tiled.count, t, Double(tiled.count) / t, result.inserted, result.unchanged))
}
var read: [Candle] = []
let readSeconds = try seconds { read = try candleStore.candles.range(key) }
precondition(read == tiled)
print(String(format: "candle range read: %d rows in %.3f s = %.0f rows/s; %@ on disk",
             read.count, readSeconds, Double(read.count) / readSeconds, megabytes(fileSize(candlePath))))
print(String(format: "(checksum %.2f)", checksum))
