import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// Engine state is made of value types that encode and decode exactly: a state
/// saved mid-run and restored carries on bit for bit like the one never saved.
/// (The journal's snapshots rest on this.)
@Suite struct SnapshotRoundTripTests {
    /// Warm-up state holds NaNs, which plain JSON cannot: spell them out.
    func roundTrip<T: Codable>(_ value: T) throws -> T {
        let encoder = JSONEncoder()
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(T.self, from: encoder.encode(value))
    }

    func bits(_ s: FeatureSnapshot) -> [UInt64] {
        [s.close, s.emaFast, s.emaSlow, s.rsi, s.atr, s.adx, s.plusDI, s.minusDI, s.bollingerUpper, s.bollingerMiddle,
         s.bollingerLower, s.zScore, s.roc, s.volumeRatio, s.volatilityRatio, s.regime.confidence].map(\.bitPattern)
    }

    @Test(arguments: [(RegimeMethod.rule, 3_000), (.hmm, 3_000), (.rule, 7), (.hmm, 7)])
    func featuresAndRegimeContinueExactlyAfterASnapshot(_ method: RegimeMethod, _ at: Int) throws {
        let candles = try SharedData.candles("BTCUSDT-1h-20170817-20251202.csv").suffix(6_000)
        var settings = RegimeSettings()
        settings.method = method
        settings.hmmTrainingBars = 2_000
        var original = MarketFeatures(timeframe: .h1, regime: settings)
        for c in candles.prefix(at) { original.update(c) }   // 7: mid warm-up; 3,000: past the HMM fit
        var restored = try roundTrip(original)
        for c in candles.dropFirst(at) {
            original.update(c)
            restored.update(c)
            #expect(bits(original.snapshot) == bits(restored.snapshot))
            #expect(original.snapshot.regime.label == restored.snapshot.regime.label)
            if bits(original.snapshot) != bits(restored.snapshot) { break }
        }
        #expect(original.snapshot.isWarm)
    }

    @Test func aggregatorResumesMidBucket() throws {
        let minutes = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 5_000)
        var a = CandleAggregator(base: .m1, targets: [.m5, .h1, .h4])
        var outA: [Candle] = [], outB: [Candle] = []
        for c in minutes.prefix(1_237) { a.add(c) { _, bar in outA.append(bar) } }   // mid-hour, mid-5m
        var b = try roundTrip(a)
        outB = outA
        for c in minutes.dropFirst(1_237) {
            a.add(c) { _, bar in outA.append(bar) }
            b.add(c) { _, bar in outB.append(bar) }
        }
        #expect(outA == outB)
        #expect(outA.count > 1_000)
    }

    @Test func ledgerAndMoneyAreExactThroughJSON() throws {
        var ledger = Ledger(initialCash: Money(units: 100_000), symbolCount: 2)
        ledger.apply(Fill(orderID: 1, symbol: 0, side: .buy, price: Price("93413.7")!, quantity: Quantity("0.01070506")!,
                          fee: Money("0.999999263322")!, liquidity: .taker, time: 0, barIndex: 0))
        ledger.apply(Fill(orderID: 2, symbol: 1, side: .sell, price: Price("3353.51")!, quantity: Quantity("0.3")!,
                          fee: Money("1.006053")!, liquidity: .maker, time: 0, barIndex: 0))
        let restored = try roundTrip(ledger)
        let marks = [Price("94000.01")!, Price("3300")!]
        #expect(restored.equity(marks: marks) == ledger.equity(marks: marks))
        #expect(restored.cash == ledger.cash && restored.positions == ledger.positions)
        #expect(restored.openPositionCount == 2 && restored.cashApprox == ledger.cashApprox)
    }
}
