import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore
import TradeVenues
import TradeVenueSim

/// A journaled run trading on the simulator through the order link: every order
/// the run journals reaches the venue exactly once — also when the process dies
/// between journaling and sending, or between sending and hearing back — every
/// venue trade is booked once, and an order at the venue the run does not know
/// halts entries with its id.
@Suite(.serialized) struct LiveOrderLinkTests {
    let candles = try! SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 4_000)
    let identity = RunIdentity(strategy: "ema_cross_rsi", symbols: ["BTCUSDT"], settings: ["venue": "simulator"])

    func open(_ path: String) throws -> JournaledRun<EmaCrossRsi, RemoteVenue> {
        // The venue's own rules (a live start reads them from exchangeInfo).
        let btc = Instrument(symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!,
                             lotSize: Quantity("0.00001")!, minNotional: Money("5")!)
        var config = EngineConfiguration(instruments: [btc])
        config.allowShorting = false
        return try JournaledRun(store: TradeStore(path: path), identity: identity,
                                source: SeriesCandleSource([MarketSeries(instrument: btc, candles: candles)]),
                                configuration: config, strategy: EmaCrossRsi(symbolCount: 1), venue: { _ in RemoteVenue() }, snapshotEvery: 500)
    }

    /// Each of the run's orders at the venue, by client id.
    func venueOrders(_ sim: SimVenue, _ run: JournaledRun<EmaCrossRsi, RemoteVenue>) -> [String: [SimOrder]] {
        Dictionary(grouping: sim.core.withState { $0.exchange.orders.filter { $0.account == SimVenue.key } }, by: \.clientID)
    }

    func expectConsistent(_ sim: SimVenue, _ run: JournaledRun<EmaCrossRsi, RemoteVenue>) {
        let atVenue = venueOrders(sim, run)
        for order in run.engine.orders where order.status != .rejected || atVenue[order.clientOrderID] != nil {
            #expect(atVenue[order.clientOrderID]?.count == 1, "\(order.clientOrderID) is at the venue exactly once")
            #expect(atVenue[order.clientOrderID]?.first.map { Quantity($0.executed.description)! } == order.filledQuantity,
                    "\(order.clientOrderID): the run booked what the venue executed")
        }
        let venueTrades = sim.core.withState { s in s.exchange.trades(account: SimVenue.key, symbol: 0) }
        #expect(run.engine.fills.count == venueTrades.count, "every venue trade booked once")
        // The venue takes a buy's fee in BTC: the run holds exactly the coins and the cash the account holds.
        let (btc, usdt) = sim.core.withState { s in
            let a = s.exchange.accounts[SimVenue.key]!
            return (a["BTC"].free.raw + a["BTC"].locked.raw, a["USDT"].free.raw + a["USDT"].locked.raw)
        }
        #expect(run.engine.ledger.positions[0].quantity.raw == btc, "BTC: the run holds \(run.engine.ledger.positions[0].quantity), the venue \(btc)")
        #expect(run.engine.ledger.cash == Money(raw: Int128(usdt) * 100_000_000), "USDT: the run holds \(run.engine.ledger.cash.formatted(digits: 8)), the venue \(usdt)")
        #expect(run.engine.ledger.equity(marks: run.engine.marks) == run.engine.ledger.equityFromPnL(marks: run.engine.marks))
    }

    @Test func everyJournaledOrderReachesTheVenueOnceThroughCrashesAndUnknownOrdersHalt() async throws {
        // 0.1 % fees, a buy's taken in BTC as Binance does: the run must hold what the account holds.
        let sim = try await SimVenue.start("binance", feeBps: 10)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("link-\(UUID().uuidString).sqlite").path
        var run = try open(path)
        var link = LiveOrderLink(run: run, gateway: sim.gateway())
        try await link.reconcile()
        while run.candlesDone < 1_500 {
            try run.advance(maxCandles: 50)
            try await link.send()
            try await link.poll()
        }
        try #require(run.engine.orders.count >= 4, "the strategy must trade for this test to mean anything")
        expectConsistent(sim, run)
        // Execution quality, per model and venue: market orders fill whole, each was acknowledged, slippage is measured.
        let quality = try #require(link.quality.figures[ExecutionQuality.Key(model: "ema_cross_rsi", venue: "binance")])
        let sent = run.engine.orders.filter { $0.status != .rejected || $0.statusMessage.hasPrefix("binance") }.count   // not the gate's own refusals
        #expect(quality.ordersSent == sent && quality.acknowledged + quality.rejected == quality.ordersSent, "\(quality)")
        #expect(quality.fillRatio > 0.99 && quality.cancelRate == 0, "\(quality)")
        #expect(quality.acknowledgementMs.count == quality.acknowledged && (quality.acknowledgementP99 ?? -1) >= (quality.acknowledgementP50 ?? 0))
        #expect(quality.slippageBps.count == run.engine.fills.count && quality.slippageP50?.isFinite == true)
        #expect(run.engine.fills.contains { $0.feeInBase.raw > 0 } && run.engine.fills.contains { $0.side == .sell },
                "the run bought with fees in coins and sold what it held")

        // Killed after journaling orders and before sending them: the restart places them.
        var journaledNotSent = 0
        while journaledNotSent == 0 && run.candlesDone < 3_000 {
            try run.advance(maxCandles: 50)
            journaledNotSent = run.takeVenueInstructions().count
            if journaledNotSent == 0 { try await link.poll() }
        }
        try #require(journaledNotSent > 0)
        try run.store.close()
        run = try open(path)
        link = LiveOrderLink(run: run, gateway: sim.gateway())
        let first = try await link.reconcile()
        #expect(first.placed.count >= journaledNotSent && first.unknownAtVenue.isEmpty, "\(first)")
        try await link.poll()
        expectConsistent(sim, run)

        // Killed after sending and before hearing back: the restart finds the order by its id and adopts it.
        var sentNotHeard = 0
        while sentNotHeard == 0 && run.candlesDone < 3_800 {
            try run.advance(maxCandles: 50)
            for case .place(let order) in run.takeVenueInstructions() {
                _ = try await sim.gateway().place(VenueOrderRequest(symbol: "BTCUSDT", side: order.side, kind: .market, quantity: order.quantity,
                                                                    clientOrderID: order.clientOrderID))
                sentNotHeard += 1
            }
        }
        try #require(sentNotHeard > 0)
        try run.store.close()
        run = try open(path)
        link = LiveOrderLink(run: run, gateway: sim.gateway())
        let second = try await link.reconcile()
        #expect(second.adopted.count >= sentNotHeard && second.unknownAtVenue.isEmpty, "\(second)")
        expectConsistent(sim, run)
        #expect(run.state == .running)

        // An order at the venue the run does not know: entries halt, with its id.
        let last = sim.core.withState { s in s.exchange.market.lastPrice(0, closed: 1_500)! }
        _ = try await sim.gateway().place(VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .limit(Price((Double(last.description)! * 0.5).rounded()), .gtc),
                                                            quantity: Quantity("0.001")!, clientOrderID: "manual-1"))
        let third = try await link.reconcile()
        #expect(third.unknownAtVenue == ["manual-1"])
        #expect(run.state == .halted && run.message.contains("manual-1"), "\(run.state): \(run.message)")
    }

    /// Slippage is signed so that positive always cost us; percentiles are nearest-rank over bounded samples.
    @Test func executionQualityArithmetic() {
        #expect(abs(ExecutionQuality.slippageBps(side: .buy, decision: 100, fill: 101) - 100) < 1e-9)
        #expect(abs(ExecutionQuality.slippageBps(side: .sell, decision: 100, fill: 99) - 100) < 1e-9)
        #expect(ExecutionQuality.slippageBps(side: .sell, decision: 100, fill: 101) < 0, "a sell above the decision price gained")
        #expect(ExecutionQuality.Figures.percentile([5, 1, 4, 2, 3], 0.5) == 3)
        #expect(ExecutionQuality.Figures.percentile([5, 1, 4, 2, 3], 0.99) == 5)
        #expect(ExecutionQuality.Figures.percentile([], 0.5) == nil)
    }
}
