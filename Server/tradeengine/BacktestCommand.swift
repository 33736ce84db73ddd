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
        Or from candles imported into the store (tradeengine import):
                 tradeengine backtest --db var/tradeengine.sqlite --symbols BTCUSDT,ETHUSDT --from 2025-01-05
        """)

    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("Read candles from this store instead of files (with --symbols).", valueName: "PATH"))
    var db: String?

    @Option(name: .long, help: ArgumentHelp("Symbols to read from the store, comma-separated.", valueName: "BTCUSDT,ETHUSDT"))
    var symbols: String?

    @Option(name: .long, help: "Venue of the stored candles (with --db).")
    var venue = "binance"

    @Option(name: .long, help: ArgumentHelp("Interval of the stored candles (with --db); needed only if several are stored.", valueName: "1m"))
    var interval: String?

    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time (2025-01-05, 2025-01-05T12:00:00Z).")
    var from: String?

    @Option(name: .long, help: "Last bar to use (inclusive), same forms as --from.")
    var to: String?

    @OptionGroup var choice: StrategyOptions
    @OptionGroup var output: OutputOptions

    @Flag(name: .long, help: "No progress bar.")
    var quiet = false

    @Option(name: .customLong("monte-carlo"), help: ArgumentHelp("Add Monte Carlo distributions from this many resampled paths (trades shuffled and bootstrapped, daily returns block-bootstrapped).", valueName: "N"))
    var monteCarlo: Int?

    @Option(name: .long, help: "Seed of the Monte Carlo draws.")
    var seed: UInt64 = 1

    @Option(name: .customLong("block-days"), help: "Days per block of the daily-returns block bootstrap.")
    var blockDays = 5

    @Option(name: .customLong("kill-switch-loss"), help: ArgumentHelp("Loss (USDT) the Monte Carlo counts as the kill switch tripping (default: the models' kill switch).", valueName: "USDT"))
    var killSwitchLoss: Double?

    func run() throws {
        if let monteCarlo { guard (1...1_000_000).contains(monteCarlo) else { throw ValidationError("--monte-carlo must be 1…1000000 paths") } }
        guard (1...365).contains(blockDays) else { throw ValidationError("--block-days must be 1…365") }
        if let killSwitchLoss { guard killSwitchLoss > 0 else { throw ValidationError("--kill-switch-loss must be positive") } }
        let fromMs = try from.map(TimeArgument.parse)
        let toMs = try to.map(TimeArgument.parse)
        var settings = try choice.settings(signalsRequested: output.signals != nil)
        let loaded: LoadedData
        if let db {
            guard data.isEmpty else { throw ValidationError("give either --data files or --db with --symbols, not both") }
            let names = (symbols ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }
                .filter { !$0.isEmpty }
            guard !names.isEmpty else { throw ValidationError("--db needs --symbols, e.g. --symbols BTCUSDT,ETHUSDT") }
            let timeframe = try interval.map { name in
                guard let t = Timeframe(name: name) else { throw ValidationError("--interval must be one of 1m, 5m, 15m, 1h, 4h, 1d; got \(name)") }
                return t
            }
            loaded = try LoadedData.load(store: db, venue: venue, symbols: names, interval: timeframe, from: fromMs, to: toMs)
        } else {
            guard symbols == nil, interval == nil else { throw ValidationError("--symbols and --interval select stored candles: give --db too") }
            loaded = try LoadedData.load(paths: data, from: fromMs, to: toMs)
        }
        let (configuration, series) = loaded.configured(with: settings)

        var bar = ProgressBar(enabled: !quiet && isatty(STDERR_FILENO) == 1)
        let started = DispatchTime.now().uptimeNanoseconds
        let result: BacktestResult
        do {
            result = try StrategyCatalog.run(name: choice.strategy, series: series, configuration: configuration,
                                             settings: settings, baseTimeframe: loaded.interval) { bar.update(done: $0, total: $1) }
        } catch { throw CommandFailure(error.description) }
        let runSeconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9

        var rep = BacktestReport(strategy: choice.strategy, data: loaded.summaries, result: result, series: series,
                                 configuration: configuration, baseTimeframe: loaded.interval,
                                 loadSeconds: loaded.seconds, runSeconds: runSeconds)
        if let monteCarlo {
            rep.addMonteCarlo(result: result, initialEquity: configuration.initialCash.doubleValue,
                              killSwitchLoss: killSwitchLoss ?? settings.models.risk.killSwitchLoss,
                              paths: monteCarlo, seed: seed, blockDays: blockDays)
        }
        try output.emit(rep, result, series: series)
    }
}
