import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// The accounting oracle: `ema_cross_rsi` must reproduce the trade lists and
/// final equity of five independent engines (`../shared/reference/STRATEGY.md`).
@Suite struct ReferenceParityTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let data: String
        let fill: FillConvention
        let entries: Int
        let finalEquity: String
        var testDescription: String { "\(data) \(fill.rawValue)" }
    }

    static let cases: [Case] = [
        Case(data: "BTCUSDT-1m-20250101-20250204.csv", fill: .close, entries: 896, finalEquity: "98171.797292"),
        Case(data: "BTCUSDT-1m-20250101-20250204.csv", fill: .nextOpen, entries: 896, finalEquity: "98172.148656"),
        Case(data: "BTCUSDT-1m-20250520-20250818.csv.gz", fill: .close, entries: 2175, finalEquity: "95667.840666"),
        Case(data: "BTCUSDT-1m-20250520-20250818.csv.gz", fill: .nextOpen, entries: 2175, finalEquity: "95667.792739"),
    ]

    @Test(arguments: cases)
    func reproducesReferenceTradeList(_ c: Case) throws {
        let candles = try SharedData.candles(c.data)
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.broker.fillConvention = c.fill
        let result = try BacktestRunner.run(series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)],
                                            configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        let stem = c.data.replacingOccurrences(of: ".csv.gz", with: "").replacingOccurrences(of: ".csv", with: "")
        let expected = try SharedData.text(SharedData.reference("\(stem).ema_cross_rsi.\(c.fill.rawValue).trades.csv"))
            .split(separator: "\n").map(String.init)
        let ours = TradeListFormat.csv(result.fills).split(separator: "\n").map(String.init)
        #expect(ours.first == expected.first)
        let firstDifference = zip(ours, expected).enumerated().first { $0.element.0 != $0.element.1 }
        #expect(firstDifference == nil, "first differing row \(firstDifference.map { "\($0.offset): ours \($0.element.0) vs \($0.element.1)" } ?? "")")
        #expect(ours.count == expected.count)
        #expect(result.fills.filter { $0.side == .buy }.count == c.entries)
        // Final equity to the cent (the reference computes in Double).
        let expectedEquity = Money(c.finalEquity)!
        let diff = (result.finalEquity - expectedEquity).doubleValue
        #expect(abs(diff) < 0.005, "final equity \(result.finalEquity) vs \(expectedEquity)")
        #expect(result.finalEquity.formatted(digits: 2) == expectedEquity.formatted(digits: 2))
    }
}
