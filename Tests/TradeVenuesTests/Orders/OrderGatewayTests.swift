import Foundation
import Testing
import TradeCore
import TradeVenues
import TradeVenueSim

/// Our order adapters against the simulator, over real HTTP, on both venues: the
/// order lifecycle by our own client ids, cancels by id only, the venue's refusals
/// in its own words, and the safe handling of lost answers, clock skew, 5xx and
/// request limits.
@Suite(.serialized) struct OrderGatewayTests {
    static let venues = ["binance", "bybit"]
    let btc = Quantity("0.02")!

    /// The order as the venue has it now (Bybit acknowledges first and fills after).
    func settled(_ gateway: OrderGateway, _ id: String) async throws -> VenueOrderState {
        for _ in 0..<50 {
            if let o = try await gateway.query(symbol: "BTCUSDT", clientOrderID: id), !o.status.isOpen { return o }
            try await Task.sleep(for: .milliseconds(20))
        }
        return try #require(try await gateway.query(symbol: "BTCUSDT", clientOrderID: id))
    }

    func lastPrice(_ sim: SimVenue) -> Price {
        sim.core.withState { s in
            let m = s.exchange.market
            let closed = m.closedCount(0, at: m.marketTime(atWall: Int64(Date().timeIntervalSince1970 * 1000)))
            return Price(m.lastPrice(0, closed: closed)!.description)!
        }
    }

    @Test(arguments: venues)
    func aMarketOrderFillsUnderOurClientIDAndItsTradesAndBalancesReadBack(venue: String) async throws {
        let sim = try await SimVenue.start(venue)
        let gateway = sim.gateway()
        try await gateway.syncClock()
        let start = Int64(Date().timeIntervalSince1970 * 1000) - 1_000
        let placed = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: btc, clientOrderID: "m-1"))
        #expect(placed.order.clientOrderID == "m-1" && !placed.adopted)
        let order = try await settled(gateway, "m-1")
        #expect(order.status == .filled && order.filledQuantity == btc && order.side == .buy)
        #expect(order.venueOrderID == placed.order.venueOrderID)
        let trades = try await gateway.trades(symbol: "BTCUSDT", startTime: start)
        #expect(trades.count >= 1 && trades.allSatisfy { $0.venueOrderID == order.venueOrderID && $0.side == .buy && !$0.isMaker })
        #expect(trades.reduce(Quantity.zero) { $0 + $1.quantity } == btc)
        if venue == "binance" { #expect(placed.trades.map(\.tradeID) == trades.map(\.tradeID), "FULL answers carry the fills") }
        let balances = Dictionary(uniqueKeysWithValues: try await gateway.balances().map { ($0.asset, $0) })
        #expect(balances["BTC"]?.total.raw ?? 0 > 0 && (balances["USDT"]?.total ?? .zero) < Money("100000")!)
    }

    /// Seed 002's production bug was a cancel-all to move a stop, which took the take-profit with it.
    /// Ours cancels the one order by its id and places its replacement; the take-profit stays.
    @Test(arguments: venues)
    func movingOneOrderCancelsItByIdAndTheTakeProfitSurvives(venue: String) async throws {
        let sim = try await SimVenue.start(venue)
        let gateway = sim.gateway()
        try await gateway.syncClock()
        // A little more than the two sells: the buy's fee is taken in BTC.
        _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: Quantity("0.05")!, clientOrderID: "entry-1"))
        _ = try await settled(gateway, "entry-1")
        let last = lastPrice(sim)
        func limit(_ factor: Double) -> VenueOrderRequest.Kind { .limit(Price((last.doubleValue * factor).rounded()), .gtc) }
        _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .sell, kind: limit(1.10), quantity: btc, clientOrderID: "tp-1"))
        _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .sell, kind: limit(1.20), quantity: btc, clientOrderID: "exit-1"))
        #expect(Set(try await gateway.openOrders(symbol: "BTCUSDT").map(\.clientOrderID)) == ["tp-1", "exit-1"])

        let cancelled = try await gateway.cancel(symbol: "BTCUSDT", clientOrderID: "exit-1")
        #expect(cancelled.status == .cancelled && cancelled.clientOrderID == "exit-1")
        _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .sell, kind: limit(1.15), quantity: btc, clientOrderID: "exit-2"))
        let open = try await gateway.openOrders(symbol: "BTCUSDT")
        #expect(Set(open.map(\.clientOrderID)) == ["tp-1", "exit-2"], "the take-profit is still working")
        #expect(open.allSatisfy { $0.status == .new && $0.side == .sell })
        #expect(try await gateway.query(symbol: "BTCUSDT", clientOrderID: "exit-1")?.status == .cancelled)
    }

    @Test(arguments: venues)
    func theVenuesRefusalsComeBackInItsWordsAndChangeNothing(venue: String) async throws {
        let sim = try await SimVenue.start(venue)
        let gateway = sim.gateway()
        try await gateway.syncClock()
        let last = lastPrice(sim)
        // More than the account can pay for.
        await #expect { _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: Quantity("50")!,
                                                                      clientOrderID: "big-1")) } throws: { error in
            let e = error as? VenueOrderError
            return e?.kind == .rejected && (e?.message.contains(venue == "bybit" ? "110007" : "-2010") ?? false)
        }
        #expect(sim.ordersAtVenue(clientOrderID: "big-1").isEmpty || sim.ordersAtVenue(clientOrderID: "big-1").allSatisfy { $0.executed.isZero })
        // A post-only order that would take liquidity is refused, not filled.
        await #expect { _ = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .limit(Price(last.doubleValue * 1.05), .postOnly),
                                                                      quantity: btc, clientOrderID: "maker-1")) } throws: { error in
            (error as? VenueOrderError)?.kind == .rejected
        }
        // An IOC limit away from the market leaves the book at once, unfilled.
        let ioc = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .limit(Price((last.doubleValue * 0.9).rounded()), .ioc),
                                                            quantity: btc, clientOrderID: "ioc-1"))
        #expect(ioc.trades.isEmpty)
        let after = try await settled(gateway, "ioc-1")
        #expect([VenueOrderStatus.expired, .cancelled].contains(after.status) && after.filledQuantity == .zero)
        // A client id in use is refused (Binance: by an open order; Bybit: ever).
        let resting = VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .limit(Price((last.doubleValue * 0.8).rounded()), .gtc),
                                        quantity: btc, clientOrderID: "rest-1")
        _ = try await gateway.place(resting)
        await #expect { _ = try await gateway.place(resting) } throws: { ($0 as? VenueOrderError)?.kind == .duplicateClientOrderID }
        #expect(sim.ordersAtVenue(clientOrderID: "rest-1").count == 1)
        // Unknown orders: a query finds nothing, a cancel says so.
        #expect(try await gateway.query(symbol: "BTCUSDT", clientOrderID: "never-sent") == nil)
        await #expect { _ = try await gateway.cancel(symbol: "BTCUSDT", clientOrderID: "never-sent") } throws: {
            ($0 as? VenueOrderError)?.kind == .unknownOrder
        }
        // A cancel of an order that is already done reads back how it ended.
        #expect(try await gateway.cancel(symbol: "BTCUSDT", clientOrderID: "ioc-1").filledQuantity == .zero)
    }

    /// The venue takes the order but its answer is lost (a 504 after the fact): the gateway does
    /// not send it again blindly — it waits out the receive window, finds it by client id, adopts it.
    @Test(arguments: venues)
    func anOrderWhoseAnswerIsLostIsFoundByItsClientIDAndNeverSentTwice(venue: String) async throws {
        let path = venue == "bybit" ? "POST /v5/order/create" : "POST /api/v3/order"
        let faults = try FaultSchedule.parse(Data(#"{"seed":1,"faults":[{"kind":"lost_ack","from":0,"to":600,"ms":50,"paths":["\#(path)"]}]}"#.utf8))
        let sim = try await SimVenue.start(venue, faults: faults)
        let gateway = sim.gateway()
        try await gateway.syncClock()
        let placed = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: btc, clientOrderID: "lost-1"))
        #expect(placed.adopted && placed.order.clientOrderID == "lost-1")
        #expect(sim.ordersAtVenue(clientOrderID: "lost-1").count == 1, "exactly one order at the venue")
        let stats = await gateway.statistics
        #expect(stats.adoptedOrders == 1 && stats.resentOrders == 0)
    }

    /// A local clock 10 s fast is refused by the venue (-1021 / 10002) until the gateway syncs; then it works.
    @Test(arguments: venues)
    func aSkewedClockIsResyncedAndTheOrderGoesThrough(venue: String) async throws {
        let sim = try await SimVenue.start(venue)
        let gateway = sim.gateway(now: { Int64(Date().timeIntervalSince1970 * 1000) + 10_000 })
        let placed = try await gateway.place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: btc, clientOrderID: "skew-1"))
        #expect(!placed.adopted && sim.ordersAtVenue(clientOrderID: "skew-1").count == 1)
        let offset = await gateway.clockOffsetMs
        #expect(offset < -7_000 && offset > -13_000, "offset \(offset) ms")
    }

    /// 5xx on every order call: reads are retried, then the endpoint's breaker opens and nothing more is sent.
    @Test func failuresOpenTheEndpointsBreakerAndThenNothingIsSent() async throws {
        let faults = try FaultSchedule.parse(Data(#"{"seed":1,"faults":[{"kind":"server_error","from":0,"to":600,"paths":["GET /api/v3/order"]}]}"#.utf8))
        let sim = try await SimVenue.start("binance", faults: faults)
        var settings = OrderGatewaySettings.quick
        settings.breakerThreshold = 3
        let gateway = sim.gateway(settings: settings)
        await #expect { _ = try await gateway.query(symbol: "BTCUSDT", clientOrderID: "x") } throws: { ($0 as? VenueOrderError)?.kind != nil }
        let calls = await gateway.statistics.calls
        await #expect { _ = try await gateway.query(symbol: "BTCUSDT", clientOrderID: "x") } throws: { ($0 as? VenueOrderError)?.kind == .breakerOpen }
        #expect(await gateway.statistics.calls == calls, "an open breaker sends nothing")
        #expect(await gateway.endpointBreakers.first { $0.endpoint == "order.query" }?.state == .open)
        // Other endpoints are not affected.
        #expect(try await gateway.openOrders(symbol: "BTCUSDT").isEmpty)
    }

    /// With the used weight near Binance's limit, the gateway holds back itself: it never gets a 429, let alone a 418.
    @Test func theGatewayHoldsBackBeforeTheVenuesWeightLimit() async throws {
        let sim = try await SimVenue.start("binance", weightLimit: 60)
        var settings = OrderGatewaySettings.quick
        settings.maxRateLimitWaitMs = 0
        // The simulator's limit is 60 a minute; tell the gateway by the headroom (90 % of 6,000 would never trip).
        settings.weightHeadroom = 0.0075   // 45 of 6,000
        let gateway = sim.gateway(settings: settings)
        var held = false
        for n in 0..<40 {
            do { _ = try await gateway.openOrders(symbol: "BTCUSDT") } catch {
                #expect(error.kind == .rateLimited && error.message.contains("holding back"), "\(n): \(error)")
                held = true
                break
            }
        }
        let stats = await gateway.statistics
        #expect(held && stats.weightHolds >= 1 && stats.rateLimited == 0, "\(stats)")
    }
}
