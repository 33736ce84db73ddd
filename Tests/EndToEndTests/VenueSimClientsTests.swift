import Foundation
import Testing
import TestSupport

/// The exchange simulator proven faithful by clients we did not write: the
/// real `tradeengine venue-sim --venue binance` binary on real candles, driven
/// by python-binance and ccxt from pip (`python/venue_clients_check.py`).
@Suite(.serialized) struct VenueSimClientsTests {
    /// What python `modules` need, a simulator started with `simulator` arguments (and an account of
    /// `key`/`secret`), and `python/venue_clients_check.py MODE` run against it: its output and the simulator's stderr.
    func clientCheck(_ mode: String, modules: String, key: String, secret: String, simulator: [String]) throws -> (CommandResult, String) {
        let check = try runCommand("/usr/bin/env", ["python3", "-c", "import \(modules)"], timeout: 120)
        try #require(check.exitCode == 0, "\(modules) (pip) needed: run scripts/install-deps.sh. \(check.stderr)")
        let sim = try ListeningProcess(Binaries.tradeengine, ["venue-sim", "--listen", "127.0.0.1:0"] + simulator)
        defer { sim.stop() }
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CommandLineTests/python/venue_clients_check.py").path
        let r = try runCommand("/usr/bin/env", ["python3", script, mode, sim.address, key, secret], timeout: 180)
        return (r, sim.stderr)
    }

    @Test func pythonBinanceAndCcxtTradeAgainstTheSimulator() throws {
        let (key, secret) = ("clients-key", "clients-secret")
        let (r, simErr) = try clientCheck("binance", modules: "binance, ccxt", key: key, secret: secret, simulator: [
            // 300x: a 1-minute candle closes every 0.2 s, so the stream checks see several.
            "--venue", "binance", "--speed", "300x",
            "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--data", SharedData.data("ETHUSDT-1m-20250101-20250204.csv"),
            "--account", "\(key):\(secret):USDT=100000,BTC=0",
        ])
        #expect(r.exitCode == 0 && r.stdout.contains(" passed, 0 failed"), "\(r.stdout)\n\(r.stderr)\n\(simErr)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
    }

    @Test func ccxtTradesAgainstTheBybitSimulator() throws {
        let (key, secret) = ("bybit-key", "bybit-secret")
        let (r, simErr) = try clientCheck("bybit", modules: "ccxt", key: key, secret: secret, simulator: [
            "--venue", "bybit", "--speed", "300x",
            "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--account", "\(key):\(secret):USDT=100000,BTC=0.01",
        ])
        #expect(r.exitCode == 0 && r.stdout.contains(" passed, 0 failed") && !r.stdout.contains("FAIL"), "\(r.stdout)\n\(r.stderr)\n\(simErr)")
    }

    @Test func pythonBinanceMeetsTheFaultSchedule() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("venue-faults-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let faults = dir.appendingPathComponent("faults.json")
        try Data(#"""
        {"seed": 3, "faults": [
          {"kind": "latency", "from": 0, "to": 600, "ms": 300, "paths": ["/api/v3/time"]},
          {"kind": "clock_skew", "from": 0, "to": 600, "ms": 3000},
          {"kind": "lost_ack", "from": 0, "to": 4, "ms": 100, "paths": ["POST /api/v3/order"]},
          {"kind": "server_error", "from": 0, "to": 600, "status": 503, "paths": ["/api/v3/openOrders"]}]}
        """#.utf8).write(to: faults)
        let (key, secret) = ("faults-key", "faults-secret")
        let (r, simErr) = try clientCheck("binance-faults", modules: "binance", key: key, secret: secret, simulator: [
            "--venue", "binance", "--faults", faults.path,
            "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--account", "\(key):\(secret)",
        ])
        #expect(r.exitCode == 0 && r.stdout.contains(" passed, 0 failed") && !r.stdout.contains("FAIL"), "\(r.stdout)\n\(r.stderr)\n\(simErr)")
        // A schedule with a mistake is refused with the reason, before anything listens.
        try Data(#"{"seed": 1, "faults": [{"kind": "meteor", "from": 0, "to": 1}]}"#.utf8).write(to: faults)
        let bad = try runCommand(Binaries.tradeengine, ["venue-sim", "--listen", "127.0.0.1:0", "--faults", faults.path,
                                                        "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv")], timeout: 60)
        #expect(bad.exitCode != 0 && bad.stderr.contains("faults[0].kind must be one of") && !bad.stdout.contains("listening"), "\(bad.stderr)")
    }

    @Test func badArgumentsAreRefusedBeforeAnythingListens() throws {
        for (args, message) in [(["--venue", "kraken"], "--venue must be binance or bybit"),
                                (["--speed", "fast"], "--speed must be Nx"),
                                (["--account", "nokey"], "--account must be KEY:SECRET"),
                                ([String](), "at least one --data")] {
            let data = args.isEmpty ? [] : ["--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv")]
            let r = try runCommand(Binaries.tradeengine, ["venue-sim", "--listen", "127.0.0.1:0"] + data + args, timeout: 60)
            #expect(r.exitCode != 0 && r.stderr.contains(message) && !r.stdout.contains("listening"), "\(args): \(r.stderr)")
        }
    }
}
