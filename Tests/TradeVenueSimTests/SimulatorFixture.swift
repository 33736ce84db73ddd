import Foundation
import Synchronization
import TestSupport
import TradeCore
import TradeVenues
@testable import TradeVenueSim

/// A simulator on real BTC candles with a clock the test moves, and a signing client.
final class SimulatorFixture: Sendable {
    static let key = "test-key", secret = "test-secret"
    static let wallStart: Int64 = 1_800_000_000_000
    final class Clock: Sendable {
        let time = Mutex<Int64>(SimulatorFixture.wallStart)
    }
    let clock = Clock()
    let api: BinanceAPI
    let candles: [Candle]
    /// Market start: bar 1,000 of the file.
    let start: Int64

    init(weightLimit: Int = 6_000, speed: Double = 1, pace: ReplayedMarket.Pace? = nil, balances: [String: Decimal8] = ["USDT": Decimal8(units: 100_000)],
         faults: FaultSchedule = .none) throws {
        let file = try CandleFileReader.read(path: SharedData.data("BTCUSDT-1m-20250101-20250204.csv"))
        candles = file.candles
        start = file.candles[1_000].openTime
        let market = ReplayedMarket(series: [.init(rules: .spot("BTCUSDT"), candles: file.candles)], start: start,
                                    wallStart: Self.wallStart, pace: pace ?? .wall(speed: speed))
        let exchange = SimulatedExchange(market: market, accounts: [SimAccount(key: Self.key, secret: Self.secret, balances: balances)],
                                         clientIDPolicy: .uniqueAmongOpen)
        let clock = self.clock
        api = BinanceAPI(core: VenueCore(exchange: exchange, weightLimit: weightLimit, faults: faults, faultsStart: Self.wallStart) {
            clock.time.withLock { $0 }
        })
    }

    var now: Int64 { clock.time.withLock { $0 } }
    func advance(ms: Int64) { clock.time.withLock { $0 += ms } }

    struct Answer {
        var status: Int
        var headers: [(String, String)]
        var json: Any
        var object: [String: Any] { json as? [String: Any] ?? [:] }
        var array: [[String: Any]] { json as? [[String: Any]] ?? [] }
        var code: Int? { object["code"] as? Int }
        func header(_ name: String) -> String? { headers.first { $0.0 == name }?.1 }
    }

    func call(_ method: String, _ path: String, _ query: String = "", body: String = "", key: String? = nil) -> Answer {
        let r = api.respond(VenueRequest(method: method, path: path, query: query, body: body, headers: key.map { ["X-MBX-APIKEY": $0] } ?? [:]))
        let json = (try? JSONSerialization.jsonObject(with: Data(r.body.utf8), options: [.fragmentsAllowed])) ?? [:]
        return Answer(status: r.status, headers: r.headers, json: json)
    }

    /// A signed call as a client does it: timestamp appended, then the signature of the whole query.
    func signed(_ method: String, _ path: String, _ params: String, timestamp: Int64? = nil, secret: String = SimulatorFixture.secret,
                key: String = SimulatorFixture.key) -> Answer {
        let query = (params.isEmpty ? "" : params + "&") + "timestamp=\(timestamp ?? now)"
        return call(method, path, query + "&signature=" + BinanceSignature.sign(query, secret: secret), key: key)
    }

    func balance(_ asset: String) -> (free: String, locked: String) {
        let b = signed("GET", "/api/v3/account", "").object["balances"] as? [[String: Any]] ?? []
        let row = b.first { $0["asset"] as? String == asset }
        return (row?["free"] as? String ?? "0.00000000", row?["locked"] as? String ?? "0.00000000")
    }
}
