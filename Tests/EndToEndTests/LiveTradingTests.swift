import Foundation
import Testing
import TestSupport
import TradeCore
import TradeVenues

/// Live mode with the real binaries: the simulator speaks Binance's REST and kline
/// stream with an account behind an API key, `tradeengine serve` is given the key in
/// a 0600 file, and `tradectl start --mode live --confirm-live` (admin only) trades
/// on that account. The server is killed with SIGKILL five times while it trades;
/// afterwards every order the run made is at the venue exactly once, every venue
/// trade is one of the run's fills, and the run holds exactly the coins the account
/// holds (fees in coins included).
@Suite(.serialized) struct LiveTradingTests {
    static let key = "live-test-key", secret = "live-test-secret"

    func keysFile(_ dir: String) throws -> String {
        let path = dir + "/binance.keys"
        try "key=\(Self.key)\nsecret=\(Self.secret)\n".write(toFile: path, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        return path
    }

    /// (symbol side price quantity) of each venue trade of the account, sorted.
    func venueTrades(_ gateway: OrderGateway) async throws -> [String] {
        var out: [String] = []
        for symbol in ["BTCUSDT", "ETHUSDT"] {
            for t in try await gateway.trades(symbol: symbol, startTime: 0) {
                out.append("\(symbol) \(t.side.rawValue.lowercased()) \(t.price) \(t.quantity)")
            }
        }
        return out.sorted()
    }

    @Test(.timeLimit(.minutes(4))) func aLiveRunKilledFiveTimesLeavesEveryOrderAtTheVenueOnceAndTheBooksEqual() async throws {
        let market = try PaperTradingTests.Market()
        defer { try? FileManager.default.removeItem(atPath: market.dir) }
        // 1,000 minutes of backfill, then 2,000 from the stream at 3000x (about 40 s) while the kills land.
        let sim = try ListeningProcess(Binaries.tradeengine, ["venue-sim", "--listen", "127.0.0.1:0", "--venue", "binance", "--speed", "3000x",
                                                             "--start", String(market.openTimes[1_000]),
                                                             "--account", "\(Self.key):\(Self.secret):USDT=100000"]
                                       + market.files.flatMap { ["--data", $0] })
        defer { sim.stop() }
        let keys = try keysFile(market.dir)
        let serverArgs = ["--binance-keys", keys, "--batch", "8", "--feed-stale-seconds", "2", "--feed-backoff-max-seconds", "2"]
        let f = try Fixture(extraServerArguments: serverArgs)
        var server = f.server
        defer { server.stop() }
        var c = Ctl(f, server)
        #expect(!server.stderr.contains(Self.secret), "the secret is never logged")
        let start = ["start", "--mode", "live", "--venue", "binance", "--symbols", "BTCUSDT,ETHUSDT", "--endpoint", "http://\(sim.address)",
                     "--from", String(market.firstOpen), "--model", "ema_cross_rsi"]

        // Refused, and nothing starts: without the confirmation, or as an operator.
        let unconfirmed = try c.call(start)
        #expect(unconfirmed.exitCode != 0 && unconfirmed.stderr.contains("--confirm-live"), "\(unconfirmed)")
        let asOperator = try f.ctl(start + ["--confirm-live"], as: "ops")
        #expect(asOperator.exitCode != 0 && asOperator.stderr.contains("admin"), "\(asOperator)")
        #expect(try c.status().state != "ENGINE_STATE_RUNNING")

        try c.ok(start + ["--confirm-live"])
        let text = try c.ok(["status"]).stdout
        #expect(text.contains("LIVE TRADING") && text.contains("reconciled"), "\(text)")

        var rng = SplitMix64(seed: 20_261_205)
        var log: [String] = []
        for kill in 1...5 {
            usleep(UInt32(Int.random(in: 1_000...5_000, using: &rng)) * 1000)
            try killHard(server)
            server = try ServerProcess(certs: f.certs, dataDir: Fixture.dataDir, database: f.server.database, extra: serverArgs)
            c = Ctl(f, server)
            let after = try c.status()
            log.append("kill \(kill): \(after.state) at candle \(after.int("candlesProcessed"))")
            #expect(after.state == "ENGINE_STATE_RUNNING" || after.state == "ENGINE_STATE_PAUSED", "\(log.joined(separator: "\n"))\n\(server.stderr)")
        }
        let all = PaperTradingTests.all
        _ = try c.waitFor("every candle", seconds: 120) { $0.int("candlesProcessed") >= all }
        // The last orders' answers come back on the next turns.
        usleep(2_000_000)
        let status = try c.status()
        #expect(status.raw["live"] as? Bool == true && status.state == "ENGINE_STATE_RUNNING", "\(status)\n\(log)")

        let gateway = OrderGateway(dialect: BinanceOrders(), baseURL: "http://\(sim.address)",
                                   credentials: VenueCredentials(key: Self.key, secret: Self.secret))
        let atVenue = try await venueTrades(gateway)
        let run = try c.all("trades", key: "trades").map { t in
            let side = (t["side"] as? String ?? "").replacingOccurrences(of: "ORDER_SIDE_", with: "").lowercased()
            return "\(t["symbol"] as? String ?? "") \(side) \(Price(t["price"] as? String ?? "")!) \(Quantity(t["quantity"] as? String ?? "")!)"
        }.sorted()
        try #require(atVenue.count >= 10, "the reference must trade for this to mean anything: \(atVenue.count)\n\(log)")
        #expect(run == atVenue, "run \(run.count) fills, venue \(atVenue.count) trades\n\(log.joined(separator: "\n"))")
        let orders = try c.all("orders", key: "orders").map { $0["clientOrderId"] as? String ?? "" }
        #expect(Set(orders).count == orders.count, "a client order id twice")

        // The run holds what the account holds, to the last 1e-8 (a buy's fee is taken in coins).
        let balances = try await gateway.balances()
        let positions = try c.ok(["positions"], json: true).json()["positions"] as? [[String: Any]] ?? []
        for (symbol, asset) in [("BTCUSDT", "BTC"), ("ETHUSDT", "ETH")] {
            let venue = balances.first { $0.asset == asset }.map { $0.free + $0.locked } ?? .zero
            let held = positions.first { $0["symbol"] as? String == symbol }.flatMap { ($0["quantity"] as? String).flatMap(Quantity.init) } ?? .zero
            #expect(Money(raw: Int128(held.raw) * 100_000_000) == venue, "\(asset): the run holds \(held), the account \(venue.formatted(digits: 8))")
        }
        let after = try c.ok(["status"]).stdout
        #expect(after.contains("execution ema_cross_rsi@binance"), "\(after)")
        print("LiveTradingTests: \(atVenue.count) venue trades; " + log.joined(separator: "; "))
    }
}
