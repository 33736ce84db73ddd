import ArgumentParser
import Foundation
import TradeCore
import TradeEngine

struct BacktestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "backtest",
        abstract: "Run a strategy over recorded candles on the paper broker.",
        discussion: """
        Prints a summary beside buy-and-hold. Bars are 1-minute (or any one interval) candle files in our
        format (ts,open,high,low,close,volume; .csv or .csv.gz) or Binance kline CSVs; one file per symbol.
        Example: tradeengine backtest --data ../shared/data/BTCUSDT-1m-20250101-20250204.csv --fill close
        """)

    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []

    @Option(name: .long, help: "Strategy to run: \(StrategyCatalog.names.joined(separator: ", ")).")
    var strategy = "ema_cross_rsi"

    @Option(name: .long, help: ArgumentHelp("With --strategy models: which models run (default all): aggressive,balanced,big-picture.", valueName: "LIST"))
    var models: String?

    @Option(name: .long, help: ArgumentHelp("With --strategy models: write every signal with its outcome and reasons.", valueName: "OUT.csv"))
    var signals: String?

    @Option(name: .long, help: "Market-order fill convention: next-open (default) or close.")
    var fill: String?

    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time (2025-01-05, 2025-01-05T12:00:00Z).")
    var from: String?

    @Option(name: .long, help: "Last bar to use (inclusive), same forms as --from.")
    var to: String?

    @Option(name: .long, help: ArgumentHelp("JSON settings: costs, instruments, strategy parameters.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: ArgumentHelp("Write the full report as JSON.", valueName: "OUT.json"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Write every fill: side,bar_index,ts,price,qty,symbol (models: then model,entry_reason,exit_reason).", valueName: "OUT.csv"))
    var trades: String?

    @Option(name: .long, help: ArgumentHelp("Write the equity curve: ts,equity (default: beside --report).", valueName: "OUT.csv"))
    var equity: String?

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    func run() throws {
        let fromMs = try from.map(TimeArgument.parse)
        let toMs = try to.map(TimeArgument.parse)
        var settings = RunSettings()
        if let config {
            do { settings = try RunSettings.load(path: config) } catch { throw ValidationError(error.description) }
        }
        if let fill {
            guard let f = FillConvention(rawValue: fill) else { throw ValidationError("--fill must be next-open or close, got \(fill)") }
            settings.fill = f
        }
        guard StrategyCatalog.names.contains(strategy) else {
            throw ValidationError("unknown strategy '\(strategy)'; available: \(StrategyCatalog.names.joined(separator: ", "))")
        }
        if (models != nil || signals != nil) && strategy != "models" {
            throw ValidationError("--models and --signals need --strategy models")
        }
        if let models {
            var on = Set<ModelID>()
            for name in models.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
                guard let m = ModelID(name: name) else {
                    throw ValidationError("--models: unknown model '\(name)'; models: \(ModelID.allCases.map(\.name).joined(separator: ", "))")
                }
                on.insert(m)
            }
            guard !on.isEmpty else { throw ValidationError("--models needs at least one model") }
            for m in ModelID.allCases { settings.models[m].enabled = on.contains(m) }
        }
        let loaded = try LoadedData.load(paths: data, from: fromMs, to: toMs)
        var configuration = EngineConfiguration(instruments: loaded.series.map(\.instrument))
        settings.apply(to: &configuration)
        let series = loaded.series.enumerated().map { i, s in
            MarketSeries(instrument: configuration.instruments[i], candles: s.candles, firstBarIndex: s.firstBarIndex)
        }

        var bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        let started = DispatchTime.now().uptimeNanoseconds
        let result: BacktestResult
        do {
            result = try StrategyCatalog.run(name: strategy, series: series, configuration: configuration,
                                             settings: settings, baseTimeframe: loaded.interval) { bar.update(done: $0, total: $1) }
        } catch { throw ValidationError(error.description) }
        let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        let rep = BacktestReport(strategy: strategy, data: loaded.summaries, result: result, series: series,
                                 configuration: configuration, baseTimeframe: loaded.interval,
                                 loadSeconds: loaded.seconds, runSeconds: runSeconds)
        print(BacktestSummary.render(rep), terminator: "")

        let symbols = result.instruments.map(\.symbol)
        if let trades {
            if let m = result.models {
                try write(TradeListFormat.csv(result.fills, extraHeader: ModelsFormat.tradeColumns) {
                    ModelsFormat.tradeColumns($0, strategy: m, symbols: symbols)
                }, to: trades)
            } else {
                try write(TradeListFormat.csv(result.fills, extraHeader: "symbol") { symbols[$0.symbol] }, to: trades)
            }
        }
        if let signals, let m = result.models { try write(ModelsFormat.signals(m.log, symbols: symbols), to: signals) }
        if let report { try write(rep.json(), to: report) }
        if let path = equity ?? report.map(Self.equityPath(besideReport:)) {
            try write(EquityCurveFormat.csv(result.equityCurve), to: path)
        }
    }

    static func equityPath(besideReport path: String) -> String {
        let base = path.hasSuffix(".json") ? String(path.dropLast(5)) : path
        return base + ".equity.csv"
    }
}

func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

func write(_ data: Data, to path: String) throws {
    do { try data.write(to: URL(fileURLWithPath: path), options: .atomic) }
    catch { throw ValidationError("cannot write \(path): \(error.localizedDescription)") }
}
