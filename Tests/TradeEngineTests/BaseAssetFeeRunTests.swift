import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Whole runs on real minutes with the venues' real lot size and a buy's fee taken
/// in coins (`fees.buy_fee_in_base`): the ledger's identity holds at every bar, the
/// strategies sell only what they hold in whole lots (no order is refused for it),
/// and they trade as often as when fees come out of cash.
@Suite struct BaseAssetFeeRunTests {
    static let lot = Quantity("0.00001")!

    func series(_ symbols: [String], candles: Int) throws -> [MarketSeries] {
        try symbols.map { symbol in
            var instrument = Instrument.spot(symbol)
            instrument.lotSize = Self.lot
            return MarketSeries(instrument: instrument,
                                candles: try SharedData.candles("\(symbol)-1m-20250101-20250204.csv", limit: candles))
        }
    }

    func configuration(_ data: [MarketSeries], feeInBase: Bool) -> EngineConfiguration {
        var config = EngineConfiguration(instruments: data.map(\.instrument))
        config.broker.buyFeeInBase = feeInBase
        config.allowShorting = false   // spot, where a buy's fee is taken in coins: long only
        return config
    }

    /// Runs `strategy` checking the ledger identity at every bar.
    func run<S: Strategy>(_ data: [MarketSeries], _ config: EngineConfiguration, _ strategy: S) throws -> (BacktestResult, S) {
        var mismatches = 0
        let (result, final) = try BacktestRunner.runKeepingStrategy(series: data, configuration: config, strategy: strategy) { engine in
            if engine.ledger.equity(marks: engine.marks) != engine.ledger.equityFromPnL(marks: engine.marks) { mismatches += 1 }
        }
        #expect(mismatches == 0, "the ledger identity broke at \(mismatches) bars")
        return (result, final)
    }

    @Test func theReferenceStrategySellsWhatItHoldsAndTradesAsOften() throws {
        let data = try series(["BTCUSDT"], candles: 30_000)
        let (inCoins, _) = try run(data, configuration(data, feeInBase: true), EmaCrossRsi(symbolCount: 1))
        let (inCash, _) = try run(data, configuration(data, feeInBase: false), EmaCrossRsi(symbolCount: 1))
        let lots = [Self.lot]
        let trips = RoundTripBuilder.build(fills: inCoins.fills, symbolCount: 1, lots: lots)
        let cashTrips = RoundTripBuilder.build(fills: inCash.fills, symbolCount: 1, lots: lots)
        try #require(cashTrips.closed.count > 20, "the reference must trade for this to mean anything")
        #expect(trips.closed.map(\.entryTime) == cashTrips.closed.map(\.entryTime), "the same entries on the same bars")
        #expect(!inCoins.orders.contains { $0.status == .rejected }, "\(inCoins.orders.filter { $0.status == .rejected }.prefix(2).map(\.statusMessage))")
        // Every buy's fee was withheld in coins, and what is left between trips is dust.
        for fill in inCoins.fills where fill.side == .buy { #expect(fill.feeInBase.raw > 0 && fill.cashFee == .zero) }
        if trips.open.isEmpty { #expect(inCoins.ledger.positions[0].quantity.magnitude < Self.lot) }
        // The fee is the same money either way, give or take rounding to 1e-8 coins.
        let difference = abs(inCoins.ledger.feesPaid.doubleValue - inCash.ledger.feesPaid.doubleValue)
        #expect(difference < 0.01 * inCash.ledger.feesPaid.doubleValue, "\(inCoins.ledger.feesPaid) vs \(inCash.ledger.feesPaid)")
    }

    @Test func theModelsCloseTheirTradesAndKeepOnlyDust() throws {
        let data = try series(["BTCUSDT", "ETHUSDT"], candles: 50_000)
        var settings = RunSettings()
        settings.models.risk.killSwitchLoss = 1_000_000
        func models(_ feeInBase: Bool) throws -> (BacktestResult, ModelsStrategy) {
            var config = configuration(data, feeInBase: feeInBase)
            settings.apply(to: &config)
            #expect(!config.allowShorting)
            return try run(data, config, StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1))
        }
        let (result, strategy) = try models(true)
        let (_, inCash) = try models(false)
        try #require(inCash.closedTrades.count > 10, "the models must trade for this to mean anything")
        let trades = strategy.closedTrades.count
        #expect(Double(trades) > 0.8 * Double(inCash.closedTrades.count) && Double(trades) < 1.25 * Double(inCash.closedTrades.count),
                "\(trades) trades with fees in coins, \(inCash.closedTrades.count) in cash")
        let refused = result.orders.filter { $0.status == .rejected && ($0.statusMessage.contains("lot") || $0.statusMessage.contains("balance")) }
        #expect(refused.isEmpty, "\(refused.prefix(2).map(\.statusMessage))")
        // What the account holds beyond the models' own positions is the dust their exits left: under one lot a trade.
        for s in 0..<data.count {
            var held = Quantity.zero
            for m in ModelID.allCases { held += strategy.risk.book[m, s].position.quantity }
            let dust = result.ledger.positions[s].quantity - held
            #expect(dust.raw >= 0 && dust.raw < Int64(trades + 1) * Self.lot.raw, "symbol \(s): \(dust) beside the models' \(held)")
        }
    }
}
