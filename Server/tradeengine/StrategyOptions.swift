import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeReport

/// The options that choose a strategy and its settings, shared by `backtest` and `replay`.
struct StrategyOptions: ParsableArguments {
    @Option(name: .long, help: "Strategy to run: \(StrategyCatalog.names.joined(separator: ", ")).")
    var strategy = "ema_cross_rsi"

    @Option(name: .long, help: ArgumentHelp("With --strategy models: which models run (default all): aggressive,balanced,big-picture.", valueName: "LIST"))
    var models: String?

    @Option(name: .long, help: "Market-order fill convention: next-open (default) or close.")
    var fill: String?

    @Option(name: .long, help: ArgumentHelp("JSON settings: costs, instruments, regime, strategy parameters.", valueName: "FILE"))
    var config: String?

    /// The settings: the config file, then the flags over it. Argument mistakes
    /// throw `ValidationError`; an unreadable or invalid config file `CommandFailure`.
    func settings(signalsRequested: Bool = false) throws -> RunSettings {
        var settings = RunSettings()
        if let config {
            do { settings = try RunSettings.load(path: config) } catch { throw CommandFailure(error.description) }
        }
        if let fill {
            guard let f = FillConvention(rawValue: fill) else { throw ValidationError("--fill must be next-open or close, got \(fill)") }
            settings.fill = f
        }
        guard StrategyCatalog.names.contains(strategy) else {
            throw ValidationError("unknown strategy '\(strategy)'; available: \(StrategyCatalog.names.joined(separator: ", "))")
        }
        if (models != nil || signalsRequested) && strategy != "models" {
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
        return settings
    }

    /// A fingerprint of the config file's bytes ("none" without one), for run identities.
    func configFingerprint() throws -> String {
        guard let config else { return "none" }
        return String(fnv1a(try Data(contentsOf: URL(fileURLWithPath: config))), radix: 16)
    }
}

/// What a run writes besides its printed summary, shared by `backtest` and `replay`.
struct OutputOptions: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write the full report as JSON.", valueName: "OUT.json"))
    var report: String?

    @Option(name: .long, help: ArgumentHelp("Write every fill: side,bar_index,ts,price,qty,symbol (models: then model,entry_reason,exit_reason).", valueName: "OUT.csv"))
    var trades: String?

    @Option(name: .long, help: ArgumentHelp("Write the equity curve: ts,equity (default: beside --report).", valueName: "OUT.csv"))
    var equity: String?

    @Option(name: .long, help: ArgumentHelp("With --strategy models: write every signal with its outcome and reasons.", valueName: "OUT.csv"))
    var signals: String?

    @Option(name: .long, help: ArgumentHelp("Write the HTML report: one self-contained file with the charts (opens offline).", valueName: "OUT.html"))
    var html: String?

    /// Prints the summary and writes every file asked for.
    func emit(_ rep: BacktestReport, _ result: BacktestResult, series: [MarketSeries]) throws {
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
        if let html {
            try write(BacktestPage.build(report: rep, result: result, series: series, command: commandLine()).render(), to: html)
        }
    }

    static func equityPath(besideReport path: String) -> String {
        let base = path.hasSuffix(".json") ? String(path.dropLast(5)) : path
        return base + ".equity.csv"
    }
}

/// The command line that produced a report, as a shell would read it back.
func commandLine() -> String {
    (["tradeengine"] + CommandLine.arguments.dropFirst()).map { arg in
        arg.allSatisfy { $0.isLetter || $0.isNumber || "-_./=:,@+".contains($0) } && !arg.isEmpty ? arg
            : "'" + arg.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }.joined(separator: " ")
}

/// An input file's bytes, or a failure naming it.
func readFile(_ path: String) throws -> Data {
    do { return try Data(contentsOf: URL(fileURLWithPath: path)) } catch { throw CommandFailure("cannot read \(path): \(error.localizedDescription)") }
}

func write(_ text: String, to path: String) throws { try write(Data(text.utf8), to: path) }

/// Writes an output file atomically, creating its folder if needed (`--report out/r.json`
/// on a fresh clone has no `out/` yet).
func write(_ data: Data, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try data.write(to: url, options: .atomic)
    } catch { throw CommandFailure("cannot write \(path): \(error.localizedDescription)") }
}

/// FNV-1a: a stable fingerprint of bytes (a config file, candles), so a resumed
/// run notices when its inputs changed since it started.
func fnv1a(_ bytes: some Sequence<UInt8>, _ seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var hash = seed
    for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
    return hash
}
