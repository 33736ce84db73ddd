import Foundation
import Testing
@testable import TradeCore

/// The rule classifier (table-driven, at the exact threshold boundaries), the
/// volatility ratio (also on real BTC 1h data) and the configuration names.
@Suite struct RegimeRuleTests {
    typealias Data = RegimeTestData

    /// A clean up-trend: ADX 30, +DI 30 / −DI 10, close 110 > EMA 105 > EMA 100,
    /// ATR 2, normal volatility.
    static let up = RegimeFeatures(adx: 30, plusDI: 30, minusDI: 10, emaFast: 105, emaSlow: 100,
                                   close: 110, atr: 2, volatilityRatio: 1)
    /// Its mirror.
    static let down = RegimeFeatures(adx: 30, plusDI: 10, minusDI: 30, emaFast: 95, emaSlow: 100,
                                     close: 90, atr: 2, volatilityRatio: 1)
    /// Weak trend strength, normal volatility, no alignment.
    static let quiet = RegimeFeatures(adx: 12, plusDI: 18, minusDI: 17, emaFast: 100.2, emaSlow: 100,
                                      close: 99.9, atr: 0.5, volatilityRatio: 0.9)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let features: RegimeFeatures
        let expected: RegimeLabel
        var testDescription: String { name }

        init(_ name: String, _ base: RegimeFeatures, _ expected: RegimeLabel, _ change: (inout RegimeFeatures) -> Void = { _ in }) {
            var f = base
            change(&f)
            self.name = name
            features = f
            self.expected = expected
        }
    }

    static let cases: [Case] = [
        Case("clean up-trend", up, .trendUp),
        Case("clean down-trend", down, .trendDown),
        Case("quiet market", quiet, .range),
        // VOLATILE: strictly above 1.5, and before everything else.
        Case("ratio exactly 1.5 is not volatile", up, .trendUp) { $0.volatilityRatio = 1.5 },
        Case("ratio just above 1.5 beats the up-trend", up, .volatile) { $0.volatilityRatio = 1.5.nextUp },
        Case("volatile beats the down-trend", down, .volatile) { $0.volatilityRatio = 3 },
        Case("volatile beats range", quiet, .volatile) { $0.volatilityRatio = 1.6 },
        // Trend band: ADX ≥ 25 inclusive.
        Case("ADX exactly 25 trends", up, .trendUp) { $0.adx = 25 },
        Case("ADX exactly 25 trends down", down, .trendDown) { $0.adx = 25 },
        Case("ADX just below 25 is chop", up, .chop) { $0.adx = 25.0.nextDown },
        // Every direction condition is required.
        Case("close below fast EMA", up, .chop) { $0.close = 104 },
        Case("close equal to fast EMA", up, .chop) { $0.close = 105 },
        Case("fast EMA equal to slow", up, .chop) { $0.emaFast = 100 },
        Case("fast EMA below slow", up, .chop) { $0.emaFast = 99; $0.close = 110 },
        Case("−DI dominates an up-aligned market", up, .chop) { $0.minusDI = 31 },
        Case("equal DIs", up, .chop) { $0.minusDI = 30 },
        Case("+DI dominates a down-aligned market", down, .chop) { $0.plusDI = 31 },
        Case("close above fast EMA in a down-trend", down, .chop) { $0.close = 96 },
        // Range band: ADX < 20 strictly, volatility ratio ≤ 1.2.
        Case("ADX just below 20 ranges", quiet, .range) { $0.adx = 20.0.nextDown },
        Case("ADX exactly 20 is chop", quiet, .chop) { $0.adx = 20 },
        Case("ratio exactly 1.2 still ranges", quiet, .range) { $0.volatilityRatio = 1.2 },
        Case("ratio just above 1.2 is chop", quiet, .chop) { $0.volatilityRatio = 1.2.nextUp },
        Case("weak ADX with aligned EMAs still ranges", up, .range) { $0.adx = 15 },
        // Warm-up.
        Case("NaN ADX", up, .chop) { $0.adx = .nan },
        Case("NaN volatility ratio", up, .chop) { $0.volatilityRatio = .nan },
    ]

    @Test(arguments: cases)
    func classifies(_ c: Case) {
        let reading = RuleRegimeClassifier().classify(c.features)
        #expect(reading.label == c.expected)
        #expect(reading.confidence >= 0 && reading.confidence <= 1)
    }

    @Test func confidenceFollowsTheDocumentedFormula() {
        let classifier = RuleRegimeClassifier()
        // Trend: a = (30−25)/15, d = (30−10)/40, e = min(1, 5/(2·2)) = 1.
        let trend = classifier.classify(Self.up).confidence
        #expect(abs(trend - (0.5 + 0.5 * (1.0 / 3 + 0.5 + 1) / 3)) < 1e-15)
        // Just qualifying reads 0.5; far past the threshold reads 1.
        var v = Self.up
        v.volatilityRatio = 1.5.nextUp
        #expect(abs(classifier.classify(v).confidence - 0.5) < 1e-12)
        v.volatilityRatio = 2.5
        #expect(classifier.classify(v).confidence == 1)
        v.volatilityRatio = 9
        #expect(classifier.classify(v).confidence == 1)
        var r = Self.quiet
        r.adx = 20.0.nextDown
        #expect(abs(classifier.classify(r).confidence - 0.5) < 1e-12)
        r.adx = 5
        #expect(classifier.classify(r).confidence == 1)
        r.adx = 13.25  // (20 − 13.25)/15 = 0.45
        #expect(abs(classifier.classify(r).confidence - 0.725) < 1e-12)
        var c = Self.up
        c.adx = 22
        #expect(classifier.classify(c) == RegimeReading(label: .chop, confidence: 0.5))
        c.adx = .nan
        #expect(classifier.classify(c) == RegimeReading(label: .chop, confidence: 0))
    }

    @Test func confidenceIsMonotonicInADXDistance() {
        let classifier = RuleRegimeClassifier()
        for base in [Self.up, Self.down] {
            var previous = -1.0
            for step in 0...140 {
                var f = base
                f.adx = 25 + Double(step) * 0.25
                let reading = classifier.classify(f)
                #expect(reading.label == classifier.classify(base).label)
                if f.adx <= 40 {
                    #expect(reading.confidence > previous, "ADX \(f.adx)")
                } else {
                    #expect(reading.confidence == previous, "saturated at ADX \(f.adx)")
                }
                previous = reading.confidence
            }
        }
        var previous = -1.0
        for step in 0...79 {
            var f = Self.quiet
            f.adx = 19.9 - Double(step) * 0.25  // further below the range band
            let reading = classifier.classify(f)
            #expect(reading.label == .range)
            #expect(f.adx < 5 ? reading.confidence == 1 : reading.confidence > previous, "ADX \(f.adx)")
            previous = reading.confidence
        }
    }

    @Test func confidenceStaysInUnitIntervalEverywhere() {
        let classifier = RuleRegimeClassifier()
        for adx in stride(from: 0.0, through: 100, by: 2.5) {
            for ratio in [0.0, 0.5, 1, 1.2, 1.3, 1.5, 2, 10] {
                for (plus, minus) in [(0.0, 0.0), (40.0, 5.0), (5.0, 40.0), (20.0, 20.0)] {
                    for (close, fast, slow) in [(110.0, 105.0, 100.0), (90.0, 95.0, 100.0), (100.0, 100.0, 100.0)] {
                        for atr in [0.0, 0.1, 50] {
                            let f = RegimeFeatures(adx: adx, plusDI: plus, minusDI: minus, emaFast: fast, emaSlow: slow,
                                                   close: close, atr: atr, volatilityRatio: ratio)
                            let c = classifier.classify(f).confidence
                            #expect(c >= 0 && c <= 1, "\(f)")
                        }
                    }
                }
            }
        }
    }

    @Test func thresholdsAreParameters() {
        var p = RuleRegimeClassifier.Parameters()
        p.trendADX = 35
        p.rangeADX = 10
        p.volatileRatio = 3
        p.elevatedRatio = 2
        let classifier = RuleRegimeClassifier(parameters: p)
        #expect(classifier.classify(Self.up).label == .chop)         // ADX 30 < 35
        var f = Self.up
        f.volatilityRatio = 2.5
        f.adx = 35
        #expect(classifier.classify(f).label == .trendUp)            // 2.5 ≤ 3
        #expect(classifier.classify(Self.quiet).label == .chop)      // ADX 12 ≥ 10
    }

    // MARK: volatility ratio

    @Test func volatilityRatioWarmsUpAndNormalises() {
        var ratio = VolatilityRatio(slowPeriod: 100)
        ratio.update(atr: .nan, close: 100)                          // ATR warm-up: skipped
        for _ in 0..<99 { ratio.update(atr: 2, close: 100) }
        #expect(!ratio.isReady)
        ratio.update(atr: 2, close: 100)
        #expect(abs(ratio.value - 1) < 1e-12)
        ratio.update(atr: 6, close: 100)                             // ATR% triples
        #expect(abs(ratio.value - 0.06 / (0.02 + (0.06 - 0.02) * 2 / 101)) < 1e-12)
        var flat = VolatilityRatio(slowPeriod: 3)
        for _ in 0..<3 { flat.update(atr: 0, close: 50) }
        #expect(flat.value == 1)
    }

    /// On real data with a Wilder ATR(14) test fixture (EMA with α = 1/14):
    /// most COVID crash hours push the ratio past VOLATILE's 1.5, most hours of
    /// the quietest week of 2023 do not. (The ratio is relative: a small burst
    /// in a very quiet week can still cross 1.5 for a few hours.)
    @Test func volatilityRatioOnBTCCrashAndQuietWeek() throws {
        func ratios(_ candles: ArraySlice<Candle>) -> [(openTime: Int64, ratio: Double)] {
            var trueRange = EMA(period: 27)                          // α = 2/28 = 1/14
            var ratio = VolatilityRatio()
            var out: [(openTime: Int64, ratio: Double)] = []
            var previousClose: Double?
            for c in candles {
                let tr = previousClose.map { max(c.high, $0) - min(c.low, $0) } ?? (c.high - c.low)
                trueRange.update(tr)
                ratio.update(atr: trueRange.value, close: c.close)
                out.append((c.openTime, ratio.value))
                previousClose = c.close
            }
            return out
        }
        let crash = ratios(try Data.candles(from: Data.utc(2020, 1, 1), to: Data.utc(2020, 3, 13, 13)))
            .filter { $0.openTime >= Data.utc(2020, 3, 12) }
        let volatileHours = crash.filter { $0.ratio > 1.5 }.count
        #expect(Double(volatileHours) / Double(crash.count) > 0.5, "\(volatileHours) of \(crash.count)")
        let start = try Data.quietestWeek(from: Data.utc(2023, 1, 1), to: Data.utc(2024, 1, 1))
        let week = 7 * 24 * Data.hour
        let quiet = ratios(try Data.candles(from: start - 4 * week, to: start + week)).filter { $0.openTime >= start }
        let quietVolatile = quiet.filter { $0.ratio > 1.5 }.count
        #expect(Double(quietVolatile) / Double(quiet.count) < 0.5, "\(quietVolatile) of \(quiet.count)")
    }

    // MARK: configuration names

    @Test func labelsAndMethodsHaveStableNames() throws {
        #expect(RegimeLabel.allCases.map(\.rawValue) == ["TREND_UP", "TREND_DOWN", "RANGE", "CHOP", "VOLATILE"])
        let methods = try JSONDecoder().decode([RegimeMethod].self, from: Foundation.Data(#"["rule","hmm"]"#.utf8))
        #expect(methods == [.rule, .hmm])
        #expect(String(decoding: try JSONEncoder().encode(RegimeMethod.allCases), as: UTF8.self) == #"["rule","hmm"]"#)
        #expect(throws: DecodingError.self) { try JSONDecoder().decode(RegimeMethod.self, from: Foundation.Data(#""HMM""#.utf8)) }
        let label = try JSONDecoder().decode(RegimeLabel.self, from: Foundation.Data(#""TREND_DOWN""#.utf8))
        #expect(label == .trendDown)
    }
}
