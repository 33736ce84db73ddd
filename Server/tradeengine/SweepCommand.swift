import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeReport

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

    @OptionGroup var sweep: SweepOptions
    @Option(name: .long, help: ArgumentHelp("Run only the points of shard I of N (index mod N == I).", valueName: "I/N"))
    var shard: String?
    @Option(name: .long, help: ArgumentHelp("Write the ranked table as CSV.", valueName: "OUT.csv"))
    var out: String?
    @Option(name: .long, help: ArgumentHelp("Write the ranked table as JSON.", valueName: "OUT.json"))
    var json: String?
    @Option(name: .long, help: ArgumentHelp("Write the HTML report: ranking, heat maps over parameter pairs, the objective's distribution.", valueName: "OUT.html"))
    var html: String?

    func run() throws {
        let part: Sweep.Shard
        do { part = try shard.map(Sweep.Shard.init(parsing:)) ?? .whole } catch { throw ValidationError(error.description) }
        let p = try sweep.prepare()
        let (objective, strategy, settings, parameters, series) = (p.objective, p.strategy, p.settings, p.grid, p.series)
        let (jobs, minTrades) = (sweep.jobs, sweep.minTrades)
        let points = p.points.filter(part.contains)
        let names = parameters.names
        let config = p.configuration, interval = p.interval
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
        let table = Sweep.csv(ranked, names: names, minTrades: minTrades)
        if let out { try write(table, to: out) }
        if let html { try writeSweepReport(table: table, objective: objective, minTrades: minTrades, to: html) }
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
    @Option(name: .long, help: ArgumentHelp("Write the HTML report of the merged table (as sweep --html).", valueName: "OUT.html"))
    var html: String?

    func run() throws {
        let objective = try SweepOptions.objective(self.objective)
        guard !tables.isEmpty else { throw ValidationError("give the shards' tables") }
        let texts = try tables.map { String(decoding: try readFile($0), as: UTF8.self) }
        let merged: String
        do { merged = try Sweep.merge(texts, objective: objective, minTrades: minTrades) } catch { throw CommandFailure(error.description) }
        if let out { try write(merged, to: out) } else { print(merged, terminator: "") }
        if let html { try writeSweepReport(table: merged, objective: objective, minTrades: minTrades, to: html) }
    }
}

/// The sweep's HTML report, drawn from its ranked table (so a merge of shards draws the same report).
func writeSweepReport(table: String, objective: SweepObjective, minTrades: Int, to path: String) throws {
    let page: ReportPage
    do { page = try SweepPage.build(table: table, objective: objective.rawValue, minTrades: minTrades, command: commandLine()) }
    catch { throw CommandFailure("\(error)") }
    try write(page.render(), to: path)
}
