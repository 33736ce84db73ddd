import Foundation
import Testing
import TestSupport

/// The exchange simulator proven faithful by clients we did not write: the
/// real `tradeengine venue-sim --venue binance` binary on real candles, driven
/// by python-binance and ccxt from pip (`python/venue_clients_check.py`).
@Suite(.serialized) struct VenueSimClientsTests {
    @Test func pythonBinanceAndCcxtTradeAgainstTheSimulator() throws {
        let check = try runCommand("/usr/bin/env", ["python3", "-c", "import binance, ccxt"], timeout: 120)
        try #require(check.exitCode == 0, "python-binance and ccxt are needed: run scripts/install-deps.sh. \(check.stderr)")
        let (key, secret) = ("clients-key", "clients-secret")
        let sim = try ListeningProcess(Binaries.tradeengine, [
            // 300x: a 1-minute candle closes every 0.2 s, so the stream checks see several.
            "venue-sim", "--venue", "binance", "--listen", "127.0.0.1:0", "--speed", "300x",
            "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--data", SharedData.data("ETHUSDT-1m-20250101-20250204.csv"),
            "--account", "\(key):\(secret):USDT=100000,BTC=0",
        ])
        defer { sim.stop() }
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CommandLineTests/python/venue_clients_check.py").path
        let r = try runCommand("/usr/bin/env", ["python3", script, "binance", sim.address, key, secret], timeout: 180)
        #expect(r.exitCode == 0 && r.stdout.contains(" passed, 0 failed"), "\(r.stdout)\n\(r.stderr)\n\(sim.stderr)")
        #expect(!r.stdout.contains("FAIL"), "\(r.stdout)")
    }

    @Test func ccxtTradesAgainstTheBybitSimulator() throws {
        let check = try runCommand("/usr/bin/env", ["python3", "-c", "import ccxt"], timeout: 120)
        try #require(check.exitCode == 0, "ccxt is needed: run scripts/install-deps.sh. \(check.stderr)")
        let (key, secret) = ("bybit-key", "bybit-secret")
        let sim = try ListeningProcess(Binaries.tradeengine, [
            "venue-sim", "--venue", "bybit", "--listen", "127.0.0.1:0",
            "--data", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--account", "\(key):\(secret):USDT=100000,BTC=0.01",
        ])
        defer { sim.stop() }
        let script = SharedData.packageRoot.appendingPathComponent("Tests/CommandLineTests/python/venue_clients_check.py").path
        let r = try runCommand("/usr/bin/env", ["python3", script, "bybit", sim.address, key, secret], timeout: 180)
        #expect(r.exitCode == 0 && r.stdout.contains(" passed, 0 failed") && !r.stdout.contains("FAIL"), "\(r.stdout)\n\(r.stderr)\n\(sim.stderr)")
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
