import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeStore
@testable import TradeRuntime

/// A journaled run whose orders go to a remote venue: the engine only says what to
/// send; the venue's acknowledgements, partial and full fills come back as journaled
/// inputs, a report that does not fit is refused before anything is written, and a
/// restart rebuilds exactly the same books from the journal — every fill once.
@Suite struct RemoteVenueRunTests {
    let candles = try! SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 6_000)
    let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
    let identity = RunIdentity(strategy: "ema_cross_rsi", symbols: ["BTCUSDT"], settings: ["venue": "remote-test"])

    func open(_ path: String) throws -> JournaledRun<EmaCrossRsi, RemoteVenue> {
        try JournaledRun(store: TradeStore(path: path), identity: identity,
                         source: SeriesCandleSource([MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)]),
                         configuration: config, strategy: EmaCrossRsi(symbolCount: 1), venue: { _ in RemoteVenue() }, snapshotEvery: 1_000)
    }

    /// Plays the venue: acknowledges each new order and fills it in two parts at its signal bar's close.
    func answer(_ run: JournaledRun<EmaCrossRsi, RemoteVenue>, _ place: Order) throws {
        try run.apply(venueReport: .acknowledged(orderID: place.id, venueOrderID: "v-\(place.id)"))
        let price = Price(candles[place.submittedBarIndex].close)
        let first = Quantity(raw: place.quantity.raw * 2 / 5)
        func fill(_ q: Quantity, _ cumulative: Quantity) -> VenueReport {
            .filled(VenueExecution(fill: Fill(orderID: place.id, symbol: 0, side: place.side, price: price, quantity: q,
                                              fee: Money(approximating: q.doubleValue * price.doubleValue * 0.001),
                                              liquidity: .taker, time: place.submittedAt + 60_000, barIndex: place.submittedBarIndex + 1),
                                   status: cumulative == place.quantity ? .filled : .partiallyFilled, filledQuantity: cumulative))
        }
        try run.apply(venueReport: fill(first, first))
        try run.apply(venueReport: fill(place.quantity - first, place.quantity))
    }

    @Test func venueReportsAreJournaledInputsAndARestartRebuildsTheSameBooks() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("remote-\(UUID().uuidString).sqlite").path
        let run = try open(path)
        var answered = 0
        while !run.isFinished && run.state.isActive, run.candlesDone < 4_500 {
            try run.advance(maxCandles: 60)
            for instruction in run.engine.takeVenueInstructions() {
                guard case .place(let order) = instruction else { Issue.record("a cancel nobody asked for"); continue }
                #expect(run.engine.orders[Int(order.id - 1)].status == .open, "sent only once journaled, open until the venue says")
                try answer(run, order)
                answered += 1
            }
        }
        try #require(answered >= 4, "the strategy must trade for this test to mean anything")
        #expect(run.engine.openOrderIDs.isEmpty && run.engine.fills.count == 2 * answered)

        // Reports that do not fit are refused, and nothing is journaled or changed.
        func books(_ e: TradingEngine<EmaCrossRsi, RemoteVenue>) -> [String] {
            ["\(e.ledger.cash)", "\(e.ledger.feesPaid)", "\(e.ledger.realizedPnL)"] + e.ledger.positions.map { "\($0.quantity)" }
        }
        let before = (run.sequence, books(run.engine), Array(run.engine.fills))
        let stray = Fill(orderID: 999, symbol: 0, side: .buy, price: Price(90_000), quantity: Quantity("0.01")!, fee: .zero, liquidity: .taker,
                         time: run.engine.currentTime, barIndex: 0)
        #expect(throws: RuntimeError.self) { try run.apply(venueReport: .filled(VenueExecution(fill: stray, status: .filled, filledQuantity: stray.quantity))) }
        #expect(throws: RuntimeError.self) { try run.apply(venueReport: .cancelled(orderID: 1, reason: "late")) }
        #expect(run.sequence == before.0 && books(run.engine) == before.1 && Array(run.engine.fills) == before.2)

        // kill -9: the object is gone; the database alone rebuilds the run.
        let expected = (Array(run.engine.orders), Array(run.engine.fills), books(run.engine), run.candlesDone)
        try run.store.close()
        let resumed = try open(path)
        #expect(resumed.candlesDone == expected.3)
        #expect(Array(resumed.engine.orders) == expected.0 && Array(resumed.engine.fills) == expected.1 && books(resumed.engine) == expected.2)
        let stored = try resumed.store.history.fillCount(HistoryQuery(run: resumed.runID))
        #expect(stored == expected.1.count, "every fill stored once")
        let reports = try resumed.store.journal.read(after: 0, limit: 100_000).filter { $0.event.kind == .venueReport }
        #expect(reports.count == 3 * answered)
    }
}
