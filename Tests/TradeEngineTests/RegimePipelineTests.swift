import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Records the features the engine hands a strategy, bar by bar.
struct FeatureRecorder: Strategy {
    let name = "feature_recorder"
    let timeframes: [Timeframe]
    let usesFeatures = true
    var seen: [(Timeframe, Int64, FeatureSnapshot)] = []

    init(timeframes: [Timeframe]) { self.timeframes = timeframes }

    mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox) {
        seen.append((bar.timeframe, bar.candle.openTime, bar.features!))
    }
}

extension FeatureSnapshot {
    /// Every field's bits, so warm-up NaNs compare equal to NaNs.
    var bits: [UInt64] {
        [close, emaFast, emaSlow, rsi, atr, adx, plusDI, minusDI, bollingerUpper, bollingerMiddle, bollingerLower,
         zScore, roc, volumeRatio, volatilityRatio, regime.confidence].map(\.bitPattern)
            + [UInt64(RegimeLabel.allCases.firstIndex(of: regime.label)!)]
    }
}

/// Aggregation → indicators → regime → strategy, on real data, by configuration.
@Suite struct RegimePipelineTests {
    static let hourly: [Candle] = try! SharedData.candles("BTCUSDT-1h-20170817-20251202.csv")

    func record(_ candles: [Candle], base: Timeframe, timeframes: [Timeframe],
                regime: RegimeSettings = RegimeSettings()) throws -> [(Timeframe, Int64, FeatureSnapshot)] {
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.regime = regime
        var engine = TradingEngine(configuration: config, strategy: FeatureRecorder(timeframes: timeframes), baseTimeframe: base)
        for (i, c) in candles.enumerated() { try engine.handleCandle(symbol: 0, candle: c, barIndex: i) }
        engine.finish()
        return engine.strategy.seen
    }

    static func ms(_ iso: String) -> Int64 {
        Int64(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970 * 1000)
    }

    @Test func ruleRegimeCallsTheCovidCrashVolatileAndAQuietWeekNot() throws {
        // Feed from 2019-06 so every indicator is warm well before each window.
        let start = Self.hourly.firstIndex { $0.openTime >= Self.ms("2019-06-01T00:00:00Z") }!
        let seen = try record(Array(Self.hourly[start...]), base: .h1, timeframes: [.h1])
        func labels(_ from: String, _ to: String) -> [RegimeLabel] {
            let a = Self.ms(from), b = Self.ms(to)
            return seen.filter { $0.1 >= a && $0.1 < b }.map { $0.2.regime.label }
        }
        let crash = labels("2020-03-12T00:00:00Z", "2020-03-13T13:00:00Z")
        #expect(crash.count == 37)
        let volatile = crash.filter { $0 == .volatile }.count
        #expect(volatile * 2 > crash.count, "crash hours: \(volatile) of \(crash.count) VOLATILE")
        // The quietest week of 2023 (found by the regime tests): RANGE or CHOP, never VOLATILE.
        let quiet = labels("2023-08-09T20:00:00Z", "2023-08-16T20:00:00Z")
        #expect(quiet.count == 168)
        let counts = Dictionary(grouping: quiet, by: { $0 }).mapValues(\.count)
        // Volatility is judged relative to the recent past (ATR% over its slow average),
        // so even the quietest week has a few relatively jumpy hours — 3 of 168 here.
        #expect(quiet.filter { $0 == .volatile }.count * 20 <= quiet.count, "\(counts)")
        #expect(quiet.filter { $0 == .range }.count * 2 > quiet.count, "\(counts)")
        // Confidence is always in [0, 1]; every label occurs over six years of hours.
        #expect(seen.allSatisfy { (0...1).contains($0.2.regime.confidence) })
        #expect(Set(seen.map { $0.2.regime.label }) == Set(RegimeLabel.allCases))
    }

    @Test func hmmRegimeTrainsOnTheRunsOwnPastThenFiltersDeterministically() throws {
        var settings = RegimeSettings()
        settings.method = .hmm
        settings.hmmTrainingBars = 3_000
        let slice = Array(Self.hourly.suffix(12_000))
        let a = try record(slice, base: .h1, timeframes: [.h1], regime: settings)
        let b = try record(slice, base: .h1, timeframes: [.h1], regime: settings)
        #expect(a.map { $0.2.bits } == b.map { $0.2.bits }, "two runs differ")
        // No opinion until it has 3,000 returns of its own past.
        let untrained = a.prefix { $0.2.regime.confidence == 0 }
        #expect(untrained.count >= 3_000 && untrained.count < 3_100)
        #expect(untrained.allSatisfy { $0.2.regime.label == .chop })
        let trained = a.dropFirst(untrained.count)
        #expect(trained.allSatisfy { $0.2.regime.confidence > 0 && $0.2.regime.confidence <= 1 })
        #expect(Set(trained.map { $0.2.regime.label }).count >= 2)
        // The rule method on the same data reads differently: the choice is real.
        let rule = try record(slice, base: .h1, timeframes: [.h1])
        #expect(rule.map { $0.2.regime.label } != a.map { $0.2.regime.label }, "rule and hmm agree everywhere")
    }

    @Test func hourlyFeaturesFromMinutesEqualFeaturesFromTheHourlyFile() throws {
        // 1m → 1h aggregation inside the engine must feed the indicators exactly
        // what the real 1h file holds for the same hours.
        let minutes = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv")
        let fromMinutes = try record(minutes, base: .m1, timeframes: [.h1]).filter { $0.0 == .h1 }
        let first = minutes.first!.openTime, last = minutes.last!.openTime
        let hours = Self.hourly.filter { $0.openTime >= first && $0.openTime + 3_600_000 <= last + 60_000 }
        let fromHours = try record(hours, base: .h1, timeframes: [.h1])
        #expect(fromMinutes.count == hours.count)
        #expect(fromMinutes.map(\.1) == fromHours.map(\.1), "bar times differ")
        let firstDifference = fromMinutes.indices.first { fromMinutes[$0].2.bits != fromHours[$0].2.bits }
        #expect(firstDifference == nil, "first differing hour: \(firstDifference.map { fromHours[$0].1 } ?? 0)")
        #expect(fromMinutes.last!.2.isWarm)
    }

    @Test func regimeSettingsComeFromTheConfigFile() throws {
        let s = try RunSettings.parse(Data(#"{"regime": {"method": "hmm", "hmm_states": 3, "hmm_training_bars": 500, "trend_adx": 30}}"#.utf8), source: "c.json")
        #expect(s.regime.method == .hmm && s.regime.hmmStates == 3 && s.regime.hmmTrainingBars == 500)
        #expect(s.regime.rule.trendADX == 30)
        #expect(throws: EngineError.self) { try RunSettings.parse(Data(#"{"regime": {"method": "magic"}}"#.utf8), source: "c.json") }
        #expect(throws: EngineError.self) { try RunSettings.parse(Data(#"{"regime": {"trend_adx": 15}}"#.utf8), source: "c.json") }
        #expect(throws: EngineError.self) { try RunSettings.parse(Data(#"{"regime": {"methd": "rule"}}"#.utf8), source: "c.json") }
    }
}
