import Foundation
import Testing
import TestSupport

/// Our report's total return, CAGR, Sharpe, Sortino, maximum drawdown and
/// Calmar agree with quantstats (pip), fed the same equity curve, to 1e-6
/// relative — under the conventions `python/quantstats_check.py` states.
@Suite(.serialized) struct MetricsOracleTests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeengine-qs-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    @Test(arguments: [
        (["--data", "BTCUSDT-1m-20250101-20250204.csv"], "2025-02-03T23:59:00Z", "ema_cross_rsi"),
        (["--data", "BTCUSDT-1m-20250520-20250818.csv.gz", "--data", "ETHUSDT-1m-20250520-20250818.csv.gz"], "2025-08-17T23:59:00Z", "models"),
    ])
    func ourMetricsAgreeWithQuantstats(_ files: [String], _ to: String, _ strategy: String) throws {
        let check = try runCommand("/usr/bin/env", ["python3", "-c", "import quantstats"], timeout: 120)
        try #require(check.exitCode == 0, "quantstats is needed: run scripts/install-deps.sh. \(check.stderr)")
        let report = scratch.appendingPathComponent("report.json").path, equity = scratch.appendingPathComponent("equity.csv").path
        let data = files.map { $0.hasPrefix("--") ? $0 : SharedData.data($0) }
        let run = try ProductBinary.run("tradeengine", ["backtest"] + data + ["--strategy", strategy, "--to", to,
                                                                               "--report", report, "--equity", equity, "--quiet"])
        #expect(run.status == 0, "\(run.stderr)")
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CommandLineTests/python/quantstats_check.py").path
        let r = try runCommand("/usr/bin/env", ["python3", script, report, equity, "1e-6"], timeout: 300)
        #expect(r.exitCode == 0 && r.stdout.contains("6 passed, 0 failed"), "\(r.stdout)\n\(r.stderr)")
    }
}
