import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Operator commands inside the deterministic core: applied between two
/// events, they block entries, close positions through the strategy's own
/// books, survive snapshots, and give the same result every time.
@Suite struct OperatorActionTests {
    static let btc = Result { try SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 20_000) }

    /// Runs `ema_cross_rsi` on BTC, applying `actions[i]` just before bar i.
    static func runReference(_ actions: [Int: [OperatorAction]], snapshotAt: Set<Int> = []) throws -> TradingEngine<EmaCrossRsi, PaperBroker> {
        let candles = try btc.get()
        let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        var engine = TradingEngine(configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        for (i, candle) in candles.enumerated() {
            if snapshotAt.contains(i) {
                let bytes = try SnapshotCodec.encode(engine.snapshot())
                engine = try TradingEngine(configuration: config,
                                           restoring: SnapshotCodec.decode(EngineSnapshot<EmaCrossRsi, PaperBroker>.self, from: bytes))
            }
            for action in actions[i] ?? [] { try engine.apply(action) }
            try engine.handleCandle(symbol: 0, candle: candle, barIndex: i)
        }
        engine.finish()
        return engine
    }

    @Test func aPauseBlocksEntriesButNotExitsAndResumeLiftsIt() throws {
        let plain = try Self.runReference([:])
        // Pause while a position is open, so its exit must still go through.
        let entry = try #require(plain.orders.first { $0.side == .buy && $0.submittedBarIndex > 2_000 })
        let pauseAt = entry.submittedBarIndex + 2, resumeAt = pauseAt + 6_000
        let paused = try Self.runReference([pauseAt: [.pauseEntries(reason: "news")], resumeAt: [.resume]])

        let during = paused.orders.filter { $0.submittedBarIndex >= pauseAt && $0.submittedBarIndex < resumeAt }
        let blocked = during.filter { $0.status == .rejected }
        #expect(!blocked.isEmpty, "the strategy kept signalling entries while paused")
        #expect(blocked.allSatisfy { $0.side == .buy && $0.statusMessage.contains("entries are blocked (paused: news)") })
        // The position open at the pause was closed by the strategy's own exit, as in the plain run.
        let firstExit = try #require(during.first { $0.side == .sell })
        #expect(firstExit.status == .filled && firstExit.reason == "ema_cross_down")
        #expect(plain.orders.contains { $0.submittedBarIndex == firstExit.submittedBarIndex && $0.side == .sell })
        // After resume, entries are accepted again.
        #expect(paused.orders.contains { $0.submittedBarIndex >= resumeAt && $0.side == .buy && $0.status != .rejected })
        #expect(paused.entriesBlocked == nil)
    }

    @Test func haltClosesThePositionAtTheNextBarAndBlocksUntilResumed() throws {
        let plain = try Self.runReference([:])
        let entry = try #require(plain.orders.first { $0.side == .buy && $0.submittedBarIndex > 3_000 })
        let haltAt = entry.submittedBarIndex + 3
        let halted = try Self.runReference([haltAt: [.halt(reason: "drill")]])

        let closing = try #require(halted.orders.first { $0.reason.hasPrefix("operator: halt: drill") })
        #expect(closing.side == .sell && closing.status == .filled && closing.submittedBarIndex == haltAt - 1)
        let fill = try #require(halted.fills.first { $0.orderID == closing.id })
        #expect(try fill.time == Self.btc.get()[haltAt].openTime, "a market order fills at the next bar's open")
        #expect(halted.ledger.positions[0].isFlat)
        #expect(!halted.fills.contains { $0.side == .buy && $0.time > fill.time }, "no entry may fill while halted")
        #expect(halted.entriesBlocked == "halted: drill")
        // Exposure excludes nothing twice: one closing order only.
        #expect(halted.orders.filter { $0.reason.hasPrefix("operator:") }.count == 1)
        // Its origin is typed: the operator's, and records attribute it so; the strategy's own orders stay its.
        #expect(closing.origin == .operator && halted.strategy.model(of: closing) == "operator")
        #expect(halted.orders.filter { $0.id != closing.id }.allSatisfy { $0.origin == .strategy && halted.strategy.model(of: $0) == "ema_cross_rsi" })
        // An order written before orders carried an origin reads as the strategy's.
        var old = try JSONSerialization.jsonObject(with: JSONEncoder().encode(closing)) as! [String: Any]
        old["origin"] = nil
        let decoded = try JSONDecoder().decode(Order.self, from: JSONSerialization.data(withJSONObject: old))
        var expected = closing
        expected.origin = .strategy
        #expect(decoded == expected)
    }

    @Test func flattenOnAFlatBookDoesNothingAndBadSymbolsAreRefused() throws {
        let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        var engine = TradingEngine(configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        try engine.handleCandle(symbol: 0, candle: try Self.btc.get()[0], barIndex: 0)
        try engine.apply(.flatten(symbol: nil, reason: "tidy"))
        #expect(engine.orders.isEmpty)
        #expect(throws: EngineError.self) { try engine.apply(.flatten(symbol: 3, reason: "x")) }
        engine.finish()
        #expect(throws: EngineError.self) { try engine.apply(.resume) }
    }

    @Test func commandsSurviveSnapshotsAndReplayIdentically() throws {
        let plain = try Self.runReference([:])
        let entry = try #require(plain.orders.first { $0.side == .buy && $0.submittedBarIndex > 1_000 })
        let actions: [Int: [OperatorAction]] = [
            entry.submittedBarIndex + 2: [.pauseEntries(reason: "a")],
            entry.submittedBarIndex + 900: [.flatten(symbol: 0, reason: "b"), .halt(reason: "c")],
            entry.submittedBarIndex + 4_000: [.resume],
        ]
        let once = try Self.runReference(actions)
        let again = try Self.runReference(actions)
        let restored = try Self.runReference(actions, snapshotAt: [entry.submittedBarIndex + 3, entry.submittedBarIndex + 1_000, 15_000])
        #expect(once.orders == again.orders && once.fills == again.fills && once.equity == again.equity)
        #expect(restored.orders == once.orders && restored.fills == once.fills && restored.equity == once.equity)
        #expect(once.orders != plain.orders)
    }

    @Test func theModelsCloseEveryPositionThroughTheirOwnExitsAndVetoEntriesWhileHalted() throws {
        let names = ["BTCUSDT", "ETHUSDT"]
        let series = try names.map { MarketSeries(instrument: .spot($0), candles: try SharedData.candles("\($0)-1m-20250101-20250204.csv", limit: 30_000)) }
        var settings = RunSettings()
        settings.models.risk.killSwitchLoss = 1_000_000
        var config = EngineConfiguration(instruments: series.map(\.instrument))
        settings.apply(to: &config)
        let strategy = StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1)
        var engine = TradingEngine(configuration: config, strategy: strategy)
        var haltedAt: Int?
        var resumeAt = Int.max
        for i in 0..<30_000 {
            if i == resumeAt { try engine.apply(.resume) }
            if haltedAt == nil, engine.ledger.openPositionCount > 0, engine.openOrderIDs.isEmpty {
                try engine.apply(.halt(reason: "drill"))
                haltedAt = i
                resumeAt = i + 5_000
            }
            for k in 0..<2 { try engine.handleCandle(symbol: k, candle: series[k].candles[i], barIndex: i) }
        }
        engine.finish()
        let halt = try #require(haltedAt, "the models must open a position for this test to mean anything")
        let haltTime = series[0].candles[halt].openTime
        let resumeTime = series[0].candles[resumeAt].openTime
        let operatorOrders = engine.orders.filter { $0.reason == "exit:operator_flatten" }
        #expect(!operatorOrders.isEmpty && operatorOrders.allSatisfy { $0.status == .filled })
        let trades = engine.strategy.trades.filter { $0.exitReason == .operatorFlatten }
        #expect(trades.count == operatorOrders.count, "each model's closed trade is booked with the operator's reason")
        // While halted: no entry order, and every entry signal vetoed by the operator's block.
        #expect(!engine.orders.contains { $0.reason.hasPrefix("entry:") && $0.submittedAt > haltTime && $0.submittedAt < resumeTime })
        let blocked = engine.strategy.log.records.filter { $0.signal.time > haltTime && $0.signal.time < resumeTime }
        #expect(!blocked.isEmpty && blocked.allSatisfy { $0.decision == .vetoed && $0.verdict.rule == .operatorBlock })
        #expect(!engine.orders.contains { $0.status == .rejected }, "the models never send what the gate would refuse")
        #expect(engine.strategy.operatorBlock == nil)
    }
}
