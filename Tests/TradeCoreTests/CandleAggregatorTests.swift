import Testing
import TestSupport
@testable import TradeCore

/// One emitted candle and the input candle whose `add` emitted it.
private struct Emission {
    let timeframe: Timeframe
    let candle: Candle
    /// Close time (open + base interval) of the input candle being added.
    let inputCloseTime: Int64
}

private func aggregate(_ candles: [Candle], base: Timeframe = .m1, targets: [Timeframe]) -> [Emission] {
    var aggregator = CandleAggregator(base: base, targets: targets)
    var emissions: [Emission] = []
    for candle in candles {
        aggregator.add(candle) { timeframe, bar in
            emissions.append(Emission(timeframe: timeframe, candle: bar, inputCloseTime: candle.openTime + base.milliseconds))
        }
    }
    return emissions
}

/// Reference aggregation, written the obvious way (group the whole series by
/// bucket), for the buckets that have closed by the end of `candles`: every bucket
/// with data except a last one whose final base candle has not arrived.
private func reference(_ candles: [Candle], base: Timeframe, _ timeframe: Timeframe) -> [Candle] {
    var bars: [Candle] = []
    var volumeUnits: [Int64] = []   // exact sums, in the 1e-8 units of `Price`
    for c in candles {
        let start = timeframe.bucketStart(c.openTime)
        if let last = bars.last, last.openTime == start {
            bars[bars.count - 1].high = max(last.high, c.high)
            bars[bars.count - 1].low = min(last.low, c.low)
            bars[bars.count - 1].close = c.close
            volumeUnits[volumeUnits.count - 1] += Price(c.volume).raw
        } else {
            bars.append(Candle(openTime: start, open: c.open, high: c.high, low: c.low, close: c.close, volume: 0))
            volumeUnits.append(Price(c.volume).raw)
        }
    }
    for i in bars.indices { bars[i].volume = Price(raw: volumeUnits[i]).doubleValue }
    if let last = candles.last, last.openTime + base.milliseconds < timeframe.bucketStart(last.openTime) + timeframe.milliseconds {
        bars.removeLast()
    }
    return bars
}

/// nil if equal, else where the two bar lists first differ (readable on failure,
/// unlike printing thousands of candles).
private func firstDifference(_ actual: [Candle], _ expected: [Candle]) -> String? {
    if let i = zip(actual, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
        return "bar \(i): \(actual[i]) != expected \(expected[i])"
    }
    return actual.count == expected.count ? nil : "\(actual.count) bars, expected \(expected.count)"
}

private let hour: Int64 = 3_600_000
private let minute: Int64 = 60_000

@Suite struct CandleAggregatorTests {
    /// The README: Binance's 1h candles equal the aggregated 1m candles, every field.
    @Test(arguments: [("BTCUSDT-1m-20250101-20250204.csv", 836), ("BTCUSDT-1m-20250520-20250818.csv.gz", 2_178)])
    func hourlyFromMinutesEqualsRealHourlyFile(_ name: String, fullHours: Int) throws {
        let minutes = try SharedData.candles(name)
        let hourly = try SharedData.candles("BTCUSDT-1h-20170817-20251202.csv")
        let byOpenTime = Dictionary(uniqueKeysWithValues: hourly.map { ($0.openTime, $0) })
        let emitted = aggregate(minutes, targets: [.h1]).map(\.candle)
        #expect(emitted.count == fullHours)
        var differences = 0
        for bar in emitted where byOpenTime[bar.openTime] != bar { differences += 1 }
        #expect(differences == 0)
        // Only full hours: the 1m files have no gaps, so each is 60 consecutive minutes.
        let firstFull = Timeframe.h1.bucketStart(minutes[0].openTime + hour - minute)
        #expect(emitted.first?.openTime == firstFull)
    }

    @Test func noCandleIsEmittedBeforeItsClose() throws {
        let minutes = try SharedData.candles("ETHUSDT-1m-20250101-20250204.csv")
        let emissions = aggregate(minutes, targets: Timeframe.allCases)
        for timeframe in [Timeframe.m5, .m15, .h1, .h4, .d1] {
            let mine = emissions.filter { $0.timeframe == timeframe }
            #expect(firstDifference(mine.map(\.candle), reference(minutes, base: .m1, timeframe)) == nil, "\(timeframe)")
            // Gap-free input: each bar is emitted exactly at its close, by its last minute.
            let late = mine.filter { $0.inputCloseTime != $0.candle.openTime + timeframe.milliseconds }
            #expect(late.isEmpty, "\(timeframe): \(late.count) late, first at \(late.first.map(\.candle.openTime) ?? 0)")
        }
        #expect(!emissions.contains { $0.timeframe == .m1 })
    }

    /// Minutes cut out of real data: the bucket whose tail is missing is emitted when
    /// the first later candle arrives, built from the minutes it has.
    @Test func bucketWithMissingTailIsEmittedOnTheNextCandle() throws {
        let all = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 3 * 1_440)
        let day = Timeframe.d1.bucketStart(all[0].openTime) + 86_400_000   // 2025-01-02 00:00 UTC
        let cutFrom = day + 10 * hour + 17 * minute, cutTo = day + 11 * hour + 43 * minute
        let minutes = all.filter { $0.openTime < cutFrom || $0.openTime >= cutTo }

        let emissions = aggregate(minutes, targets: [.m15, .h1, .h4])
        for timeframe in [Timeframe.m15, .h1, .h4] {
            let mine = emissions.filter { $0.timeframe == timeframe }
            #expect(firstDifference(mine.map(\.candle), reference(minutes, base: .m1, timeframe)) == nil, "\(timeframe)")
            #expect(!mine.contains { $0.inputCloseTime < $0.candle.openTime + timeframe.milliseconds })
        }
        let tenOClock = try #require(emissions.first { $0.timeframe == .h1 && $0.candle.openTime == day + 10 * hour })
        #expect(tenOClock.inputCloseTime == cutTo + minute)   // the 11:43 candle closed it
        let kept = all.filter { $0.openTime >= day + 10 * hour && $0.openTime < cutFrom }
        #expect(kept.count == 17)
        #expect(tenOClock.candle.open == kept[0].open)
        #expect(tenOClock.candle.close == kept[16].close)
        #expect(tenOClock.candle.high == kept.map(\.high).max())
        #expect(tenOClock.candle.low == kept.map(\.low).min())
        let eleven = try #require(emissions.first { $0.timeframe == .h1 && $0.candle.openTime == day + 11 * hour })
        #expect(eleven.candle.open == all.first { $0.openTime == cutTo }!.open)
        #expect(eleven.inputCloseTime == day + 12 * hour)   // its own last minute, on time
    }

    @Test func bucketInsideAGapEmitsNothing() throws {
        let all = try SharedData.candles("SOLUSDT-1m-20250101-20250204.csv", limit: 2 * 1_440)
        let day = Timeframe.d1.bucketStart(all[0].openTime)
        let minutes = all.filter { $0.openTime < day + 12 * hour || $0.openTime >= day + 15 * hour }
        let emissions = aggregate(minutes, targets: [.h1, .h4])
        let hours = emissions.filter { $0.timeframe == .h1 }.map(\.candle.openTime)
        #expect(hours.count == 48 - 3)
        for missing in [12, 13, 14] { #expect(!hours.contains(day + Int64(missing) * hour)) }
        // The 12:00–16:00 bucket has only 15:00–15:59 and closes on time.
        let fourHour = try #require(emissions.first { $0.timeframe == .h4 && $0.candle.openTime == day + 12 * hour })
        #expect(fourHour.inputCloseTime == day + 16 * hour)
        #expect(fourHour.candle.open == minutes.first { $0.openTime == day + 15 * hour }!.open)
    }

    /// 4h and 1d from the real 1h file, gaps included (29 of them, up to 33 hours).
    @Test func fourHourAndDailyFromHourlyFile() throws {
        let hourly = try SharedData.candles("BTCUSDT-1h-20170817-20251202.csv")
        var aggregator = CandleAggregator(base: .h1, targets: [.m5, .h1, .h4, .d1])
        #expect(aggregator.targets == [.h4, .d1])
        var emissions: [Emission] = []
        for candle in hourly {
            aggregator.add(candle) { emissions.append(Emission(timeframe: $0, candle: $1, inputCloseTime: candle.openTime + hour)) }
        }
        for timeframe in [Timeframe.h4, .d1] {
            let mine = emissions.filter { $0.timeframe == timeframe }
            #expect(firstDifference(mine.map(\.candle), reference(hourly, base: .h1, timeframe)) == nil, "\(timeframe)")
            #expect(!mine.contains { $0.inputCloseTime < $0.candle.openTime + timeframe.milliseconds })
        }
        // 2018-02-08 01:00 … 2018-02-09 09:00 (33 h) is missing: the 8th has only its 00:00
        // hour and is emitted when 10:00 on the 9th arrives; no 4h bar inside the gap exists.
        let feb8: Int64 = 1_518_048_000_000
        let day = try #require(emissions.first { $0.timeframe == .d1 && $0.candle.openTime == feb8 })
        let midnight = try #require(hourly.first { $0.openTime == feb8 })
        #expect(day.candle == midnight)
        #expect(day.inputCloseTime == feb8 + 35 * hour)
        let inGap = emissions.filter { $0.timeframe == .h4 && $0.candle.openTime > feb8 && $0.candle.openTime < feb8 + 32 * hour }
        #expect(inGap.isEmpty)
        // The last day (2025-12-02, up to 04:00) has not closed, so it is not emitted.
        #expect(emissions.last { $0.timeframe == .d1 }?.candle.openTime == Timeframe.d1.bucketStart(hourly.last!.openTime) - 86_400_000)
    }
}
