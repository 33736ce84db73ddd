import Testing
@testable import TradeCore

/// Binance and Bybit spot take a buy's fee out of the coins bought: the account
/// holds the quantity less the fee. The ledger, the round trips and the models'
/// books must hold exactly that, keep their identities to the unit, and close a
/// trip whose remainder is less than one lot (dust no order can sell).
@Suite struct BaseAssetFeeTests {
    let price = Price("93610.93")!
    let lot = Quantity("0.00001")!

    func buy(_ q: String, fee: String, at p: Price? = nil, order: Int64 = 1, time: Int64 = 0) -> Fill {
        Fill(orderID: order, symbol: 0, side: .buy, price: p ?? price, quantity: Quantity(q)!, feeInBase: Quantity(fee)!,
             liquidity: .taker, time: time, barIndex: 0)
    }

    func sell(_ q: String, at p: Price, fee: String = "0", order: Int64 = 2, time: Int64 = 60_000) -> Fill {
        Fill(orderID: order, symbol: 0, side: .sell, price: p, quantity: Quantity(q)!, fee: Money(fee)!,
             liquidity: .taker, time: time, barIndex: 1)
    }

    func signal(_ model: ModelID, _ family: SignalFamily) -> Signal {
        Signal(time: 0, symbol: 0, model: model, family: family, timeframe: .m15, direction: .long, score: 0.8, threshold: 0.4,
               regime: .chop, categories: .zero, reasons: SignalReasons(), stopDistance: 500, targetDistance: 1_000)
    }

    @Test func theLedgerHoldsTheQuantityLessTheFeeAndItsIdentityIsExact() {
        var ledger = Ledger(initialCash: Money("100000")!, symbolCount: 1)
        let fill = buy("0.01234", fee: "0.00001234")
        #expect(fill.fee == Money(notionalOf: Quantity("0.00001234")!, at: price), "the fee is the coins' value at the fill price")
        ledger.apply(fill)
        #expect(ledger.positions[0].quantity == Quantity("0.01232766")!)
        #expect(ledger.cash == Money("100000")! - Money(notionalOf: Quantity("0.01234")!, at: price), "cash pays the notional, not the fee again")
        #expect(ledger.feesPaid == fill.fee)
        for mark in [price, Price("90000")!, Price("101234.56")!] {
            #expect(ledger.equity(marks: [mark]) == ledger.equityFromPnL(marks: [mark]))
        }
        // Selling the whole lots leaves dust; the identity still holds to the unit.
        let exit = sell("0.01232", at: Price("95000")!, fee: "1.17040000")
        ledger.apply(exit)
        #expect(ledger.positions[0].quantity == Quantity("0.00000766")!)
        #expect(ledger.equity(marks: [price]) == ledger.equityFromPnL(marks: [price]))
        #expect(ledger.feesPaid == fill.fee + exit.fee)
    }

    @Test func aRoundTripEndsWhenLessThanOneLotIsLeftAndTheDustRidesOn() {
        var tracker = RoundTripTracker(symbolCount: 1, lots: [lot])
        var closed: [RoundTrip] = []
        tracker.add(buy("0.01234", fee: "0.00001234")) { closed.append($0) }
        tracker.add(sell("0.01232", at: Price("95000")!)) { closed.append($0) }
        #expect(closed.count == 1 && tracker.open.isEmpty, "a remainder below one lot ends the trip")
        let trip = closed[0]
        #expect(trip.fees == Money(notionalOf: Quantity("0.00001234")!, at: price))
        #expect(trip.maxQuantity == Quantity("0.01232766")!, "the trip held what the account held")
        // Without lots the same fills keep the trip open: the remainder is a position.
        var strict = RoundTripTracker(symbolCount: 1)
        strict.add(buy("0.01234", fee: "0.00001234")) { _ in Issue.record("no trip closes") }
        strict.add(sell("0.01232", at: Price("95000")!)) { _ in Issue.record("no trip closes") }
        #expect(strict.open.count == 1)
        // The next trip starts from the dust and sells it with its own whole lots.
        tracker.add(buy("0.01", fee: "0.00001", order: 3, time: 120_000)) { closed.append($0) }
        tracker.add(sell("0.00999", at: Price("96000")!, order: 4, time: 180_000)) { closed.append($0) }
        #expect(closed.count == 2 && tracker.open.isEmpty)
    }

    @Test func aModelsCompleteExitWritesOffTheDustAtTheFillPrice() {
        var book = ModelBook(symbolCount: 1)
        let signal = signal(.balanced, .trendFollowing)
        book.openEntry(.balanced, 0, direction: .long, quantity: Quantity("0.01234")!, signal: signal, signalIndex: 0)
        #expect(book.apply(buy("0.01234", fee: "0.00001234"), model: .balanced, isEntry: true, exitComplete: false, dust: lot) == nil)
        #expect(book[.balanced, 0].position.quantity == Quantity("0.01232766")!, "the model holds what the account holds")
        book.exitSent(.balanced, 0, reason: .takeProfit)
        let exit = sell("0.01232", at: Price("95000")!)
        let closed = book.apply(exit, model: .balanced, isEntry: false, exitComplete: true, dust: lot)
        let trade = try! #require(closed)
        #expect(!book[.balanced, 0].isActive, "the model is flat: its dust cannot be sold")
        // Gross PnL: the lots sold, plus the dust valued at the exit price, less what all of it cost.
        let cost = Money(notionalOf: Quantity("0.01232766")!, at: price)
        #expect(trade.grossPnL == Money(notionalOf: Quantity("0.01232766")!, at: Price("95000")!) - cost)
        #expect(trade.fees == Money(notionalOf: Quantity("0.00001234")!, at: price))
    }

    @Test func aPositionOfLessThanOneLotClosesWithoutAnOrder() {
        var book = ModelBook(symbolCount: 1)
        let signal = signal(.aggressive, .momentumBurst)
        book.openEntry(.aggressive, 0, direction: .long, quantity: lot, signal: signal, signalIndex: 0)
        _ = book.apply(buy("0.00001", fee: "0.00000001"), model: .aggressive, isEntry: true, exitComplete: false, dust: lot)
        let closed = book.writeOffDust(.aggressive, 0, at: Price("94000")!, time: 60_000, reason: .stopLoss)
        let trade = try! #require(closed)
        #expect(trade.exitReason == .stopLoss && !book[.aggressive, 0].isActive)
        #expect(trade.grossPnL == Money(notionalOf: Quantity("0.00000999")!, at: Price("94000")!)
                - Money(notionalOf: Quantity("0.00000999")!, at: price))
    }
}
