import Foundation
import Testing
import TradeCore
import TradeEngine
@testable import TradeVenues

/// The live candle buffer between the feed and the engine: bounded, read by
/// position, waking the engine's loop when a candle comes, and keeping when
/// each streamed candle arrived for the latency the host measures.
@Suite struct LiveCandleBufferTests {
    func candle(_ minute: Int64) -> Candle {
        Candle(openTime: 1_735_689_600_000 + minute * 60_000, open: 1, high: 2, low: 0.5, close: 1.5, volume: 3)
    }

    @Test func candlesAreReadByPositionBoundedAndStampedInTheOrderTheEngineTakesThem() {
        let buffer = LiveCandleBuffer(instruments: [.spot("BTCUSDT"), .spot("ETHUSDT")], start: candle(0).openTime, venue: "binance", capacity: 3)
        #expect(buffer.append(symbol: 0, candle(0)))                 // from REST: no stamp
        #expect(buffer.append(symbol: 1, candle(0), received: 7))
        #expect(buffer.append(symbol: 0, candle(1), received: 9))
        #expect(buffer.append(symbol: 0, candle(2), received: 11))
        #expect(!buffer.append(symbol: 0, candle(3), received: 13), "full: the feed waits")
        #expect(buffer.candle(symbol: 0, index: 1) == candle(1) && buffer.candle(symbol: 0, index: 3) == nil)
        buffer.consumed(symbol: 0, below: 1)
        buffer.consumed(symbol: 1, below: 1)
        buffer.consumed(symbol: 0, below: 2)
        #expect(buffer.takeConsumedStamps() == [.min, 7, 9])
        #expect(buffer.takeConsumedStamps().isEmpty, "each stamp is handed over once")
        #expect(!buffer.append(symbol: 0, candle(3), received: 13), "taken candles are let go in chunks, or all at once")
        buffer.consumed(symbol: 0, below: 3)
        #expect(buffer.takeConsumedStamps() == [11])
        #expect(buffer.append(symbol: 0, candle(3), received: 13), "room again")
        buffer.consumed(symbol: 0, below: 4)
        #expect(buffer.takeConsumedStamps() == [13])
        #expect(buffer.recentCandles(symbol: 0).map(\.openTime) == (0...3).map { candle($0).openTime })
    }

    @Test func aWaitingLoopWakesWhenACandleComesAndOtherwiseAtItsTimeout() async {
        let buffer = LiveCandleBuffer(instruments: [.spot("BTCUSDT")], start: candle(0).openTime, venue: "binance")
        #expect(await buffer.waitForArrival(timeout: .milliseconds(50)) == false, "nothing came: it ran out its timeout")
        let appender = Task {
            try await Task.sleep(for: .milliseconds(20))
            _ = buffer.append(symbol: 0, candle(0), received: 1)
        }
        // Woken by the candle, not by a timeout this long (however slow the machine).
        #expect(await buffer.waitForArrival(timeout: .seconds(600)) == true)
        _ = try? await appender.value
        // A candle that came while nobody waited is not missed: the next wait is woken by it.
        _ = buffer.append(symbol: 0, candle(1), received: 2)
        #expect(await buffer.waitForArrival(timeout: .seconds(600)) == true)
        #expect(await buffer.waitForArrival(timeout: .milliseconds(10)) == false, "each arrival wakes one wait")
    }
}
