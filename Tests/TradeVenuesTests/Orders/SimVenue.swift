import Foundation
import Synchronization
import TestSupport
import TradeCore
import TradeVenues
import TradeVenueSim

/// The exchange simulator in this process, on a loopback port the system picks,
/// over real BTCUSDT minutes — what the order adapters are tested against, through
/// real HTTP. Stops when the test is done with it.
final class SimVenue: Sendable {
    static let key = "order-test-key", secret = "order-test-secret"
    let venue: String
    let port: Int
    let core: VenueCore
    private let server: Task<Void, any Error>

    var baseURL: String { "http://127.0.0.1:\(port)" }
    var credentials: VenueCredentials { VenueCredentials(key: Self.key, secret: Self.secret) }
    var dialect: any OrderDialect { venue == "bybit" ? BybitOrders() : BinanceOrders() }

    private init(venue: String, port: Int, core: VenueCore, server: Task<Void, any Error>) {
        self.venue = venue
        self.port = port
        self.core = core
        self.server = server
    }

    deinit { server.cancel() }

    /// A market at 60× from bar 1,000 of January, an account with 100,000 USDT, and `faults` (seconds from now).
    static func start(_ venue: String, faults: FaultSchedule = .none, weightLimit: Int = 6_000, feeBps: Int64 = 10) async throws -> SimVenue {
        // 3,000 minutes: the market starts at 1,000 and a test lasts far less than the 2,000 left at 60×.
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 3_000)
        let wallStart = Int64(Date().timeIntervalSince1970 * 1000)
        let market = ReplayedMarket(series: [.init(rules: .spot("BTCUSDT"), candles: candles)], start: candles[1_000].openTime,
                                    wallStart: wallStart, pace: .wall(speed: 60))
        var exchange = SimulatedExchange(market: market,
                                         accounts: [SimAccount(key: key, secret: secret, balances: ["USDT": Decimal8(units: 100_000)])],
                                         clientIDPolicy: venue == "bybit" ? .uniqueForever : .uniqueAmongOpen)
        exchange.makerBps = feeBps
        exchange.takerBps = feeBps
        let core = VenueCore(exchange: exchange, weightLimit: weightLimit, faults: faults, faultsStart: wallStart) {
            Int64(Date().timeIntervalSince1970 * 1000)
        }
        let rest: @Sendable (VenueRequest) -> VenueResponse
        let storm: VenueResponse
        if venue == "bybit" {
            let api = BybitAPI(core: core)
            (rest, storm) = ({ api.respond($0) }, BybitAPI.stormResponse)
        } else {
            let api = BinanceAPI(core: core)
            (rest, storm) = ({ api.respond($0) }, BinanceAPI.stormResponse)
        }
        let listening = Mutex<Int?>(nil)
        let server = Task {
            try await VenueSimServer.run(core: core, rest: rest, storm: storm, streams: [], host: "127.0.0.1", port: 0) { _, port in
                listening.withLock { $0 = port }
            }
        }
        for _ in 0..<400 {
            if let port = listening.withLock({ $0 }) { return SimVenue(venue: venue, port: port, core: core, server: server) }
            try await Task.sleep(for: .milliseconds(25))
        }
        server.cancel()
        throw SimVenueError()
    }

    func gateway(settings: OrderGatewaySettings = .quick, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) })
        -> OrderGateway {
        OrderGateway(dialect: dialect, baseURL: baseURL, credentials: credentials, settings: settings, now: now)
    }

    /// The venue's own book: every order of the account with this client id.
    func ordersAtVenue(clientOrderID: String) -> [SimOrder] {
        core.withState { $0.exchange.orders.filter { $0.account == Self.key && $0.clientID == clientOrderID } }
    }
}

struct SimVenueError: Error {}

extension OrderGatewaySettings {
    /// Short waits, so a test of a lost answer takes a second, not five.
    static var quick: OrderGatewaySettings {
        var s = OrderGatewaySettings()
        s.recvWindowMs = 600
        s.backoffBaseMs = 20
        s.backoffCapMs = 200
        s.timeoutMs = 30_000   // a loaded CI machine: an answer may take seconds
        return s
    }
}
