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
