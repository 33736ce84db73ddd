import Testing
import TradeCore
import TradeVenues

@Suite struct CandleMergerTests {
    let m = CandleMerger.minute
    func candle(_ minute: Int64, _ price: Double = 100) -> Candle {
        Candle(openTime: minute * 60_000, open: price, high: price + 1, low: price - 1, close: price, volume: 1)
    }
    func released(_ merger: inout CandleMerger) -> [String] {
        var out: [String] = []
        merger.release { k, c in out.append("\(k)@\(c.openTime / 60_000)") }
        return out
    }

    @Test func releasesInBacktestOrderOnlyOnceEverySymbolHasTheMinute() {
        var merger = CandleMerger(symbolCount: 2, start: 10 * m)
        #expect(merger.add(symbol: 1, candle(10)) == .accepted)
        #expect(merger.add(symbol: 1, candle(11)) == .accepted)
        #expect(released(&merger).isEmpty, "symbol 0 has not reached minute 10")
        #expect(merger.add(symbol: 0, candle(10)) == .accepted)
        #expect(released(&merger) == ["0@10", "1@10"])
        #expect(merger.add(symbol: 0, candle(11)) == .accepted)
        #expect(merger.add(symbol: 0, candle(12)) == .accepted)
        #expect(released(&merger) == ["0@11", "1@11"])
        #expect(merger.heldCount == 1)
    }

    @Test func duplicatesAreDroppedAndAHoleIsReportedNotInvented() {
        var merger = CandleMerger(symbolCount: 1, start: 10 * m)
        #expect(merger.add(symbol: 0, candle(10)) == .accepted)
        #expect(merger.add(symbol: 0, candle(10)) == .duplicate)
        #expect(merger.add(symbol: 0, candle(13)) == .gap(from: 11 * m, to: 12 * m))
        #expect(merger.add(symbol: 0, candle(14)) == .gap(from: 11 * m, to: 12 * m), "the hole is still the first one")
        #expect(released(&merger) == ["0@10"], "nothing past the hole")
        // Backfill gives minute 11; 12 does not exist at the venue.
        #expect(merger.add(symbol: 0, candle(11)) == .accepted)
        #expect(merger.openGap(symbol: 0)! == (12 * m, 12 * m))
        merger.confirmNone(symbol: 0, through: 12 * m)
        #expect(merger.openGap(symbol: 0) == nil)
        #expect(released(&merger) == ["0@11", "0@13", "0@14"])
    }

    @Test func outOfOrderArrivalsComeOutInOrder() {
        var merger = CandleMerger(symbolCount: 1, start: 0)
        for minute in [2, 1, 3, 0] as [Int64] { merger.add(symbol: 0, candle(minute)) }
        #expect(released(&merger) == ["0@0", "0@1", "0@2", "0@3"])
    }

    @Test func resumingSkipsWhatTheRunAlreadyHas() {
        var merger = CandleMerger(symbolCount: 1, start: 0)
        merger.resume(symbol: 0, after: 5 * m)
        #expect(merger.add(symbol: 0, candle(5)) == .duplicate)
        #expect(merger.add(symbol: 0, candle(6)) == .accepted)
        #expect(released(&merger) == ["0@6"])
    }

    @Test func aFullSymbolRefusesMoreInsteadOfGrowing() {
        var merger = CandleMerger(symbolCount: 2, start: 0, capacity: 3)
        for minute in 0..<3 as Range<Int64> { #expect(merger.add(symbol: 0, candle(minute)) == .accepted) }
        #expect(merger.add(symbol: 0, candle(3)) == .full)
        #expect(merger.heldCount == 3)
    }
}
