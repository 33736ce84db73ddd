import Foundation
import TradeCore
import TradeEngine
import TradeVenues

// Engine throughput benchmark (issue: engine foundation, item 10).
//
// Runs `ema_cross_rsi` through the whole loop — broker matching, ledger,
// marks, equity curve, strategy, order checks — on ~1,000,000 1-minute candles.
// We have 130,680 real BTCUSDT minutes (2025-05-20 → 2025-08-18); the series is
// that file TILED 8 times (1,045,440 candles): each copy's timestamps are shifted
// to follow the previous copy, prices are unchanged, so there is one price jump
// at each of the 7 seams. Build and run in release:
//
//     swift build -c release -Xswiftc -num-threads -Xswiftc 2 --product EngineBenchmark
//     .build/release/EngineBenchmark [--data PATH] [--copies 8] [--runs 5]
//     .build/release/EngineBenchmark --strategy models [--copies 7] [--runs 5] [--kill-switch off|default]

func argument(_ name: String, default value: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return value
}

func peakResidentMB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024   // Linux reports KiB
}

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let path = argument("--data", default: root.deletingLastPathComponent().appendingPathComponent("shared/data/BTCUSDT-1m-20250520-20250818.csv.gz").path)
let copies = Int(argument("--copies", default: "8"))!
let runs = Int(argument("--runs", default: "5"))!

/// The real file tiled `copies` times; the source array is released on return.
func tiledCandles() throws -> (symbol: String, real: Int, candles: [Candle], parseSeconds: Double) {
    var file: CandleFile!
    let parse = try seconds { file = try CandleFileReader.read(path: path) }
    let base = file.candles
    let span = base.last!.openTime - base.first!.openTime + file.interval.milliseconds
    var tiled: [Candle] = []
    tiled.reserveCapacity(base.count * copies)
    for k in 0..<copies {
        let shift = Int64(k) * span
        for c in base {
            tiled.append(Candle(openTime: c.openTime + shift, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume))
        }
    }
    return (file.symbol, base.count, tiled, parse)
}

/// The whole trading brain: 3 models, 3 symbols, all six timeframes (1m bars
/// in, 5m … 1d aggregated, features and regimes on every timeframe), resolver,
/// risk engine, exits, monitors. The three January files (BTC, ETH, SOL;
/// identical minutes) TILED `copies` times: 50,180 minutes × 3 symbols × 7 =
/// 1,053,780 candles. The kill switch is set out of reach so the models keep
/// trading through every copy (with the default it trips and the rest of the
/// run only vetoes); `--kill-switch default` measures that instead.
func modelsBenchmark() throws {
    let names = ["BTCUSDT-1m-20250101-20250204.csv", "ETHUSDT-1m-20250101-20250204.csv", "SOLUSDT-1m-20250101-20250204.csv"]
    let dataDir = root.deletingLastPathComponent().appendingPathComponent("shared/data")
    let copies = Int(argument("--copies", default: "7"))!
    var series: [MarketSeries] = []
    var parse = 0.0
    for name in names {
        var file: CandleFile!
        parse += try seconds { file = try CandleFileReader.read(path: dataDir.appendingPathComponent(name).path) }
        let base = file.candles
        let span = base.last!.openTime - base.first!.openTime + file.interval.milliseconds
        var tiled: [Candle] = []
        tiled.reserveCapacity(base.count * copies)
        for k in 0..<copies {
            for c in base {
                tiled.append(Candle(openTime: c.openTime + Int64(k) * span, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume))
            }
        }
        series.append(MarketSeries(instrument: .spot(file.symbol), candles: tiled))
    }
    let total = series.reduce(0) { $0 + $1.candles.count }
    print("data: \(names.count) symbols × \(series[0].candles.count / copies) real 1m candles × \(copies) copies = \(total) candles (parse \(String(format: "%.3f", parse)) s)")
    let configuration = EngineConfiguration(instruments: series.map(\.instrument))
    var settings = RunSettings()
    if argument("--kill-switch", default: "off") == "off" { settings.models.risk.killSwitchLoss = 1e15 }
    var rates: [Double] = []
    var summary = ""
    for run in 1...runs {
        let strategy = StrategyCatalog.modelsStrategy(configuration: configuration, settings: settings, baseTimeframe: .m1)
        var result: BacktestResult!
        var final: ModelsStrategy!
        let t = try seconds {
            (result, final) = try BacktestRunner.runKeepingStrategy(series: series, configuration: configuration, strategy: strategy)
        }
        rates.append(Double(total) / t)
        summary = "\(final.log.count) signals, \(final.trades.count) model trades, \(result.fills.count) fills, \(final.killSwitchEvents.count) kill-switch trips, final equity \(result.finalEquity.formatted(digits: 2))"
        print(String(format: "run %d: %.3f s, %.2fM candles/s; ", run, t, rates.last! / 1e6) + summary)
    }
    rates.sort()
    print(String(format: "models (3 models, %d symbols, 1m→1d) over %d candles: median %.2fM candles/s, best %.2fM candles/s; peak RSS %.1f MB",
                 names.count, total, rates[rates.count / 2] / 1e6, rates.last! / 1e6, peakResidentMB()))
}

if argument("--strategy", default: "ema_cross_rsi") == "models" {
    try modelsBenchmark()
    exit(0)
}

let (symbol, realCount, tiled, parseSeconds) = try tiledCandles()
print("data: \(symbol) \(realCount) real 1m candles × \(copies) copies = \(tiled.count) candles (parse \(String(format: "%.3f", parseSeconds)) s, \(String(format: "%.2f", Double(realCount) / parseSeconds / 1e6))M rows/s)")

let series = [MarketSeries(instrument: .spot(symbol), candles: tiled)]
let configuration = EngineConfiguration(instruments: [series[0].instrument])
print(String(format: "resident before the runs: %.1f MB (peak so far, includes parsing the file)", peakResidentMB()))
var rates: [Double] = []
var fills = 0
var finalEquity = Money.zero
for run in 1...runs {
    // One result alive at a time: the peak is what one 1M-candle run needs.
    let t = try seconds {
        let result = try BacktestRunner.run(series: series, configuration: configuration, strategy: EmaCrossRsi(symbolCount: 1))
        fills = result.fills.count
        finalEquity = result.finalEquity
    }
    rates.append(Double(tiled.count) / t)
    print(String(format: "run %d: %.3f s, %.2fM candles/s, %d fills", run, t, rates.last! / 1e6, fills))
}
rates.sort()
print(String(format: "ema_cross_rsi over %d candles: median %.2fM candles/s, best %.2fM candles/s; %d fills; final equity %@; peak RSS %.1f MB",
             tiled.count, rates[rates.count / 2] / 1e6, rates.last! / 1e6, fills, finalEquity.formatted(digits: 2), peakResidentMB()))
