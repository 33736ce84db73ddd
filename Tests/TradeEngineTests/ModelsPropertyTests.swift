import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

enum ModelsRun {
    static let january = ["BTCUSDT-1m-20250101-20250204.csv", "ETHUSDT-1m-20250101-20250204.csv", "SOLUSDT-1m-20250101-20250204.csv"]
    static let summer = ["BTCUSDT-1m-20250520-20250818.csv.gz", "ETHUSDT-1m-20250520-20250818.csv.gz"]

    static func series(_ names: [String], drop: ((Int, Candle) -> Bool)? = nil) throws -> [MarketSeries] {
        try names.enumerated().map { k, name in
            var candles = try SharedData.candles(name)
            if let drop { candles.removeAll { drop(k, $0) } }
            return MarketSeries(instrument: .spot(String(name.prefix { $0 != "-" })), candles: candles)
        }
    }

    static func run(_ series: [MarketSeries], parameters: ModelsParameters = ModelsParameters(),
                    configure: (inout EngineConfiguration) -> Void = { _ in },
                    observer: ((TradingEngine<ModelsStrategy, PaperBroker>) -> Void)? = nil) throws -> (BacktestResult, ModelsStrategy) {
        var config = EngineConfiguration(instruments: series.map(\.instrument))
        configure(&config)
        var settings = RunSettings()
        settings.models = parameters
        let strategy = StrategyCatalog.modelsStrategy(configuration: config, settings: settings, baseTimeframe: .m1)
        let (result, final) = try BacktestRunner.runKeepingStrategy(series: series, configuration: config, strategy: strategy,
                                                                    stepObserver: observer)
        return (result, final)
    }

    static func audit(_ series: [MarketSeries], parameters: ModelsParameters = ModelsParameters(),
                      configure: (inout EngineConfiguration) -> Void = { _ in }) throws -> (ModelsAuditor, BacktestResult, ModelsStrategy) {
        var auditor = ModelsAuditor(parameters: parameters, initialEquity: 100_000, symbolCount: series.count)
        let (result, strategy) = try run(series, parameters: parameters, configure: configure) { auditor.observe($0) }
        return (auditor, result, strategy)
    }
}

/// Properties over whole real files: limits never exceeded, no opposite
/// positions, the ledger identity at every bar, determinism.
@Suite(.serialized) struct ModelsPropertyTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let files: [String]
        let killSwitchLoss: Double?
        var testDescription: String { "\(files.count) symbols from \(files[0]), kill switch \(killSwitchLoss.map { "\($0)" } ?? "default")" }
    }

    static let cases = [Case(files: ModelsRun.january, killSwitchLoss: nil), Case(files: ModelsRun.summer, killSwitchLoss: nil),
                        Case(files: ModelsRun.january, killSwitchLoss: 1e9), Case(files: ModelsRun.summer, killSwitchLoss: 1e9)]

    @Test(arguments: cases)
    func noLimitIsEverExceededAndNoModelsAreEverOpposite(_ c: Case) throws {
        let data = try ModelsRun.series(c.files)
        var p = ModelsParameters()
        if let k = c.killSwitchLoss { p.risk.killSwitchLoss = k }
        let (auditor, result, strategy) = try ModelsRun.audit(data, parameters: p)
        #expect(auditor.issues.isEmpty, "\(auditor.issues)")
        #expect(auditor.steps == data[0].candles.count)
        #expect(auditor.entriesChecked >= 10 && auditor.exitsSeen >= 10)
        #expect(result.orders.allSatisfy { $0.status != .rejected }, "the engine gate refused a models order")
        // Every entry order is an accepted or resized signal, and every such signal sent one.
        let sent = strategy.log.records.filter { $0.decision != .vetoed }
        #expect(sent.count == result.orders.filter { $0.reason.hasPrefix("entry:") }.count)
        #expect(sent.allSatisfy { $0.orderID > 0 && result.orders[Int($0.orderID) - 1].reason == "entry:\($0.signal.family.name)" })
    }

    /// The strategy predicts the engine's order ids (it is the only
    /// submitter, in order, with unique client ids): checked for every order.
    @Test func orderIDsAndClientIDsMapEveryFillToItsModel() throws {
        let (result, strategy) = try ModelsRun.run(try ModelsRun.series(ModelsRun.january))
        #expect(strategy.tags.count == result.orders.count && result.orders.count > 50)
        for (i, o) in result.orders.enumerated() {
            let tag = strategy.tags[i]
            #expect(o.id == Int64(i + 1))
            #expect(o.clientOrderID == "\(tag.model.name)-\(o.id)" && !o.clientOrderID.hasPrefix("te-"))
            #expect(o.symbol == tag.symbol)
            #expect(o.reason == (tag.isEntry ? "entry:\(tag.family.name)" : "exit:\(tag.exitReason!.name)"))
        }
        for f in result.fills { #expect(ModelsAuditor.model(of: result.orders[Int(f.orderID) - 1]) == strategy.tags[Int(f.orderID) - 1].model) }
        // The models' closed trades add up to the ledger's realized PnL minus fees (all flat at the end, or the open rest).
        let net = strategy.trades.reduce(Money.zero) { $0 + $1.netPnL }
        let openFees = (0..<3).flatMap { s in ModelID.allCases.map { strategy.risk.book[$0, s].fees } }.reduce(Money.zero, +)
        let openRealized = (0..<3).flatMap { s in ModelID.allCases.map { strategy.risk.book[$0, s].realized } }.reduce(Money.zero, +)
        #expect(net + openRealized - openFees == result.ledger.realizedPnL - result.ledger.feesPaid)
    }

    @Test func runsAreDeterministic() throws {
        let data = try ModelsRun.series(ModelsRun.january)
        func once() throws -> [Data] {
            let (r, s) = try ModelsRun.run(data)
            let symbols = r.instruments.map(\.symbol)
            return [Data(TradeListFormat.csv(r.fills, extraHeader: ModelsFormat.tradeColumns) { ModelsFormat.tradeColumns($0, strategy: s, symbols: symbols) }.utf8),
                    Data(ModelsFormat.signals(s.log, symbols: symbols).utf8),
                    Data(EquityCurveFormat.csv(r.equityCurve).utf8)]
        }
        let a = try once(), b = try once()
        #expect(a == b)
        #expect(a[1].count > 10_000)
    }
}
