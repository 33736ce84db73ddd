import Foundation
import Testing
import TestSupport

/// The HTML reports of `backtest`, `sweep` and `walkforward`, looked at in a
/// real browser: headless Chromium (Debian's `chromium`) over the DevTools
/// protocol (`python/report_browser_check.py`) must find every chart drawn —
/// marks the browser laid out with a size — a clean console, nothing fetched
/// from anywhere, and take a full-page screenshot.
@Suite(.serialized) struct HTMLReportTests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeengine-html-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    struct BrowserView {
        var exitCode: Int32
        var charts: [String: (marks: Int, drawn: Int)]
        var console: [String]
        var external: Int
        var raw: String
    }

    /// What the browser saw of a report.
    func look(at html: String, screenshot: String) throws -> BrowserView {
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CommandLineTests/python/report_browser_check.py").path
        let r = try runCommand("/usr/bin/env", ["python3", script, html, screenshot], timeout: 180)
        let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any] ?? [:]
        var charts: [String: (Int, Int)] = [:]
        for c in json["charts"] as? [[String: Any]] ?? [] {
            charts[c["chart"] as? String ?? ""] = (c["marks"] as? Int ?? 0, c["drawn"] as? Int ?? 0)
        }
        return BrowserView(exitCode: r.exitCode, charts: charts, console: json["console"] as? [String] ?? ["no answer: \(r.stderr)"],
                           external: json["external"] as? Int ?? -1, raw: r.stdout + r.stderr)
    }

    func isPNG(_ path: String) -> Bool {
        guard let d = FileManager.default.contents(atPath: path) else { return false }
        return d.count > 20_000 && d.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
    }

    @Test func aModelsBacktestReportDrawsEveryChartInChromium() throws {
        let args = ["backtest", "--strategy", "models", "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"),
                    "--data", SharedData.data("ETHUSDT-1m-20250101-20250204.csv"), "--monte-carlo", "300", "--quiet"]
        let run = try ProductBinary.run("tradeengine", args + ["--html", file("a/backtest.html")])
        #expect(run.status == 0, "\(run.stderr)")
        let seen = try look(at: file("a/backtest.html"), screenshot: file("backtest.png"))
        #expect(seen.exitCode == 0, "\(seen.raw)")
        let expected = ["equity", "underwater", "monthly", "price-BTCUSDT", "price-ETHUSDT", "model-pnl", "model-days", "exits",
                        "mc-fan-shuffle", "mc-drawdown-shuffle", "mc-fan-bootstrap", "mc-final-bootstrap", "mc-drawdown-bootstrap",
                        "mc-fan-block_bootstrap", "mc-final-block_bootstrap", "mc-drawdown-block_bootstrap"]
        for id in expected {
            let c = seen.charts[id]
            #expect(c != nil && c!.drawn > 0 && c!.drawn == c!.marks, "chart \(id): \(String(describing: c))")
        }
        #expect(seen.console.isEmpty && seen.external == 0, "\(seen.console)")
        #expect(isPNG(file("backtest.png")))
        let html = try String(contentsOfFile: file("a/backtest.html"), encoding: .utf8)
        #expect(html.contains("Resolver") && html.contains("<td>aggressive</td>"), "the resolver's table")
        #expect(!html.contains("https://") && !html.contains("src="), "opens offline")
        // Same command, same page: every number is reproduced by its command line.
        let again = try ProductBinary.run("tradeengine", args + ["--html", file("b/backtest.html")])
        #expect(again.status == 0)
        #expect(try withoutCommand(file("a/backtest.html")) == withoutCommand(file("b/backtest.html")))
    }

    @Test func sweepAndWalkForwardReportsDrawInChromium() throws {
        let grid = file("grid.json")
        try Data(#"{"fast_period": [8, 12, 16], "slow_period": [21, 34]}"#.utf8).write(to: URL(fileURLWithPath: grid))
        let data = ["--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--to", "2025-01-16", "--grid", grid, "--min-trades", "5"]
        let sweep = try ProductBinary.run("tradeengine", ["sweep"] + data + ["--html", file("sweep.html")])
        #expect(sweep.status == 0, "\(sweep.stderr)")
        let s = try look(at: file("sweep.html"), screenshot: file("sweep.png"))
        #expect(s.exitCode == 0, "\(s.raw)")
        // One heat map (fast × slow, six cells) and the objective's distribution.
        #expect(s.charts["sweep-ema_cross_rsi.fast_period-ema_cross_rsi.slow_period"]?.drawn == 6, "\(s.charts.keys.sorted())")
        #expect((s.charts["sweep-distribution"]?.drawn ?? 0) > 0)
        let wf = try ProductBinary.run("tradeengine", ["walkforward"] + data + ["--in-sample", "4d", "--out-of-sample", "2d", "--html", file("wf.html")])
        #expect(wf.status == 0, "\(wf.stderr)")
        let w = try look(at: file("wf.html"), screenshot: file("wf.png"))
        #expect(w.exitCode == 0, "\(w.raw)")
        for id in ["wf-timeline", "wf-equity", "wf-underwater", "wf-degradation"] { #expect((w.charts[id]?.drawn ?? 0) > 0, "\(id)") }
        #expect(isPNG(file("wf.png")) && isPNG(file("sweep.png")))
    }

    /// The check itself can fail: a chart with nothing drawn and a console error are both caught.
    @Test func theBrowserCheckCatchesAnEmptyChartAndAConsoleError() throws {
        let page = file("broken.html")
        try Data("""
        <!DOCTYPE html><html><body>
        <figure class="chart" data-chart="empty"><svg width="100" height="50"><path class="mark" d=""/></svg></figure>
        <figure class="chart" data-chart="drawn"><svg width="100" height="50"><rect class="mark" x="1" y="1" width="10" height="10"/></svg></figure>
        <script>console.error("boom")</script></body></html>
        """.utf8).write(to: URL(fileURLWithPath: page))
        let seen = try look(at: page, screenshot: file("broken.png"))
        #expect(seen.exitCode != 0)
        #expect(seen.charts["empty"]?.drawn == 0 && seen.charts["drawn"]?.drawn == 1)
        #expect(seen.console.contains { $0.contains("boom") })
    }
}
