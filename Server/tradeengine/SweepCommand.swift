import ArgumentParser
import Foundation
import TradeCore
import TradeEngine

struct SweepCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep",
        abstract: "Backtest a grid of parameter values on every core and rank the points.",
        discussion: """
        The grid file maps parameter names (as `tradectl params` prints them; the strategy's prefix may be left out)
        to lists of values: {"fast_period": [8, 12, 16], "slow_period": [21, 26, 34]}. Every combination is a point;
        --random N runs N distinct points drawn with --seed. Each point is one backtest on its own engine; results
        stream to standard output as points finish, and --out gets the table ranked by --objective (points with
        fewer than --min-trades closed trades rank last). --shard I/N runs the points whose index is I modulo N:
        run the N shards anywhere (a Kubernetes Indexed Job, a Slurm array) and `tradeengine sweep-merge` their
        tables into exactly the table one machine would write.
        """)

    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []
    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time.")
    var from: String?
    @Option(name: .long, help: "Last bar to use (inclusive).")
    var to: String?
    @OptionGroup var choice: StrategyOptions
    @Option(name: .long, help: ArgumentHelp("The grid: parameter names to lists of values (JSON).", valueName: "FILE.json"))
    var grid: String
    @Option(name: .long, help: "Run this many distinct points of the grid, drawn with --seed (default: all).")
    var random: Int?
    @Option(name: .long, help: "Seed of the --random draw.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Backtests at once (default: every core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Rank by: net_pnl, sharpe, calmar or profit_factor.")
    var objective = "net_pnl"
    @Option(name: .customLong("min-trades"), help: "Points with fewer closed trades rank after all others.")
    var minTrades = 10
    @Option(name: .long, help: ArgumentHelp("Run only the points of shard I of N (index mod N == I).", valueName: "I/N"))
    var shard: String?
    @Option(name: .long, help: ArgumentHelp("Write the ranked table as CSV.", valueName: "OUT.csv"))
    var out: String?
    @Option(name: .long, help: ArgumentHelp("Write the ranked table as JSON.", valueName: "OUT.json"))
    var json: String?

    func run() throws {
        guard let objective = SweepObjective(rawValue: objective) else {
            throw ValidationError("--objective must be one of \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs must be 1…1024") }
        guard minTrades >= 0 else { throw ValidationError("--min-trades must be ≥ 0") }
        if let random { guard random >= 1 else { throw ValidationError("--random must be ≥ 1") } }
        let part: Sweep.Shard
        do { part = try shard.map(Sweep.Shard.init(parsing:)) ?? .whole } catch { throw ValidationError(error.description) }
        let settings = try choice.settings()
        let strategy = choice.strategy
        let parameters: ParameterGrid
        do {
            let bounds = try StrategyCatalog.parameterBounds(name: strategy)
            let bytes: Data
            do { bytes = try Data(contentsOf: URL(fileURLWithPath: grid)) }
            catch { throw EngineError("cannot read the grid \(grid): \(error.localizedDescription)") }
            parameters = try ParameterGrid.parse(bytes, source: (grid as NSString).lastPathComponent, strategy: strategy, bounds: bounds)
        } catch { throw CommandFailure("\(error)") }

        let loaded = try LoadedData.load(paths: data, from: try from.map(TimeArgument.parse), to: try to.map(TimeArgument.parse))
        var configuration = EngineConfiguration(instruments: loaded.series.map(\.instrument))
        settings.apply(to: &configuration)
        let series = loaded.series.enumerated().map { i, s in
            MarketSeries(instrument: configuration.instruments[i], candles: s.candles, firstBarIndex: s.firstBarIndex)
        }
        let points = parameters.selection(random: random, seed: seed).filter(part.contains)
        let names = parameters.names
        let config = configuration, interval = loaded.interval
        FileHandle.standardError.write(Data("sweep: \(points.count) of \(parameters.count) points (shard \(part.index)/\(part.count)) on \(jobs) jobs, \(series.map(\.candles.count).reduce(0, +)) candles each\n".utf8))
        print(Sweep.csvHeader(names).replacingOccurrences(of: "rank,", with: "done,"))
        let started = DispatchTime.now().uptimeNanoseconds
        let counter = Counter()
        let results: [SweepResult]
        do {
            results = try Sweep.run(indices: points, jobs: jobs, evaluate: { index in
                try SweepResult.evaluate(index: index, parameters: parameters.point(index), strategy: strategy, series: series,
                                         configuration: config, settings: settings, baseTimeframe: interval)
            }, done: { r in
                print(Sweep.csvRow(r, rank: counter.next(), names: names, minTrades: minTrades))
            })
        } catch { throw CommandFailure("\(error)") }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
        let candles = results.reduce(0) { $0 + $1.candles }
        FileHandle.standardError.write(Data(String(format: "sweep: %d backtests in %.2f s: %.2f backtests/s, %.0f candles/s in total\n",
                                                   results.count, seconds, Double(results.count) / seconds, Double(candles) / seconds).utf8))
        let ranked = Sweep.ranked(results, by: objective, minTrades: minTrades)
        if let best = ranked.first {
            FileHandle.standardError.write(Data("best by \(objective.rawValue): \(names.map { "\($0)=\(best.parameters[$0]!)" }.joined(separator: " ")) → net PnL \(String(format: "%.2f", best.netPnL)), \(best.metrics.tradeCount) trades\n".utf8))
        }
        if let out { try write(Sweep.csv(ranked, names: names, minTrades: minTrades), to: out) }
        if let json {
            let rows: [[String: Any]] = ranked.enumerated().map { k, r in
                ["rank": k + 1, "index": r.index, "parameters": r.parameters, "eligible": r.metrics.tradeCount >= minTrades,
                 "net_pnl": r.netPnL, "total_return": r.metrics.totalReturn, "sharpe": r.metrics.sharpe ?? NSNull(),
                 "calmar": r.metrics.calmar ?? NSNull(), "max_drawdown": r.metrics.maxDrawdown,
                 "profit_factor": r.metrics.profitFactor ?? NSNull(), "trades": r.metrics.tradeCount]
            }
            try write(try JSONSerialization.data(withJSONObject: ["objective": objective.rawValue, "min_trades": minTrades, "points": rows],
                                                 options: [.prettyPrinted, .sortedKeys]), to: json)
        }
    }

    /// Numbers the points as they finish (for the streamed lines).
    final class Counter: @unchecked Sendable {
        private let lock = NSLock()
        private var n = 0
        func next() -> Int { lock.withLock { n += 1; return n } }
    }
}

struct SweepMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sweep-merge",
        abstract: "Merge the tables of a sharded sweep into the one table a single machine would write.")

    @Argument(help: "The shards' --out tables.")
    var tables: [String]
    @Option(name: .long, help: "Rank by: net_pnl, sharpe, calmar or profit_factor (as the shards were run).")
    var objective = "net_pnl"
    @Option(name: .customLong("min-trades"), help: "As the shards were run.")
    var minTrades = 10
    @Option(name: .long, help: ArgumentHelp("Write the merged table here (default: standard output).", valueName: "OUT.csv"))
    var out: String?

    func run() throws {
        guard let objective = SweepObjective(rawValue: objective) else {
            throw ValidationError("--objective must be one of \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        guard !tables.isEmpty else { throw ValidationError("give the shards' tables") }
        let texts = try tables.map { path in
            do { return try String(contentsOfFile: path, encoding: .utf8) } catch { throw CommandFailure("cannot read \(path): \(error.localizedDescription)") }
        }
        let merged: String
        do { merged = try Sweep.merge(texts, objective: objective, minTrades: minTrades) } catch { throw CommandFailure(error.description) }
        if let out { try write(merged, to: out) } else { print(merged, terminator: "") }
    }
}
