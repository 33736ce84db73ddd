import Foundation
import Testing
import TradeCore
@testable import TradeStore

@Suite struct StoreBatchTests {
    /// One step of an engine: the candle, the order it caused, its fill, and a snapshot after.
    private func step(first: Int64, candles: [Candle]) -> StoreBatch {
        let candle = candles[Int(first - 1)]
        let submission = OrderSubmission(orderID: first, clientOrderID: "te-\(first)", symbol: 0, side: .buy, type: .market,
                                         quantity: Quantity(raw: 1_000_000), reason: "cross")
        let fill = Fill(orderID: first, symbol: 0, side: .buy, price: Price(candle.close), quantity: Quantity(raw: 1_000_000),
                        fee: Money(raw: 9_361_093_000_000_000), liquidity: .taker, time: candle.openTime, barIndex: Int(first - 1))
        var batch = StoreBatch()
        batch.journal = [
            JournalEntry(sequence: first, time: candle.openTime,
                         event: .candleAccepted(symbol: 0, candle: candle, barIndex: Int(first - 1))),
            JournalEntry(sequence: first + 1, time: candle.openTime, event: .orderSubmitted(submission)),
            JournalEntry(sequence: first + 2, time: candle.openTime, event: .orderFilled(clientOrderID: "te-\(first)", fill: fill)),
        ]
        batch.orders = [OrderRecord(clientOrderID: "te-\(first)", time: candle.openTime, model: "m", symbol: "BTCUSDT",
                                    side: .buy, type: .market, quantity: submission.quantity,
                                    filledQuantity: submission.quantity, status: .filled)]
        batch.fills = [FillRecord(time: candle.openTime, model: "m", symbol: "BTCUSDT", clientOrderID: "te-\(first)",
                                  side: .buy, price: fill.price, quantity: fill.quantity, fee: fill.fee, liquidity: .taker)]
        batch.snapshot = Snapshot(sequence: first + 2, takenAt: candle.openTime, format: 1, payload: Array("after \(first + 2)".utf8))
        return batch
    }

    @Test func aBatchLandsWhole() throws {
        let store = try makeStore()
        let candles = try realCandles(10)
        #expect(try store.commit(step(first: 1, candles: candles)) == 3)
        #expect(try store.journal.lastSequence() == 3)
        #expect(try store.history.order(clientOrderID: "te-1")?.status == .filled)
        #expect(try store.history.fills(HistoryQuery()).items.count == 1)
        #expect(try store.snapshots.latest()?.sequence == 3)
        #expect(try store.commit(StoreBatch()) == 3)
    }

    @Test func aBatchWithOneBadPartStoresNothing() throws {
        let store = try makeStore()
        let candles = try realCandles(10)
        try store.commit(step(first: 1, candles: candles))
        var bad = step(first: 4, candles: candles)
        bad.snapshot?.sequence = 99   // ahead of the journal: refused, and with it the whole batch
        #expect { try store.commit(bad) } throws: { ($0 as? TradeStoreError)?.kind == .conflict }
        #expect(try store.journal.lastSequence() == 3)
        #expect(try store.history.order(clientOrderID: "te-4") == nil)
        #expect(try store.history.fills(HistoryQuery()).items.count == 1)
        #expect(try store.snapshots.latest()?.sequence == 3)
    }
}
