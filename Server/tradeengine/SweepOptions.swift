import ArgumentParser
import Foundation
import TradeCore
import TradeEngine

/// What `sweep` and `walkforward` share: the data, the strategy, the grid and
/// how its points are run and ranked.
struct SweepOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []
    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time.")
    var from: String?
    @Option(name: .long, help: "Last bar to use (inclusive).")
    var to: String?
    @OptionGroup var choice: StrategyOptions
    @Option(name: .long, help: ArgumentHelp("The grid: parameter names to lists of values (JSON).", valueName: "FILE.json"))
    var grid: String
    @Option(name: .long, help: "Run this many distinct points of the grid (per sweep), drawn with --seed (default: all).")
    var random: Int?
    @Option(name: .long, help: "Seed of the --random draw.")
    var seed: UInt64 = 1
    @Option(name: .long, help: "Backtests at once (default: every core).")
    var jobs = ProcessInfo.processInfo.activeProcessorCount
    @Option(name: .long, help: "Rank by: net_pnl, sharpe, calmar or profit_factor.")
    var objective = "net_pnl"
    @Option(name: .customLong("min-trades"), help: "Points with fewer closed trades rank after all others.")
    var minTrades = 10

    /// Everything a sweep needs, read and checked.
    struct Prepared {
        var objective: SweepObjective
        var strategy: String
        var settings: RunSettings
        var grid: ParameterGrid
        var configuration: EngineConfiguration
        var series: [MarketSeries]
        var interval: Timeframe
        /// The grid points to run (all, or the --random draw).
        var points: [Int]
    }

    func prepare() throws -> Prepared {
        let objective = try Self.objective(self.objective)
        guard (1...1024).contains(jobs) else { throw ValidationError("--jobs must be 1…1024") }
        guard minTrades >= 0 else { throw ValidationError("--min-trades must be ≥ 0") }
        if let random { guard random >= 1 else { throw ValidationError("--random must be ≥ 1") } }
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
        let (configuration, series) = loaded.configured(with: settings)
        return Prepared(objective: objective, strategy: strategy, settings: settings, grid: parameters, configuration: configuration,
                        series: series, interval: loaded.interval, points: parameters.selection(random: random, seed: seed))
    }

    /// `--objective`, checked (also for `sweep-merge`).
    static func objective(_ text: String) throws -> SweepObjective {
        guard let o = SweepObjective(rawValue: text) else {
            throw ValidationError("--objective must be one of \(SweepObjective.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        return o
    }
}
