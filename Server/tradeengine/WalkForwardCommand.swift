import ArgumentParser
import Foundation
import TradeCore
import TradeEngine

struct WalkForwardCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward",
        abstract: "Walk-forward optimisation: sweep in sample, run the winner out of sample, window after window.",
        discussion: """
        Rolling windows (default) or --anchored ones (the in-sample window always starts at the first bar). Each
        window's parameters are chosen by a sweep of --grid on its in-sample candles only; the winner then runs on
        a fresh engine over the out-of-sample candles right after. Prints each window's in-sample and out-of-sample
        net PnL per day and their ratio (the overfitting signal), and the out-of-sample segments stitched into one
        equity curve. Durations: 90m, 12h, 14d.
        Example: tradeengine walkforward --data BTC.csv --grid grid.json --in-sample 14d --out-of-sample 7d
        """)

    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []
    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time.")
    var from: String?
    @Option(name: .long, help: "Last bar to use (inclusive).")
    var to: String?
    @OptionGroup var choice: StrategyOptions
    @Option(name: .long, help: ArgumentHelp("The grid: parameter names to lists of values (JSON), as for sweep.", valueName: "FILE.json"))
    var grid: String
    @Option(name: .long, help: "Sweep this many distinct points of the grid per window, drawn with --seed (default: all).")
    var random: Int?
    @Option(name: .long, help: "Seed of the --random draw.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Backtests at once (default: every core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Choose by: net_pnl, sharpe, calmar or profit_factor.")
    var objective = "net_pnl"
    @Option(name: .customLong("min-trades"), help: "In sample, points with fewer closed trades are chosen only if none has enough.")
    var minTrades = 10
    @Option(name: .customLong("in-sample"), help: "Length of each in-sample window.")
    var inSample: String
    @Option(name: .customLong("out-of-sample"), help: "Length of each out-of-sample window.")
    var outOfSample: String
    @Option(name: .long, help: "How far windows move (default: the out-of-sample length, so out-of-sample windows tile).")
    var step: String?
    @Flag(name: .long, help: "Anchored windows: every in-sample window starts at the first bar.")
    var anchored = false
    @Option(name: .long, help: ArgumentHelp("Write the windows as CSV.", valueName: "OUT.csv"))
    var out: String?
    @Option(name: .long, help: ArgumentHelp("Write the stitched out-of-sample equity curve: ts,equity.", valueName: "OUT.csv"))
    var equity: String?

    static func duration(_ text: String, _ flag: String) throws -> Int64 {
        let units: [Character: Int64] = ["m": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard let unit = text.last.flatMap({ units[$0] }), let n = Int64(text.dropLast()), n > 0 else {
            throw ValidationError("\(flag) must be a positive length such as 90m, 12h or 14d; got \(text)")
        }
        return n * unit
    }

    func run() throws {
        guard let objective = SweepObjective(rawValue: objective) else {
            throw ValidationError("--objective must be one of \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs must be 1…1024") }
        let plan = WalkForward(inSample: try Self.duration(inSample, "--in-sample"), outOfSample: try Self.duration(outOfSample, "--out-of-sample"),
                               step: try step.map { try Self.duration($0, "--step") } ?? Self.duration(outOfSample, "--out-of-sample"),
                               anchored: anchored)
        let settings = try choice.settings()
        let strategy = choice.strategy
        let parameters: ParameterGrid
        do {
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: grid)) }
            catch { throw EngineError("cannot read the grid \(grid): \(error.localizedDescription)") }
            parameters = try ParameterGrid.parse(bytes, source: (grid as NSString).lastPathComponent, strategy: strategy,
                                                 bounds: try StrategyCatalog.parameterBounds(name: strategy))
        } catch { throw CommandFailure("\(error)") }
        let loaded = try LoadedData.load(paths: data, from: try from.map(TimeArgument.parse), to: try to.map(TimeArgument.parse))
        var configuration = EngineConfiguration(instruments: loaded.series.map(\.instrument))
        settings.apply(to: &configuration)
        let series = loaded.series.enumerated().map { i, s in
            MarketSeries(instrument: configuration.instruments[i], candles: s.candles, firstBarIndex: s.firstBarIndex)
        }
        let first = series.compactMap { $0.candles.first?.openTime }.min() ?? 0
        let end = (series.compactMap { $0.candles.last?.openTime }.max() ?? 0) + loaded.interval.milliseconds
        guard !plan.windows(first: first, end: end).isEmpty else {
            throw ValidationError("the data (\(String(format: "%.1f", Double(end - first) / 86_400_000)) days) is shorter than one in-sample plus one out-of-sample window")
        }
        let results: [WalkForward.WindowResult]
        do {
            results = try plan.run(series: series, grid: parameters, indices: parameters.selection(random: random, seed: seed),
                                   strategy: strategy, configuration: configuration, settings: settings,
                                   baseTimeframe: loaded.interval, objective: objective, minTrades: minTrades, jobs: jobs) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
        } catch { throw CommandFailure("\(error)") }
        let names = parameters.names
        func day(_ t: Int64) -> String { String(TimeArgument.format(t).prefix(16)) }
        var lines = ["window,in_sample_start,in_sample_end,out_of_sample_start,out_of_sample_end,point," + names.joined(separator: ",")
                     + ",in_sample_net_pnl,in_sample_trades,out_of_sample_net_pnl,out_of_sample_trades,in_sample_per_day,out_of_sample_per_day,efficiency"]
        print("  window  in sample                 out of sample             in-sample/day  out-of-sample/day  efficiency  parameters")
        for r in results {
            let w = r.window
            func g(_ x: Double?) -> String { x.map { String(format: "%.17g", $0) } ?? "" }
            lines.append(([String(w.index + 1), day(w.inSample.lowerBound), day(w.inSample.upperBound), day(w.outOfSample.lowerBound),
                           day(w.outOfSample.upperBound), String(r.chosen.index)] + names.map { g(r.chosen.parameters[$0]) }
                          + [g(r.chosen.netPnL), String(r.chosen.metrics.tradeCount), g(r.outOfSample.netPnL), String(r.outOfSample.metrics.tradeCount),
                             g(r.inSamplePerDay), g(r.outOfSamplePerDay), g(r.efficiency)]).joined(separator: ","))
            print("  \(String(w.index + 1).padding(toLength: 6, withPad: " ", startingAt: 0))  \(day(w.inSample.lowerBound)) → \(day(w.inSample.upperBound))  \(day(w.outOfSample.lowerBound)) → \(day(w.outOfSample.upperBound))  "
                  + String(format: "%13.2f  %17.2f  %10@", r.inSamplePerDay, r.outOfSamplePerDay, r.efficiency.map { String(format: "%.2f", $0) } ?? "-")
                  + "  " + names.map { "\($0.split(separator: ".").last!)=\(r.chosen.parameters[$0]!)" }.joined(separator: " "))
        }
        let initial = configuration.initialCash.doubleValue
        let stitched = WalkForward.stitched(results, initial: initial)
        let final = stitched.equity.last ?? initial
        let inSum = results.reduce(0) { $0 + $1.inSamplePerDay } / Double(results.count)
        let outSum = results.reduce(0) { $0 + $1.outOfSamplePerDay } / Double(results.count)
        print(String(format: "  out of sample, stitched: %.2f → %.2f (%+.2f %%); mean net PnL per day in sample %.2f, out of sample %.2f",
                     initial, final, (final / initial - 1) * 100, inSum, outSum))
        if let out { try write(lines.joined(separator: "\n") + "\n", to: out) }
        if let equity {
            try write((["ts,equity"] + zip(stitched.times, stitched.equity).map { "\($0),\(String(format: "%.8f", $1))" }).joined(separator: "\n") + "\n", to: equity)
        }
    }
}
