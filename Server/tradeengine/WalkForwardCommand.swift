import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeReport

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

    @OptionGroup var sweep: SweepOptions
    @Option(name: .customLong("in-sample"), help: "Length of each in-sample window.")
    var inSample: String
    @Option(name: .customLong("out-of-sample"), help: "Length of each out-of-sample window.")
    var outOfSample: String
    @Option(name: .long, help: "How far windows move (default: the out-of-sample length, so out-of-sample windows tile).")
    var step: String?
    @Flag(name: .long, help: "Anchored windows: every in-sample window starts at the first bar.")
    var anchored = false
    @Option(name: .long, help: ArgumentHelp("Run only the windows of shard I of N (window index mod N == I); write them with --part.", valueName: "I/N"))
    var shard: String?
    @OptionGroup var output: WalkForwardOutput

    static func duration(_ text: String, _ flag: String) throws -> Int64 {
        let units: [Character: Int64] = ["m": 60_000, "h": 3_600_000, "d": 86_400_000]
        guard let unit = text.last.flatMap({ units[$0] }), let n = Int64(text.dropLast()), n > 0 else {
            throw ValidationError("\(flag) must be a positive length such as 90m, 12h or 14d; got \(text)")
        }
        return n * unit
    }

    func run() throws {
        let plan = WalkForward(inSample: try Self.duration(inSample, "--in-sample"), outOfSample: try Self.duration(outOfSample, "--out-of-sample"),
                               step: try step.map { try Self.duration($0, "--step") } ?? Self.duration(outOfSample, "--out-of-sample"),
                               anchored: anchored)
        let part: Sweep.Shard
        do { part = try shard.map(Sweep.Shard.init(parsing:)) ?? .whole } catch { throw ValidationError(error.description) }
        if part != .whole {
            guard output.part != nil else { throw ValidationError("--shard writes its windows with --part FILE.json (walkforward-merge reads them)") }
            guard output.equity == nil, output.html == nil else {
                throw ValidationError("a shard's windows are not the whole run: write --equity and --html from walkforward-merge")
            }
        }
        let p = try sweep.prepare()
        let (configuration, series, parameters) = (p.configuration, p.series, p.grid)
        let windows = plan.windows(series: series, baseTimeframe: p.interval)
        guard !windows.isEmpty else {
            let first = series.compactMap { $0.candles.first?.openTime }.min() ?? 0
            let end = (series.compactMap { $0.candles.last?.openTime }.max() ?? 0) + p.interval.milliseconds
            throw ValidationError("the data (\(String(format: "%.1f", Double(end - first) / 86_400_000)) days) is shorter than one in-sample plus one out-of-sample window")
        }
        let results: [WalkForward.WindowResult]
        do {
            results = try plan.run(series: series, grid: parameters, indices: p.points, strategy: p.strategy,
                                   configuration: configuration, settings: p.settings, baseTimeframe: p.interval,
                                   objective: p.objective, minTrades: sweep.minTrades, jobs: sweep.jobs, shard: part) {
                FileHandle.standardError.write(Data(($0 + "\n").utf8))
            }
        } catch { throw CommandFailure("\(error)") }
        try output.emit(WalkForwardPart(plan: plan, strategy: p.strategy, names: parameters.names,
                                        initialEquity: configuration.initialCash.doubleValue, windowCount: windows.count,
                                        shard: part, results: results))
    }
}

struct WalkForwardMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward-merge",
        abstract: "Merge the --part files of a sharded walk-forward into what one machine would print and write.")

    @Argument(help: "The shards' --part files.")
    var parts: [String]
    @OptionGroup var output: WalkForwardOutput

    func run() throws {
        guard !parts.isEmpty else { throw ValidationError("give the shards' --part files") }
        do {
            let read = try parts.map { path in
                let data: Data
                do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
                catch { throw EngineError("cannot read \(path): \(error.localizedDescription)") }
                return try WalkForwardPart.read(data, source: path)
            }
            try output.emit(try WalkForwardPart.merge(read))
        } catch let e as EngineError { throw CommandFailure(e.description) }
    }
}

/// What `walkforward` and `walkforward-merge` print and write, from the windows' results.
struct WalkForwardOutput: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write the windows as CSV.", valueName: "OUT.csv"))
    var out: String?
    @Option(name: .long, help: ArgumentHelp("Write the stitched out-of-sample equity curve: ts,equity.", valueName: "OUT.csv"))
    var equity: String?
    @Option(name: .long, help: ArgumentHelp("Write the HTML report (self-contained, opens offline).", valueName: "OUT.html"))
    var html: String?
    @Option(name: .long, help: ArgumentHelp("Write the windows' full results for walkforward-merge.", valueName: "OUT.json"))
    var part: String?

    func emit(_ run: WalkForwardPart) throws {
        let (results, names) = (run.results, run.names)
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
        let initial = run.initialEquity
        if run.shardCount == 1 {
            let stitched = WalkForward.stitched(results, initial: initial)
            let final = stitched.equity.last ?? initial
            let inSum = results.reduce(0) { $0 + $1.inSamplePerDay } / Double(results.count)
            let outSum = results.reduce(0) { $0 + $1.outOfSamplePerDay } / Double(results.count)
            print(String(format: "  out of sample, stitched: %.2f → %.2f (%+.2f %%); mean net PnL per day in sample %.2f, out of sample %.2f",
                         initial, final, (final / initial - 1) * 100, inSum, outSum))
            if let equity {
                try write((["ts,equity"] + zip(stitched.times, stitched.equity).map { "\($0),\(String(format: "%.8f", $1))" }).joined(separator: "\n") + "\n", to: equity)
            }
            if let html {
                let plan = run.plan
                func days(_ ms: Int64) -> String { ms % 86_400_000 == 0 ? "\(ms / 86_400_000)d" : (ms % 3_600_000 == 0 ? "\(ms / 3_600_000)h" : "\(ms / 60_000)m") }
                let subtitle = "\(run.strategy) · \(plan.anchored ? "anchored" : "rolling") windows: \(days(plan.inSampleMilliseconds)) in sample, "
                    + "\(days(plan.outOfSampleMilliseconds)) out of sample, step \(days(plan.stepMilliseconds)) · grid: \(names.joined(separator: ", "))"
                try write(WalkForwardPage.build(results: results, names: names, initial: initial, subtitle: subtitle, command: commandLine()).render(), to: html)
            }
        } else {
            print("  shard \(run.shardIndex)/\(run.shardCount): \(results.count) of \(run.windowCount) windows; walkforward-merge the parts for the stitched curve")
        }
        if let out { try write(lines.joined(separator: "\n") + "\n", to: out) }
        if let part { try write(try run.json(), to: part) }
    }
}
