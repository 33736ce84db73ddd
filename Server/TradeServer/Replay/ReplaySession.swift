import TradeCore
import TradeEngine

/// One run's engine behind a non-generic face, so the host can hold any model's
/// engine. The engine stays generic over its strategy (static dispatch inside
/// the hot loop); only the host's per-candle call is dynamic.
protocol ReplaySession: AnyObject {
    var modelName: String { get }
    var gate: EntryGate { get }
    func handle(symbol: Int, candle: Candle, barIndex: Int) throws(EngineError)
    func finish()
    var ledger: Ledger { get }
    var orders: [Order] { get }
    var orderCount: Int { get }
    var fills: [Fill] { get }
    var fillCount: Int { get }
    var marks: [Price] { get }
    var equity: Money { get }
    var equityCurve: EquityCurve { get }
    var configuration: EngineConfiguration { get }
}

final class EngineSession<S: Strategy>: ReplaySession {
    fileprivate var engine: TradingEngine<GatedStrategy<S>>
    let gate: EntryGate
    let modelName: String
    /// The per-candle call, made in `init`: the initializer is specialized for
    /// the concrete model where a `ModelDefinition` creates the session, so
    /// this closure runs the engine specialized too. Calling the engine from a
    /// method of this generic class instead would run it unspecialized (every
    /// strategy call a metadata lookup), measured at 3× slower.
    private let step: (EngineSession<S>, Int, Candle, Int) throws(EngineError) -> Void

    init(configuration: EngineConfiguration, strategy: S, baseTimeframe: Timeframe, expectedSteps: Int) {
        gate = EntryGate()
        modelName = strategy.name
        engine = TradingEngine(configuration: configuration, strategy: GatedStrategy(inner: strategy, gate: gate),
                               baseTimeframe: baseTimeframe, expectedSteps: expectedSteps)
        step = { session, symbol, candle, barIndex throws(EngineError) in
            try session.engine.handleCandle(symbol: symbol, candle: candle, barIndex: barIndex)
        }
    }

    func handle(symbol: Int, candle: Candle, barIndex: Int) throws(EngineError) {
        try step(self, symbol, candle, barIndex)
    }

    func finish() { engine.finish() }
    var ledger: Ledger { engine.ledger }
    var orders: [Order] { engine.orders }
    var orderCount: Int { engine.orders.count }
    var fills: [Fill] { engine.fills }
    var fillCount: Int { engine.fills.count }
    var marks: [Price] { engine.marks }
    var equity: Money { engine.equity }
    var equityCurve: EquityCurve { engine.equityCurve }
    var configuration: EngineConfiguration { engine.configuration }
}
