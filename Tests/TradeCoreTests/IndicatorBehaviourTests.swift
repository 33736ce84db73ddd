import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// What TA-Lib cannot check: streaming against batch, value semantics, the
/// indicators TA-Lib does not have (VWAP, Garman–Klass, z-score) against
/// direct formulas, edge cases, and the export's number format.
@Suite struct IndicatorBehaviourTests {
    static let candles = Result { try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 20_000) }

    // MARK: streaming

    static let indicators = [
        "SMA", "EMA", "RSI", "MACD", "Stochastic", "BollingerBands", "ATR", "ADX", "CCI", "MFI", "OBV",
        "VWAP", "GarmanKlassVolatility", "ZScore", "LinearRegressionSlope", "StandardDeviation", "ROC",
        "WilliamsR",
    ]

    /// Candles fed one at a time give the batch series; an indicator copied
    /// halfway carries on independently of the original (its window is its own).
    @Test(arguments: indicators)
    func streamingEqualsBatch(_ name: String) throws {
        let candles = try Self.candles.get()
        let closes = candles.map(\.close)
        switch name {
        case "SMA":
            try checkStreaming(SMA(period: 20), [SMA.batch(closes, period: 20)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "EMA":
            try checkStreaming(EMA(period: 12), [EMA.batch(closes, period: 12)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "RSI":
            try checkStreaming(RSI(period: 14), [RSI.batch(closes, period: 14)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "MACD":
            let b = MACD.batch(closes)
            try checkStreaming(MACD(), [b.macd, b.signal, b.histogram], on: candles) { $0.update($1.close) } outputs: { [$0.macd, $0.signal, $0.histogram] }
        case "Stochastic":
            let b = Stochastic.batch(candles)
            try checkStreaming(Stochastic(), [b.slowK, b.slowD], on: candles) { $0.update($1) } outputs: { [$0.slowK, $0.slowD] }
        case "BollingerBands":
            let b = BollingerBands.batch(closes)
            try checkStreaming(BollingerBands(), [b.upper, b.middle, b.lower], on: candles) { $0.update($1.close) } outputs: { [$0.upper, $0.middle, $0.lower] }
        case "ATR":
            try checkStreaming(ATR(), [ATR.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "ADX":
            let b = ADX.batch(candles)
            try checkStreaming(ADX(), [b.adx, b.plusDI, b.minusDI], on: candles) { $0.update($1) } outputs: { [$0.adx, $0.plusDI, $0.minusDI] }
        case "CCI":
            try checkStreaming(CCI(), [CCI.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "MFI":
            try checkStreaming(MFI(), [MFI.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "OBV":
            try checkStreaming(OBV(), [OBV.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "VWAP":
            try checkStreaming(VWAP(), [VWAP.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "GarmanKlassVolatility":
            try checkStreaming(GarmanKlassVolatility(period: 30), [GarmanKlassVolatility.batch(candles, period: 30)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        case "ZScore":
            try checkStreaming(ZScore(period: 20), [ZScore.batch(closes, period: 20)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "LinearRegressionSlope":
            try checkStreaming(LinearRegressionSlope(), [LinearRegressionSlope.batch(closes)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "StandardDeviation":
            try checkStreaming(StandardDeviation(period: 20), [StandardDeviation.batch(closes, period: 20)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "ROC":
            try checkStreaming(ROC(), [ROC.batch(closes)], on: candles) { $0.update($1.close) } outputs: { [$0.value] }
        case "WilliamsR":
            try checkStreaming(WilliamsR(), [WilliamsR.batch(candles)], on: candles) { $0.update($1) } outputs: { [$0.value] }
        default:
            Issue.record("no streaming check for \(name)")
        }
    }

    /// `batch` holds one series per output, in the order `outputs` lists them.
    private func checkStreaming<Indicator>(
        _ initial: Indicator, _ batch: [[Double]], on candles: [Candle],
        update: (inout Indicator, Candle) -> Void, outputs: (Indicator) -> [Double]
    ) throws {
        let half = candles.count / 2
        var indicator = initial
        var copy = initial
        var streamed = [[Double]](repeating: [], count: batch.count)
        for (i, candle) in candles.enumerated() {
            if i == half { copy = indicator }
            update(&indicator, candle)
            for (k, value) in outputs(indicator).enumerated() { streamed[k].append(value) }
        }
        var resumed = [[Double]](repeating: [], count: batch.count)
        for candle in candles[half...] {
            update(&copy, candle)
            for (k, value) in outputs(copy).enumerated() { resumed[k].append(value) }
        }
        for k in batch.indices {
            #expect(identical(streamed[k], batch[k]), "output \(k): streamed differs from batch")
            #expect(identical(resumed[k], Array(batch[k][half...])), "output \(k): copy taken halfway differs")
        }
        #expect(batch[0].last.map { !$0.isNaN } == true, "warmed up by the end")
    }

    private func identical(_ a: [Double], _ b: [Double]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { $0.bitPattern == $1.bitPattern }
    }

    // MARK: VWAP

    /// 2025-01-02 00:00 UTC, the first midnight in the 1m file.
    static let midnight: Int64 = 1_735_776_000_000

    @Test func vwapRestartsAtUTCMidnight() throws {
        let candles = Array(try Self.candles.get().prefix(1_600))
        let firstOfDay = try #require(candles.firstIndex { $0.openTime == Self.midnight })
        #expect(firstOfDay == 1_440)
        let vwap = VWAP.batch(candles)
        for i in candles.indices {
            let day = candles[(i < firstOfDay ? 0 : firstOfDay)...i]
            let priceVolume = day.reduce(0.0) { $0 + $1.typicalPrice * $1.volume }
            let volume = day.reduce(0.0) { $0 + $1.volume }
            #expect(vwap[i] == priceVolume / volume, "bar \(i)")
        }
        let first = candles[firstOfDay]
        #expect(abs(vwap[firstOfDay] - first.typicalPrice) <= 1e-12 * first.typicalPrice,
                "a new day's first VWAP is that bar's typical price")
        #expect(abs(vwap[firstOfDay - 1] - first.typicalPrice) > 1, "yesterday's VWAP is not carried over")
    }

    /// Zero-volume bars add nothing; a day without volume yet has no VWAP (NaN).
    @Test func vwapWithZeroVolume() throws {
        let real = try Self.candles.get()
        var candles = Array(real[1_430..<1_460])
        let firstOfDay = try #require(candles.firstIndex { $0.openTime == Self.midnight })
        for i in [firstOfDay, firstOfDay + 1, firstOfDay + 2, firstOfDay + 6] { candles[i].volume = 0 }
        var vwap = VWAP()
        var values: [Double] = []
        for candle in candles {
            vwap.update(candle)
            values.append(vwap.value)
            #expect(vwap.isReady == !vwap.value.isNaN)
        }
        #expect(!values[firstOfDay - 1].isNaN)
        #expect(values[firstOfDay...(firstOfDay + 2)].allSatisfy { $0.isNaN }, "no volume yet today")
        let firstTraded = candles[firstOfDay + 3]
        #expect(abs(values[firstOfDay + 3] - firstTraded.typicalPrice) <= 1e-12 * firstTraded.typicalPrice)
        #expect(values[firstOfDay + 6] == values[firstOfDay + 5], "a zero-volume bar leaves VWAP unchanged")
        #expect(values[(firstOfDay + 3)...].allSatisfy { $0.isFinite })
    }

    // MARK: indicators TA-Lib does not have, against direct formulas

    static func garmanKlassDirect(_ window: ArraySlice<Candle>) -> Double {
        var sum = 0.0
        for c in window {
            let highLow = log(c.high / c.low)
            let closeOpen = log(c.close / c.open)
            sum += 0.5 * highLow * highLow - (2 * log(2.0) - 1) * closeOpen * closeOpen
        }
        return (sum / Double(window.count)).squareRoot()
    }

    @Test func garmanKlassMatchesDirectFormula() throws {
        let candles = try Self.candles.get()
        let period = 30
        #expect(GarmanKlassVolatility.openCloseWeight == 2 * log(2.0) - 1)
        let ours = GarmanKlassVolatility.batch(candles, period: period)
        #expect(ours.prefix(period - 1).allSatisfy { $0.isNaN })
        var worst = 0.0
        for i in (period - 1)..<candles.count {
            let direct = Self.garmanKlassDirect(candles[(i - period + 1)...i])
            worst = max(worst, abs(ours[i] - direct) / direct)
        }
        #expect(worst <= 1e-12, "worst relative difference \(worst)")
    }

    /// A bar with H == L (and so O == C) is a bar without movement: σ² = 0, not NaN.
    @Test func garmanKlassFlatBars() throws {
        var candles = Array(try Self.candles.get().prefix(40))
        for i in [10, 11, 35] {
            let p = candles[i].close
            candles[i] = Candle(openTime: candles[i].openTime, open: p, high: p, low: p, close: p, volume: 0)
        }
        let ours = GarmanKlassVolatility.batch(candles, period: 20)
        for i in 19..<candles.count {
            let direct = Self.garmanKlassDirect(candles[(i - 19)...i])
            #expect(ours[i].isFinite && abs(ours[i] - direct) <= 1e-12 * direct, "bar \(i)")
        }
        var allFlat = GarmanKlassVolatility(period: 3)
        for i in [10, 11, 10] { allFlat.update(candles[i]) }
        #expect(allFlat.value == 0)
    }

    @Test func zScoreMatchesDirectFormula() throws {
        let closes = try Self.candles.get().map(\.close)
        let period = 20
        let ours = ZScore.batch(closes, period: period)
        #expect(ours.prefix(period - 1).allSatisfy { $0.isNaN })
        var worst = 0.0
        for i in (period - 1)..<closes.count {
            let window = closes[(i - period + 1)...i]
            let mean = window.reduce(0, +) / Double(period)
            let sigma = (window.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(period)).squareRoot()
            let direct = sigma == 0 ? 0 : (closes[i] - mean) / sigma
            worst = max(worst, abs(ours[i] - direct) / max(1, abs(direct)))
        }
        #expect(worst <= 1e-9, "worst difference \(worst)")
    }

    @Test func zScoreOfAFlatWindowIsZero() throws {
        let price = try Self.candles.get()[0].close
        var z = ZScore(period: 5)
        for _ in 0..<8 { z.update(price) }
        #expect(z.value == 0)
    }

    // MARK: edge cases

    /// Flat windows (a real close repeated, every bar O = H = L = C) give defined
    /// values, as in TA-Lib: ROC 0 (no change), Williams %R 0 and stochastic 0
    /// (no range to place the close in).
    @Test func flatWindowsGiveDefinedValues() throws {
        let real = try Self.candles.get()[0]
        var roc = ROC(period: 10)
        var williams = WilliamsR(period: 14)
        var stochastic = Stochastic()
        for i in 0..<30 {
            let p = real.close
            let flat = Candle(openTime: real.openTime + Int64(i) * 60_000, open: p, high: p, low: p, close: p,
                              volume: real.volume)
            roc.update(flat.close)
            williams.update(flat)
            stochastic.update(flat)
        }
        #expect(roc.value == 0)
        #expect(williams.value == 0)
        #expect(stochastic.slowK == 0 && stochastic.slowD == 0)
    }

    /// A flat window of BTC-sized prices gives CCI 0, where TA-Lib's absolute
    /// epsilon lets an ulp of rounding in the mean through as ±66.7.
    @Test func cciOfAFlatWindowIsZero() throws {
        for real in try Self.candles.get().prefix(50) {
            var cci = CCI(period: 20)
            for _ in 0..<25 { cci.update(real) }
            #expect(cci.value == 0, "flat at \(real.typicalPrice)")
        }
    }

    /// ROC against a zero is undefined; like TA-Lib we return 0, never ±inf or NaN.
    @Test func rocAgainstZeroIsZero() throws {
        let closes = try Self.candles.get().prefix(12).map(\.close)
        var roc = ROC(period: 10)
        roc.update(0)
        for x in closes { roc.update(x) }
        #expect(roc.value.isFinite)
        var fromZero = ROC(period: 1)
        fromZero.update(0)
        fromZero.update(closes[0])
        #expect(fromZero.value == 0)
    }

    /// A close at the window's high gives −0.0 (TA-Lib writes "-0" there: row 20 of the 1m reference).
    @Test func williamsRAtTheHighIsMinusZero() throws {
        let williams = WilliamsR.batch(try Self.candles.get(), period: 14)
        #expect(williams[20] == 0 && williams[20].sign == .minus)
    }

    @Test func rocAndWilliamsRStayFiniteOnRealData() throws {
        let candles = try Self.candles.get()
        #expect(ROC.batch(candles.map(\.close)).dropFirst(10).allSatisfy { $0.isFinite })
        #expect(WilliamsR.batch(candles).dropFirst(13).allSatisfy { $0.isFinite && $0 >= -100 - 1e-9 && $0 <= 0 })
    }

    /// Warm-up lengths are TA-Lib's lookbacks + 1.
    @Test func readinessFollowsTalibLookbacks() throws {
        let candles = Array(try Self.candles.get().prefix(40))
        func firstReady(_ series: [Double]) -> Int? { series.firstIndex { !$0.isNaN } }
        let closes = candles.map(\.close)
        #expect(firstReady(MACD.batch(closes).histogram) == 33)
        #expect(firstReady(Stochastic.batch(candles).slowK) == 17)
        #expect(firstReady(ADX.batch(candles).adx) == 27)
        #expect(firstReady(ADX.batch(candles).plusDI) == 14)
        #expect(firstReady(ATR.batch(candles)) == 14)
        #expect(firstReady(MFI.batch(candles)) == 14)
        #expect(firstReady(CCI.batch(candles)) == 19)
        #expect(firstReady(ROC.batch(closes)) == 10)
        #expect(firstReady(OBV.batch(candles)) == 0)
    }

    // MARK: export number format

    @Test(arguments: [1.5e-07, -2.5e-05, 1e-05, 1e16, -1.2345678901234567e20, 123.0, 0.1, -0.0, 0,
                      93_625.36833333333, 5e-324, Double.greatestFiniteMagnitude])
    func exportNumbersRoundTripWithoutExponent(_ x: Double) throws {
        var text = ""
        IndicatorExport.appendNumber(x, to: &text)
        #expect(!text.contains("e"), "\(text)")
        let parsed = try #require(Double(text), "\(text)")
        #expect(parsed.bitPattern == x.bitPattern, "\(x) → \(text) → \(parsed)")
    }

    @Test func exportWritesNaNAsAnEmptyCell() {
        var text = ""
        IndicatorExport.appendNumber(.nan, to: &text)
        #expect(text == "")
    }
}
