import Foundation
import Testing
import TestSupport

/// `tradeengine backtest` and `tradeengine indicators` as a user runs them.
@Suite struct BacktestCommandTests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeengine-cli-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func tradeengine(_ args: [String]) throws -> ProductBinary.Output { try ProductBinary.run("tradeengine", args) }
    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    /// The reference columns of a trades CSV (ours adds `symbol`).
    func referenceColumns(_ csv: String) -> [String] {
        csv.split(separator: "\n").map { $0.split(separator: ",").prefix(5).joined(separator: ",") }
    }

    @Test(arguments: [("BTCUSDT-1m-20250101-20250204.csv", "close", "98171.80"),
                      ("BTCUSDT-1m-20250520-20250818.csv.gz", "next-open", "95667.79")])
    func reproducesTheReferenceTradeListThroughTheCommandLine(_ data: String, _ fill: String, _ equity: String) throws {
        let trades = file("trades.csv")
        let out = try tradeengine(["backtest", "--data", SharedData.data(data), "--strategy", "ema_cross_rsi",
                                   "--fill", fill, "--trades", trades, "--report", file("report.json")])
        #expect(out.status == 0, "\(out.stderr)")
        let stem = data.replacingOccurrences(of: ".csv.gz", with: "").replacingOccurrences(of: ".csv", with: "")
        let expected = try SharedData.text(SharedData.reference("\(stem).ema_cross_rsi.\(fill).trades.csv"))
        let ours = try String(contentsOfFile: trades, encoding: .utf8)
        #expect(referenceColumns(ours) == referenceColumns(expected))
        #expect(out.stdout.contains("final equity") && out.stdout.contains(equity), "\(out.stdout)")
        // The report and the equity curve beside it.
        let report = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("report.json")))) as! [String: Any]
        let reported = Double(report["final_equity"] as? String ?? "") ?? 0
        #expect(abs(reported - Double(equity)!) <= 0.005, "report final_equity \(reported)")
        let metrics = report["metrics"] as! [String: Any]
        for key in ["total_return", "cagr", "sharpe", "sortino", "calmar", "max_drawdown", "max_drawdown_duration_days",
                    "win_rate", "profit_factor", "expectancy", "average_win", "average_loss", "exposure", "trade_count", "fees_paid"] {
            #expect(metrics[key] != nil, "metrics.\(key) missing")
        }
        #expect(report["buy_and_hold"] is [String: Any])
        let equityCurve = try String(contentsOfFile: file("report.equity.csv"), encoding: .utf8).split(separator: "\n")
        #expect(equityCurve.first == "ts,equity")
        #expect(out.stdout.contains("load ") && out.stdout.contains("candles/s"))
    }

    @Test func outputFoldersAreCreated() throws {
        let report = scratch.appendingPathComponent("new/folder/report.json").path
        let out = try tradeengine(["backtest", "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"),
                                   "--to", "2025-01-03", "--report", report])
        #expect(out.status == 0, "\(out.stderr)")
        #expect(FileManager.default.fileExists(atPath: report))
        #expect(FileManager.default.fileExists(atPath: scratch.appendingPathComponent("new/folder/report.equity.csv").path))
    }

    @Test func fromAndToCutTheDataButKeepFileBarIndices() throws {
        let trades = file("cut.csv")
        let out = try tradeengine(["backtest", "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"),
                                   "--from", "2025-01-10", "--to", "2025-01-20T00:00:00Z", "--trades", trades])
        #expect(out.status == 0, "\(out.stderr)")
        let rows = try String(contentsOfFile: trades, encoding: .utf8).split(separator: "\n").dropFirst()
        #expect(!rows.isEmpty)
        let from: Int64 = 1_736_467_200_000, to: Int64 = 1_737_331_200_000
        for row in rows {
            let f = row.split(separator: ",")
            let ts = Int64(f[2])!, index = Int(f[1])!
            #expect(ts >= from && ts <= to)
            #expect(Int64(index) == (ts - 1_735_689_600_000) / 60_000, "bar_index must count rows of the file")
        }
    }

    @Test func everyBadInputIsAClearErrorAndWritesNothing() throws {
        let good = SharedData.data("BTCUSDT-1m-20250101-20250204.csv")
        let badCSV = file("BTCUSDT-1m-bad.csv")
        try "ts,open,high,low,close,volume\n1735689600000,100,101,99,100.5,1\n1735689660000,100,99,98,100,1\n"
            .write(toFile: badCSV, atomically: true, encoding: .utf8)
        let config = file("typo.json")
        try #"{"fees": {"taker_bsp": 10}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        let cases: [([String], String)] = [
            (["backtest", "--data", file("missing.csv")], "missing.csv"),
            (["backtest", "--data", badCSV], "BTCUSDT-1m-bad.csv:3"),
            (["backtest", "--data", good, "--fill", "sometime"], "--fill must be next-open or close"),
            (["backtest", "--data", good, "--strategy", "moon"], "unknown strategy 'moon'"),
            (["backtest", "--data", good, "--config", config], "taker_bsp is not a known setting"),
            (["backtest", "--data", good, "--from", "2025-02-01", "--to", "2025-01-01"], "--from is after --to"),
            (["backtest", "--data", good, "--from", "yesterday"], "cannot read time 'yesterday'"),
            (["backtest", "--data", good, "--data", good], "given twice"),
            (["backtest"], "--data"),
        ]
        for (args, message) in cases {
            let trades = file("never.csv")
            let out = try tradeengine(args + ["--trades", trades])
            #expect(out.status != 0, "\(args) should fail")
            #expect(out.stderr.contains(message), "\(args): \(out.stderr)")
            #expect(!out.stderr.contains("Fatal error") && !out.stderr.contains("Backtrace"), "\(args) crashed: \(out.stderr)")
            #expect(!FileManager.default.fileExists(atPath: trades), "\(args) wrote a trades file")
        }
    }

    @Test func indicatorExportMatchesTALibReferenceColumns() throws {
        // The first 20,000 rows of the BTC 1m file are the reference's input.
        let input = file("BTCUSDT-1m-head.csv")
        let source = try SharedData.text(SharedData.data("BTCUSDT-1m-20250101-20250204.csv")).split(separator: "\n")
        try (source.prefix(20_001).joined(separator: "\n") + "\n").write(toFile: input, atomically: true, encoding: .utf8)
        let out = try tradeengine(["indicators", "--data", input, "--out", file("ind.csv")])
        #expect(out.status == 0, "\(out.stderr)")
        let ours = try SharedData.csvRows(file("ind.csv"))
        let reference = try SharedData.csvRows(SharedData.reference("BTCUSDT-1m-20250101-20250204.talib.csv.gz"))
        #expect(ours.header == reference.header)
        #expect(ours.rows.count == reference.rows.count)
        var worst = 0.0
        for (a, b) in zip(ours.rows, reference.rows).dropFirst(500) {
            for (x, y) in zip(a, b).dropFirst() {
                let p = Double(x)!, q = Double(y)!
                worst = max(worst, abs(q) < 1e-6 ? abs(p - q) : abs(p - q) / abs(q))
            }
        }
        #expect(worst <= 1e-9, "worst relative difference \(worst)")
        // Warm-up cells are empty exactly where TA-Lib's are.
        for (a, b) in zip(ours.rows, reference.rows).prefix(500) {
            #expect(a.map(\.isEmpty) == b.map(\.isEmpty))
        }
    }
}
