import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// The gate's pre-trade safety checks on real BTC minutes: each refuses with its
/// reason and changes nothing, exits always pass what would only stop new exposure,
/// and the checks' memory (order times, the day's opening equity) survives a snapshot.
@Suite struct SafetyLimitTests {
    static func quantity(_ x: Double) -> Quantity { Quantity(raw: Int64((x * 1e8).rounded())) }
    func buy(_ x: Double, _ type: OrderType = .market) -> OrderIntent {
        OrderIntent(symbol: 0, side: .buy, type: type, quantity: Self.quantity(x), reason: "entry")
    }
    func sell(_ x: Double) -> OrderIntent { OrderIntent(symbol: 0, side: .sell, type: .market, quantity: Self.quantity(x), reason: "exit") }

    /// Runs `script` (bar index → orders) over the first `bars` January minutes with `limits`.
    func run(_ limits: SafetyLimits, _ script: [Int: [OrderIntent]], bars: Int = 10) throws -> TradingEngine<ScriptedStrategy, PaperBroker> {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: bars)
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.allowShorting = false
        config.safety = limits
        var engine = TradingEngine(configuration: config, strategy: ScriptedStrategy(script))
        for (i, c) in candles.enumerated() { try engine.handle(.candle(symbol: 0, candle: c, barIndex: i)) }
        return engine
    }

    func rejections(_ engine: TradingEngine<ScriptedStrategy, PaperBroker>) -> [String] {
        engine.orders.filter { $0.status == .rejected }.map(\.statusMessage)
    }

    @Test func ordersForSymbolsOffTheAllowListAreRefused() throws {
        var limits = SafetyLimits()
        limits.allowedSymbols = ["ETHUSDT"]
        let engine = try run(limits, [1: [buy(0.01)]])
        #expect(rejections(engine) == ["safety: BTCUSDT is not on the allow-list (ETHUSDT)"])
        #expect(engine.fills.isEmpty && engine.ledger.cash == Money(units: 100_000))
    }

    @Test func orderAndPositionCapsStopNewExposureButNeverAnExit() throws {
        var limits = SafetyLimits()
        limits.maxOrderNotional = Money(units: 25_000)
        limits.maxPositionNotional = Money(units: 40_000)
        // ~94k a BTC: 0.3 is over the order cap; 0.25 + 0.25 passes each order cap but not the position cap; the exit passes.
        let engine = try run(limits, [1: [buy(0.3)], 2: [buy(0.25)], 3: [buy(0.25)], 4: [sell(0.25)]])
        let refused = rejections(engine)
        #expect(refused.count == 2, "\(refused)")
        #expect(refused[0].hasPrefix("safety: order notional") && refused[0].contains("25000 cap per order"))
        #expect(refused[1].hasPrefix("safety: BTCUSDT's position would be worth") && refused[1].contains("40000 cap"))
        #expect(engine.ledger.positions[0].quantity.isZero, "the exit went through")
    }

    @Test func aPriceFarFromTheLastCloseIsRefusedWhateverItsSide() throws {
        var limits = SafetyLimits()
        limits.priceBand = 0.05
        let engine = try run(limits, [1: [buy(0.01, .limit(Price(47_000)))], 2: [buy(0.01, .limit(Price(93_000)))]])
        let refused = rejections(engine)
        #expect(refused.count == 1 && refused[0].contains("beyond the 5.0 % band"), "\(refused)")
        #expect(engine.orders.count == 2 && engine.orders[1].status != .rejected)
    }

    @Test func theOrderRateIsThrottledPerMinuteOfBarTime() throws {
        var limits = SafetyLimits()
        limits.maxOrdersPerMinute = 3
        let engine = try run(limits, [1: Array(repeating: buy(0.001), count: 5), 2: [buy(0.001)], 3: [sell(0.001)]])
        let refused = rejections(engine)
        #expect(refused.count == 2 && refused.allSatisfy { $0 == "safety: order rate: 3 orders in the last minute, the limit is 3" }, "\(refused)")
        #expect(engine.orders.filter { $0.status != .rejected }.count == 5, "three in minute 1, one in minute 2, the exit")
    }

    /// The fees of one buy already lose more than a 1-USDT limit: no more exposure that day,
    /// the exit passes, and the next UTC day (bar 1,440 is 2 January) trades again.
    @Test func theDailyLossLimitStopsNewExposureUntilTheNextDay() throws {
        var limits = SafetyLimits()
        limits.dailyLossLimit = Money(units: 1)
        let engine = try run(limits, [1: [buy(0.05)], 3: [buy(0.01)], 5: [sell(0.05)], 1_441: [buy(0.01)]], bars: 1_445)
        let refused = rejections(engine)
        #expect(refused.count == 1 && refused[0].hasPrefix("safety: daily loss") && refused[0].contains("next UTC day"), "\(refused)")
        #expect(engine.orders.map(\.reason) == ["entry", "entry", "exit", "entry"])
        #expect(engine.orders[3].status != .rejected && engine.ledger.positions[0].quantity == Self.quantity(0.01))
    }

    /// A run cut by a snapshot refuses exactly the orders the uninterrupted run refuses.
    @Test func theChecksMemorySurvivesASnapshot() throws {
        let candles = try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 4_000)
        var config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        config.safety.maxOrdersPerMinute = 1
        config.safety.dailyLossLimit = Money(units: 3)
        func feed(_ engine: inout TradingEngine<ChurningStrategy, PaperBroker>, _ range: Range<Int>) throws {
            for i in range { try engine.handle(.candle(symbol: 0, candle: candles[i], barIndex: i)) }
        }
        var whole = TradingEngine(configuration: config, strategy: ChurningStrategy(symbolCount: 1))
        try feed(&whole, 0..<candles.count)
        var cut = TradingEngine(configuration: config, strategy: ChurningStrategy(symbolCount: 1))
        try feed(&cut, 0..<2_222)
        let bytes = try SnapshotCodec.encode(cut.snapshot())
        var restored = try TradingEngine(configuration: config,
                                         restoring: SnapshotCodec.decode(EngineSnapshot<ChurningStrategy, PaperBroker>.self, from: bytes))
        #expect(restored.safetyState == cut.safetyState)
        try feed(&restored, 2_222..<candles.count)
        let refused = whole.orders.filter { $0.statusMessage.hasPrefix("safety: daily loss") }
        #expect(!refused.isEmpty, "the limit must bite for this test to mean anything")
        #expect(restored.orders == whole.orders && restored.safetyState == whole.safetyState)
    }

    @Test func theConfigSetsTheLimitsAndRefusesWhatIsNotOne() throws {
        let good = #"{"max_leverage": 3, "safety": {"allowed_symbols": ["btcusdt"], "max_order_notional": "25000", "max_position_notional": "50000", "price_band_pct": 5, "max_orders_per_minute": 30, "daily_loss_limit": "2000"}}"#
        let s = try RunSettings.parse(Data(good.utf8), source: "config")
        #expect(s.safety.allowedSymbols == ["BTCUSDT"] && s.safety.priceBand == 0.05 && s.safety.maxOrdersPerMinute == 30)
        #expect(s.safety.maxOrderNotional == Money(units: 25_000) && s.safety.dailyLossLimit == Money(units: 2_000))
        for (bad, why) in [(#"{"max_leverage": 25}"#, "never goes above 20×"),
                           (#"{"safety": {"price_band_pct": 0}}"#, "price_band_pct"),
                           (#"{"safety": {"max_order_notional": "-5"}}"#, "max_order_notional"),
                           (#"{"safety": {"allowed_symbols": []}}"#, "at least one symbol"),
                           (#"{"safety": {"max_orders": 3}}"#, "max_orders")] {
            #expect { _ = try RunSettings.parse(Data(bad.utf8), source: "config") } throws: { "\($0)".contains(why) }
        }
    }
}
