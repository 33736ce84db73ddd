import Testing
import TestSupport
import TradeCore
import TradeEngine

/// The paper broker with a tap: every report it makes, tagged with the candle
/// that caused it and whether it came before the strategy saw that candle
/// (matching) or after (a submit).
struct TappedPaperBroker: ExecutionVenue {
    var inner: PaperBroker
    var log: [(candle: Int, beforeDecisions: Bool, report: VenueReport)] = []
    var candles = -1

    mutating func marketMoved(symbol: Int, bar: Candle, barIndex: Int, into reports: inout [VenueReport]) {
        candles += 1
        let before = reports.count
        inner.marketMoved(symbol: symbol, bar: bar, barIndex: barIndex, into: &reports)
        for r in reports[before...] { log.append((candles, true, r)) }
    }
    mutating func submit(_ order: Order, signalBar: Candle, barIndex: Int, into reports: inout [VenueReport]) {
        let before = reports.count
        inner.submit(order, signalBar: signalBar, barIndex: barIndex, into: &reports)
        for r in reports[before...] { log.append((candles, false, r)) }
    }
    mutating func cancel(orderID: Int64, reason: String, into reports: inout [VenueReport]) {
        inner.cancel(orderID: orderID, reason: reason, into: &reports)
    }

    enum CodingKeys: CodingKey { case inner }
    init(inner: PaperBroker) { self.inner = inner }
    init(from decoder: Decoder) throws { inner = try decoder.container(keyedBy: CodingKeys.self).decode(PaperBroker.self, forKey: .inner) }
    func encode(to encoder: Encoder) throws { var c = encoder.container(keyedBy: CodingKeys.self); try c.encode(inner, forKey: .inner) }
}

/// A venue that answers nothing at once, as a remote exchange: it records what
/// it was sent; the test delivers the venue's reports later, as engine inputs.
struct DeferredVenue: ExecutionVenue {
    var submitted: [Int64] = []
    var cancels: [Int64] = []
    mutating func marketMoved(symbol: Int, bar: Candle, barIndex: Int, into reports: inout [VenueReport]) {}
    mutating func submit(_ order: Order, signalBar: Candle, barIndex: Int, into reports: inout [VenueReport]) { submitted.append(order.id) }
    mutating func cancel(orderID: Int64, reason: String, into reports: inout [VenueReport]) { cancels.append(orderID) }
}

@Suite struct ExecutionVenueTests {
    static func configuration() -> EngineConfiguration {
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.broker.maxVolumeParticipation = 0.002   // partial fills across bars on real volume
        config.allowShorting = true
        return config
    }

    /// Fills are inputs: an engine whose venue reports later, fed the paper
    /// broker's own reports at the moments they happened, ends with the same
    /// orders, fills and books as the engine that owned the paper broker.
    @Test func aDeferredVenueFedThePaperBrokersReportsEndsIdentical() throws {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 20_000)
        let config = Self.configuration()
        var paper = TradingEngine(configuration: config, strategy: ChurningStrategy(symbolCount: 1),
                                  venue: TappedPaperBroker(inner: PaperBroker(configuration: config.broker, instruments: config.instruments)))
        var plain = TradingEngine(configuration: config, strategy: ChurningStrategy(symbolCount: 1))
        for (i, c) in candles.enumerated() {
            try paper.handle(.candle(symbol: 0, candle: c, barIndex: i))
            try plain.handle(.candle(symbol: 0, candle: c, barIndex: i))
        }
        #expect(paper.fills == plain.fills && paper.orders == plain.orders, "the tap changes nothing")
        let log = paper.venue.log
        #expect(log.count > 500 && log.contains { if case .filled(let e) = $0.report { return e.status == .partiallyFilled } else { return false } })

        var deferred = TradingEngine(configuration: config, strategy: ChurningStrategy(symbolCount: 1), venue: DeferredVenue())
        var next = 0
        for (i, c) in candles.enumerated() {
            while next < log.count, log[next].candle == i, log[next].beforeDecisions {
                try deferred.handle(.venue(log[next].report)); next += 1
            }
            try deferred.handle(.candle(symbol: 0, candle: c, barIndex: i))
            while next < log.count, log[next].candle == i, !log[next].beforeDecisions {
                try deferred.handle(.venue(log[next].report)); next += 1
            }
        }
        #expect(next == log.count)
        #expect(deferred.orders == paper.orders)
        #expect(deferred.fills == paper.fills)
        #expect(deferred.ledger.cash == paper.ledger.cash && deferred.ledger.positions == paper.ledger.positions)
        #expect(deferred.openOrderIDs == paper.openOrderIDs)
        #expect(deferred.venue.submitted == paper.orders.filter { $0.status != .rejected }.map(\.id))
    }

    @Test func reportsThatDoNotFitAnOrderAreRefusedAndChangeNothing() throws {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 5)
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.allowShorting = false
        let buy = OrderIntent(symbol: 0, side: .buy, type: .market, quantity: qty(0.01), reason: "test")
        var engine = TradingEngine(configuration: config, strategy: ScriptedStrategy([1: [buy]]), venue: DeferredVenue())
        for (i, c) in candles.prefix(2).enumerated() { try engine.handle(.candle(symbol: 0, candle: c, barIndex: i)) }
        #expect(engine.openOrderIDs == [1] && engine.venue.submitted == [1])
        let before = (engine.orders, engine.fills, engine.ledger.cash)
        func fill(_ amount: Double, id: Int64 = 1, side: OrderSide = .buy, status: OrderStatus = .filled, cumulative: Double? = nil) -> EngineInput {
            .venue(.filled(VenueExecution(fill: Fill(orderID: id, symbol: 0, side: side, price: Price(93_000), quantity: qty(amount),
                                                     fee: .zero, liquidity: .taker, time: candles[2].openTime, barIndex: 2),
                                          status: status, filledQuantity: qty(cumulative ?? amount))))
        }
        for bad in [fill(0.01, id: 7), fill(0.02), fill(0.01, side: .sell), fill(0.005, cumulative: 0.01)] {
            #expect(throws: EngineError.self) { try engine.handle(bad) }
        }
        #expect(engine.orders == before.0 && engine.fills == before.1 && engine.ledger.cash == before.2)
        try engine.handle(fill(0.004, status: .partiallyFilled))
        try engine.handle(fill(0.006, status: .filled, cumulative: 0.01))
        #expect(engine.orders[0].status == .filled && engine.openOrderIDs.isEmpty && engine.ledger.positions[0].quantity == qty(0.01))
        #expect(throws: EngineError.self) { try engine.handle(fill(0.001, status: .filled, cumulative: 0.011)) }
    }

    /// Cancels go by id, one order at a time; the engine's open book follows the venue's answer.
    @Test func aCancelByIdClosesThatOrderOnlyAndTheStrategyHearsIt() throws {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 5)
        let far = OrderIntent(symbol: 0, side: .buy, type: .limit(Price(1_000)), quantity: qty(0.01), reason: "far")
        let target = OrderIntent(symbol: 0, side: .sell, type: .limit(Price(1_000_000)), quantity: qty(0.001), reason: "take-profit")
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.allowShorting = true
        var engine = TradingEngine(configuration: config, strategy: ScriptedStrategy([1: [far, target]]))
        for (i, c) in candles.prefix(3).enumerated() { try engine.handle(.candle(symbol: 0, candle: c, barIndex: i)) }
        #expect(engine.openOrderIDs == [1, 2] && engine.broker.working.map(\.id) == [1, 2])
        try engine.cancel(orderID: 1, reason: "moved")
        #expect(engine.orders[0].status == .cancelled && engine.orders[0].statusMessage == "moved")
        #expect(engine.openOrderIDs == [2] && engine.broker.working.map(\.id) == [2], "the other order survives")
        #expect(engine.strategy.cancels.map(\.id) == [1] && engine.strategy.cancels[0].status == .cancelled)
        #expect(throws: EngineError.self) { try engine.cancel(orderID: 1, reason: "again") }
        #expect(throws: EngineError.self) { try engine.cancel(orderID: 9, reason: "unknown") }
    }
}

/// A quantity of `x` base units, on the 1e-8 grid.
func qty(_ x: Double) -> Quantity { Quantity(raw: Int64((x * 1e8).rounded())) }
