import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore

struct ReplayCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "replay",
        abstract: "Replay recorded candles on the paper broker, durably: every step is journaled to the store.",
        discussion: """
        The run survives kill -9 anywhere: run the same command again and it resumes from the latest
        snapshot plus the journal, to exactly the result of an uninterrupted run. A database holds one
        run; resuming with other arguments is refused.
        Example: tradeengine replay --db var/run.sqlite --data ../shared/data/BTCUSDT-1m-20250101-20250204.csv
        """)

    @Option(name: .long, help: ArgumentHelp("The store that journals the run (created if absent).", valueName: "PATH"))
    var db = "var/tradeengine.sqlite"

    @Option(name: .long, help: ArgumentHelp("Candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("Replay candles imported into the --db store (tradeengine import) instead of files.", valueName: "BTCUSDT,ETHUSDT"))
    var symbols: String?

    @Option(name: .long, help: "Venue of the stored candles (with --symbols).")
    var venue = "binance"

    @Option(name: .long, help: "First bar to use: Unix ms or UTC date/time.")
    var from: String?

    @Option(name: .long, help: "Last bar to use (inclusive).")
    var to: String?

    @OptionGroup var choice: StrategyOptions
    @OptionGroup var output: OutputOptions

    @Option(name: .long, help: "Candles per commit (one fsync each).")
    var batch = 1_000

    @Option(name: .long, help: "Candles between engine snapshots.")
    var snapshotEvery = 50_000

    @Flag(name: .long, help: "Print a line after every commit: the journal sequence, candles done and working orders.")
    var printCommits = false

    func validate() throws {
        guard batch >= 1 else { throw ValidationError("--batch must be at least 1") }
        guard snapshotEvery >= 1 else { throw ValidationError("--snapshot-every must be at least 1") }
    }

    func run() throws {
        let settings = try choice.settings(signalsRequested: output.signals != nil)
        let configDigest = try choice.configFingerprint()
        let fromMs = try from.map(TimeArgument.parse), toMs = try to.map(TimeArgument.parse)
        let loaded: LoadedData
        if let symbols {
            guard data.isEmpty else { throw ValidationError("give either --data files or --symbols from the store, not both") }
            let names = symbols.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
            guard !names.isEmpty else { throw ValidationError("--symbols needs at least one symbol, e.g. --symbols BTCUSDT,ETHUSDT") }
            loaded = try LoadedData.load(store: db, venue: venue, symbols: names, interval: nil, from: fromMs, to: toMs)
        } else {
            loaded = try LoadedData.load(paths: data, from: fromMs, to: toMs)
        }
        let (configuration, series) = loaded.configured(with: settings)
        let identity = RunIdentity(strategy: choice.strategy, symbols: series.map(\.instrument.symbol), settings: [
            "fill": configuration.broker.fillConvention.rawValue,
            "config": configDigest,
            "models": choice.models ?? "all",
            "data": zip(loaded.summaries, series).map { "\($0.file):\($1.firstBarIndex)+\($1.candles.count)" }.joined(separator: ";"),
            "data_fingerprint": String(series.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { hash, s in
                s.candles.withUnsafeBytes { fnv1a($0, hash) }
            }, radix: 16),
        ])
        let store: TradeStore
        do { store = try TradeStore(path: db) } catch { throw CommandFailure(error.description) }
        let run = Run(store: store, identity: identity, series: series, configuration: configuration,
                      baseTimeframe: loaded.interval, batch: batch, snapshotEvery: snapshotEvery, printCommits: printCommits)
        let (result, started) = try StrategyCatalog.visit(name: choice.strategy, configuration: configuration,
                                                           baseTimeframe: loaded.interval, settings: settings, run)
        try store.close()

        let rep = BacktestReport(strategy: choice.strategy, data: loaded.summaries, result: result, series: series,
                                 configuration: configuration, baseTimeframe: loaded.interval,
                                 loadSeconds: loaded.seconds, runSeconds: started)
        try output.emit(rep, result, series: series)
    }

    /// Opens (or resumes) the journaled run for the concrete strategy and runs it to the end.
    struct Run: StrategyVisitor {
        let store: TradeStore
        let identity: RunIdentity
        let series: [MarketSeries]
        let configuration: EngineConfiguration
        let baseTimeframe: Timeframe
        let batch: Int
        let snapshotEvery: Int
        let printCommits: Bool

        func visit<S: Strategy & Codable>(_ strategy: S) throws -> (BacktestResult, Double) {
            let (result, seconds, _) = try run(strategy)
            return (result, seconds)
        }

        /// The models strategy's run also reports per model, from the strategy as the run left it.
        func visit(models strategy: ModelsStrategy) throws -> (BacktestResult, Double) {
            var (result, seconds, final) = try run(strategy)
            result.models = final
            return (result, seconds)
        }

        func run<S: Strategy & Codable>(_ strategy: S) throws -> (BacktestResult, Double, S) {
            let started = DispatchTime.now().uptimeNanoseconds
            let replay: JournaledReplay<S>
            do {
                replay = try JournaledReplay(store: store, identity: identity, series: series, configuration: configuration,
                                             baseTimeframe: baseTimeframe, strategy: strategy, snapshotEvery: snapshotEvery)
            } catch { throw CommandFailure("cannot open the run in the store: \(error)") }
            if replay.candlesDone > 0 {
                let from = replay.resumedFromSnapshot ? "a snapshot and \(replay.replayedOnResume) journaled candles" : "\(replay.replayedOnResume) journaled candles"
                FileHandle.standardError.write(Data("resumed at candle \(replay.candlesDone) of \(replay.candlesTotal) from \(from)\n".utf8))
            }
            let out = FileHandle.standardOutput
            do {
                try replay.runToEnd(batchSize: batch) { r in
                    guard printCommits else { return }
                    out.write(Data("committed \(r.sequence) candles \(r.candlesDone) working \(r.engine.openOrderIDs.count)\n".utf8))
                }
            } catch { throw CommandFailure("the replay stopped: \(error)") }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - started) / 1e9
            return (BacktestResult(engine: replay.engine, series: series), seconds, replay.engine.strategy)
        }
    }
}
