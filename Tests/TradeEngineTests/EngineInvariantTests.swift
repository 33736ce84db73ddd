import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Properties that must hold on whole real files, whatever the strategy does.
@Suite struct EngineInvariantTests {
    static let btc = "BTCUSDT-1m-20250101-20250204.csv"
    static let eth = "ETHUSDT-1m-20250101-20250204.csv"

    func series(_ names: [String], limit: Int? = nil) throws -> [MarketSeries] {
        try names.map { name in
            MarketSeries(instrument: .spot(String(name.prefix { $0 != "-" })), candles: try SharedData.candles(name, limit: limit))
        }
    }

    @Test func ledgerIdentityHoldsAtEveryBar() throws {
        let data = try series([Self.btc, Self.eth], limit: 20_000)
        var config = EngineConfiguration(instruments: data.map(\.instrument))
        config.broker.maxVolumeParticipation = 0.002   // forces partial fills on real volume
        config.broker.slippageBps = 2
        config.broker.volatilitySlippage = 0.1
        var steps = 0
        var mismatches: [String] = []
        let result = try BacktestRunner.run(series: data, configuration: config,
                                            strategy: ChurningStrategy(symbolCount: 2)) { engine in
            steps += 1
            let a = engine.ledger.equity(marks: engine.marks)
            let b = engine.ledger.equityFromPnL(marks: engine.marks)
            if a != b && mismatches.count < 3 { mismatches.append("t=\(engine.currentTime): \(a.formatted(digits: 16)) vs \(b.formatted(digits: 16))") }
        }
        #expect(mismatches.isEmpty, "\(mismatches)")
        #expect(steps == 20_000)
        // The run exercised what the identity is about.
        var fillsPerOrder: [Int64: Int] = [:]
        for f in result.fills { fillsPerOrder[f.orderID, default: 0] += 1 }
        #expect(fillsPerOrder.values.contains { $0 > 1 }, "no order filled in parts")
        #expect(result.ledger.positions.contains { $0.quantity.raw < 0 } || result.fills.contains { $0.side == .sell })
        #expect(result.fills.count > 1000)
        // Independent recomputation of cash from the fill list.
        var cash = config.initialCash
        for f in result.fills { cash -= Money(notionalOf: f.signedQuantity, at: f.price); cash -= f.fee }
        #expect(cash == result.ledger.cash)
    }

    @Test func runsAreDeterministic() throws {
        let data = try series([Self.btc, Self.eth], limit: 15_000)
        var config = EngineConfiguration(instruments: data.map(\.instrument))
        config.broker.slippageBps = 1
        config.broker.maxVolumeParticipation = 0.01
        func once() throws -> (String, String) {
            let r = try BacktestRunner.run(series: data, configuration: config, strategy: ChurningStrategy(symbolCount: 2))
            return (TradeListFormat.csv(r.fills), EquityCurveFormat.csv(r.equityCurve))
        }
        let (t1, e1) = try once()
        let (t2, e2) = try once()
        #expect(Data(t1.utf8) == Data(t2.utf8))
        #expect(Data(e1.utf8) == Data(e2.utf8))
        #expect(t1.split(separator: "\n").count > 100)
    }

    @Test(arguments: [FillConvention.nextOpen, .close])
    func noLookAhead(_ fill: FillConvention) throws {
        // A run on data cut at time T makes exactly the decisions before T that the full run makes.
        let full = try SharedData.candles(Self.btc)
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.broker.fillConvention = fill
        let strategy = EmaCrossRsi(symbolCount: 1)
        let whole = try BacktestRunner.run(series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: full)],
                                           configuration: config, strategy: strategy)
        for cut in [7_777, 23_456, 41_000] {
            let cutTime = full[cut].openTime
            let part = try BacktestRunner.run(series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: Array(full[..<cut]))],
                                              configuration: config, strategy: strategy)
            let before = { (fills: [Fill]) in fills.filter { $0.time < cutTime } }
            #expect(before(whole.fills) == part.fills, "cut at \(cut)")
            #expect(whole.orders.filter { $0.submittedAt < cutTime }.map(\.clientOrderID) == part.orders.map(\.clientOrderID))
            #expect(Array(whole.equityCurve.equity[..<cut]) == part.equityCurve.equity, "cut at \(cut)")
            #expect(part.fills.count > 50)
        }
    }
}

@Suite struct EquityCurveTests {
    @Test func stepTimesSurviveRealGaps() throws {
        // The 1h file has 29 real gaps; the curve's times must be exactly the candles' times.
        let candles = try SharedData.candles("BTCUSDT-1h-20170817-20251202.csv")
        let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        let r = try BacktestRunner.run(series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: candles)],
                                       configuration: config,
                                       strategy: EmaCrossRsi(symbolCount: 1, timeframe: .h1), baseTimeframe: .h1)
        #expect(r.equityCurve.times == candles.map(\.openTime))
        #expect(r.equityCurve.count == 72_566)
        #expect(r.fills.count > 100)
    }
}
