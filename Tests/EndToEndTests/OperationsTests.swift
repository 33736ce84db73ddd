import Foundation
import TestSupport
import Testing

/// Operating the real server: Prometheus metrics on their own listener, read by
/// prometheus_client's parser; JSON log lines with run, model and symbol
/// fields, also on the WatchLogs stream; the health score in status.
@Suite(.serialized) struct OperationsTests {
    struct Sample { var name: String; var labels: [String: String]; var value: Double }

    static func scrape(_ address: String) throws -> [Sample] {
        let script = SharedData.packageRoot.appendingPathComponent("Tests/EndToEndTests/python/parse_metrics.py").path
        let r = try run("/usr/bin/env", ["python3", script, "http://\(address)/metrics"], timeout: 60)
        guard r.exitCode == 0 else { throw ServerError("prometheus_client refused the metrics: \(r)") }
        return try r.stdout.split(separator: "\n").map { line in
            let o = try JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            return Sample(name: o["name"] as! String, labels: o["labels"] as! [String: String], value: (o["value"] as! NSNumber).doubleValue)
        }
    }

    @Test func metricsAreScrapedThroughPrometheusClientAndLogsAreJSONLinesWithFields() throws {
        let check = try run("/usr/bin/env", ["python3", "-c", "import prometheus_client"])
        try #require(check.exitCode == 0, "prometheus_client is needed: run scripts/install-deps.sh. \(check.stderr)")
        let f = try Fixture(extraServerArguments: ["--metrics", "127.0.0.1:0", "--log-format", "json"])
        let address = try #require(f.server.metricsAddress)
        // A watcher of the logs, before the run starts, for the stream's fields.
        let watched = DataBox()
        let watcher = Thread {
            if let r = try? f.ctl(["watch", "logs", "--max-events", "1"], json: true, timeout: 60) { watched.append(Data(r.stdout.utf8)) }
        }
        watcher.start()
        usleep(500_000)
        #expect(try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "max", "--model", "models"]).exitCode == 0)
        _ = try f.waitForState(["ENGINE_STATE_FINISHED"])
        let samples = try Self.scrape(address)
        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { s in s.name == name && labels.allSatisfy { k, v in s.labels[k] == v } }?.value
        }
        func sum(_ name: String) -> Double { samples.filter { $0.name == name }.reduce(0) { $0 + $1.value } }
        #expect(value("tradeengine_candles_processed_total") == 50_180)
        let status = try f.ctl(["status"], json: true).json()["status"] as? [String: Any] ?? [:]
        let signalsSeen = (status["models"] as? [[String: Any]] ?? []).reduce(0) { $0 + (Int($1["signals"] as? String ?? "0") ?? 0) }
        #expect(sum("tradeengine_signals_total") == Double(signalsSeen) && signalsSeen > 100)
        #expect(samples.contains { $0.name == "tradeengine_signals_total" && $0.labels["model"] == "aggressive" && $0.labels["outcome"] == "vetoed" })
        let fills = try f.ctl(["trades", "--all"], json: true).json()["trades"] as? [Any] ?? []
        #expect(sum("tradeengine_fills_total") == Double(fills.count) && !fills.isEmpty)
        #expect(samples.filter { $0.name == "tradeengine_fills_total" }.allSatisfy { $0.labels["venue"] == "paper" })
        #expect(sum("tradeengine_orders_total") >= Double(fills.count))
        #expect((value("tradeengine_rpc_calls_total", ["method": "GetStatus", "code": "ok"]) ?? 0) >= 1)
        #expect((value("tradeengine_rpc_calls_total", ["method": "Start", "code": "ok"]) ?? 0) == 1)
        #expect((value("tradeengine_journal_commit_seconds_count") ?? 0) >= 1)
        #expect((value("tradeengine_decision_seconds_count") ?? 0) >= 1)
        #expect((value("tradeengine_store_bytes") ?? 0) > 0)
        #expect(value("tradeengine_equity").map { abs($0 - Double(status["equity"] as! String)!) < 0.01 } == true)
        let health = try #require(value("tradeengine_health_score"))
        #expect(health > 0 && health <= 100)
        #expect(abs(health - ((status["health"] as? [String: Any])?["score"] as? Double ?? -1)) < 1e-9)
        #expect(samples.filter { $0.name == "tradeengine_health_part" }.count == 7)
        #expect(samples.contains { $0.name == "tradeengine_breaker_state" && $0.labels["model"] == "big-picture" })
        #expect(value("tradeengine_kill_switch_tripped") == 0)
        #expect(value("tradeengine_stream_watchers") != nil && value("tradeengine_stream_lag_markers") != nil)
        #expect(value("tradeengine_feed_lag_seconds") == 0)
        // A halt shows at once.
        #expect(try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "models"]).exitCode == 0)
        #expect(try f.ctl(["halt", "--reason", "drill"]).exitCode == 0)
        let halted = try Self.scrape(address)
        #expect(halted.first { $0.name == "tradeengine_kill_switch_tripped" }?.value == 1)
        #expect(halted.first { $0.name == "tradeengine_health_part" && $0.labels["part"] == "breakers" }?.value == 0)
        #expect(try f.ctl(["stop"]).exitCode == 0)
        // Only /metrics is served there.
        let other = try run("/usr/bin/env", ["python3", "-c", "import urllib.request,sys\ntry: urllib.request.urlopen('http://\(address)/other')\nexcept Exception as e: print(e)"])
        #expect(other.stdout.contains("404"))

        // Log lines: one JSON object per line with component, and the run's lines carry it.
        f.server.stop()
        let lines = f.server.stderr.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == f.server.stderr.split(separator: "\n").count, "every line is JSON: \(f.server.stderr.prefix(2000))")
        #expect(lines.allSatisfy { $0["component"] is String && $0["level"] is String && $0["time"] is String && $0["message"] is String })
        #expect(lines.contains { ($0["message"] as? String)?.hasPrefix("run 1 started") == true && $0["run"] as? String == "1" })
        #expect(lines.contains { $0["component"] as? String == "audit" && $0["method"] as? String == "tradeengine.v1.ControlService/Halt" })
        // The stream carried the same record, with its fields.
        let deadline = Date().addingTimeInterval(10)
        while watcher.isExecuting && Date() < deadline { usleep(50_000) }
        let streamed = String(decoding: watched.get(), as: UTF8.self)
        #expect(streamed.contains("\"run\":\"1\"") && streamed.contains("run 1 started"), "\(streamed)")
    }
}
