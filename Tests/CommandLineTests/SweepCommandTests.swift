import Foundation
import Testing
import TestSupport

/// `tradeengine sweep` and `sweep-merge` as a user (or a cluster) runs them.
@Suite struct SweepCommandTests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeengine-sweep-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func tradeengine(_ args: [String]) throws -> ProductBinary.Output { try ProductBinary.run("tradeengine", args) }
    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    @Test func threeShardsOnAnyMachinesMergeIntoTheOneMachineTable() throws {
        let grid = file("grid.json")
        try Data(#"{"fast_period": [8, 12, 16], "slow_period": [21, 34]}"#.utf8).write(to: URL(fileURLWithPath: grid))
        let common = ["sweep", "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--to", "2025-01-15",
                      "--grid", grid, "--objective", "sharpe", "--min-trades", "50"]
        let whole = try tradeengine(common + ["--jobs", "2", "--out", file("whole.csv"), "--json", file("whole.json"), "--html", file("whole.html")])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stderr.contains("6 backtests") && whole.stderr.contains("best by sharpe"), "\(whole.stderr)")
        // Streamed: one line per point as it finished, after the header.
        #expect(whole.stdout.split(separator: "\n").count == 7)
        for k in 0..<3 {
            let shard = try tradeengine(common + ["--jobs", "1", "--shard", "\(k)/3", "--out", file("shard-\(k).csv")])
            #expect(shard.status == 0, "\(shard.stderr)")
        }
        let merged = try tradeengine(["sweep-merge", file("shard-2.csv"), file("shard-0.csv"), file("shard-1.csv"),
                                      "--objective", "sharpe", "--min-trades", "50", "--out", file("merged.csv"), "--html", file("merged.html")])
        #expect(merged.status == 0, "\(merged.stderr)")
        let a = try String(contentsOfFile: file("whole.csv"), encoding: .utf8), b = try String(contentsOfFile: file("merged.csv"), encoding: .utf8)
        #expect(a == b && a.split(separator: "\n").count == 7)
        // The merged table draws the same report (but for the command line it quotes).
        #expect(try withoutCommand(file("whole.html")) == withoutCommand(file("merged.html")))
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: file("whole.json")))) as? [String: Any]
        #expect((json?["points"] as? [[String: Any]])?.first?["rank"] as? Int == 1)
        // Bad input: a clear error, nothing written.
        let bad = try tradeengine(common + ["--shard", "3/3", "--out", file("bad.csv")])
        #expect(bad.status != 0 && bad.stderr.contains("--shard must be I/N"))
        #expect(!FileManager.default.fileExists(atPath: file("bad.csv")))
        let twice = try tradeengine(["sweep-merge", file("shard-0.csv"), file("shard-0.csv")])
        #expect(twice.status != 0 && twice.stderr.contains("in two shards"), "\(twice.stderr)")
    }

    @Test func walkForwardShardsMergeIntoTheOneMachineRun() throws {
        let grid = file("wf-grid.json")
        try Data(#"{"fast_period": [8, 16], "slow_period": [21, 34]}"#.utf8).write(to: URL(fileURLWithPath: grid))
        let common = ["walkforward", "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--to", "2025-01-19",
                      "--grid", grid, "--min-trades", "5", "--in-sample", "4d", "--out-of-sample", "2d"]
        let whole = try tradeengine(common + ["--out", file("wf.csv"), "--equity", file("wf-equity.csv"), "--html", file("wf.html")])
        #expect(whole.status == 0, "\(whole.stderr)")
        #expect(whole.stdout.contains("out of sample, stitched"))
        for k in 0..<3 {
            let shard = try tradeengine(common + ["--jobs", "1", "--shard", "\(k)/3", "--part", file("part-\(k).json")])
            #expect(shard.status == 0, "\(shard.stderr)")
            #expect(shard.stdout.contains("shard \(k)/3"))
        }
        let merged = try tradeengine(["walkforward-merge", file("part-1.json"), file("part-2.json"), file("part-0.json"),
                                      "--out", file("m.csv"), "--equity", file("m-equity.csv"), "--html", file("m.html")])
        #expect(merged.status == 0, "\(merged.stderr)")
        #expect(merged.stdout == whole.stdout, "the same windows and the same stitched result, printed")
        for (a, b) in [("wf.csv", "m.csv"), ("wf-equity.csv", "m-equity.csv")] {
            let x = try String(contentsOfFile: file(a), encoding: .utf8), y = try String(contentsOfFile: file(b), encoding: .utf8)
            #expect(x == y && x.split(separator: "\n").count > 3, "\(a) and \(b)")
        }
        #expect(try withoutCommand(file("wf.html")) == withoutCommand(file("m.html")))
        // Bad input: a missing part, a part twice, a shard without --part; clear errors, nothing written.
        let missing = try tradeengine(["walkforward-merge", file("part-0.json"), file("part-2.json"), "--out", file("bad.csv")])
        #expect(missing.status != 0 && missing.stderr.contains("windows missing from the parts"), "\(missing.stderr)")
        let twice = try tradeengine(["walkforward-merge", file("part-0.json"), file("part-0.json"), file("part-1.json"), file("part-2.json")])
        #expect(twice.status != 0 && twice.stderr.contains("in two parts"), "\(twice.stderr)")
        let noPart = try tradeengine(common + ["--shard", "0/3", "--out", file("bad.csv")])
        #expect(noPart.status != 0 && noPart.stderr.contains("--part"), "\(noPart.stderr)")
        let notPart = try tradeengine(["walkforward-merge", grid])
        #expect(notPart.status != 0 && notPart.stderr.contains("is not a walk-forward part"), "\(notPart.stderr)")
        #expect(!FileManager.default.fileExists(atPath: file("bad.csv")))
    }
}
