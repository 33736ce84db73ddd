import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore

/// One journaled run behind a non-generic face, so the host can hold any
/// model's run. Everything that changes state goes through `JournaledReplay`,
/// so it is on disk before the host answers or publishes anything.
protocol HostedRun: AnyObject {
    var runID: Int64 { get }
    var modelName: String { get }
    var state: RunState { get }
    /// Why the run is in its state, as stored with it.
    var message: String { get }
    var parameterVersion: Int64 { get }
    var symbols: [String] { get }
    var candlesDone: Int { get }
    var candlesTotal: Int { get }
    var nextCandleTime: Int64? { get }

    @discardableResult
    func advance(maxCandles: Int, notAfter: Int64) throws -> Int
    func apply(_ action: OperatorAction) throws
    func adopt(version: Int64, values: [String: Double]) throws
    func stop(message: String) throws
    /// The journal commits so far and how long they took (metrics only).
    var commitTiming: CommitTiming { get }
    /// For each candle of the last `advance`: whether handling it sent an order.
    var lastBatchOrdered: [Bool] { get }

    var ledger: Ledger { get }
    var orders: [Order] { get }
    var fills: [Fill] { get }
    var marks: [Price] { get }
    var equity: Money { get }
    var equityCurve: EquityCurve { get }
    var configuration: EngineConfiguration { get }
    var engineTime: Int64 { get }
    /// The strategy's records beyond its orders (signals, trades per model, breakers); nil when its orders are its record.
    var records: (any StrategyRecords)? { get }
    /// Who sent `order`: "operator", or the model inside the strategy.
    func model(of order: Order) -> String
    /// Every signal of the run so far (index + 1 = its id in the API).
    var signals: [HostedSignal] { get }
    /// How many of them a model (or strategy) produced.
    func signalCount(model: String) -> Int
}

/// A signal as the history table stores it, plus what the API shows beside it.
struct HostedSignal {
    var stored: StoredSignalRecord
    var side: OrderSide
    var quantity: Quantity
    /// 0 when no order was sent.
    var orderID: Int64
}

/// `JournaledReplay` is a `HostedRun` as it is.
final class HostedReplay<S: Strategy & Codable>: HostedRun {
    let replay: JournaledReplay<S>
    private var signalCache: [HostedSignal] = []
    private var signalsPerModel: [String: Int] = [:]
    /// How much of the engine the cache has seen (log records, or orders).
    private var seen = 0

    init(_ replay: JournaledReplay<S>) { self.replay = replay }

    var signals: [HostedSignal] { refresh(); return signalCache }
    func signalCount(model: String) -> Int { refresh(); return signalsPerModel[model] ?? 0 }
    func model(of order: Order) -> String { replay.engine.strategy.model(of: order) }

    /// Brings the cache up to the engine: the models' signal log, or — for a
    /// strategy without a resolver — its own orders (each order is its signal).
    private func refresh() {
        let engine = replay.engine
        let symbols = replay.symbols
        let before = signalCache.count
        if let m = engine.strategy.records {
            let log = m.signalLog
            guard log.count > seen else { return }
            for r in log[seen...] {
                signalCache.append(HostedSignal(stored: HistoryFeed.signalRecord(r, symbols: symbols),
                                                side: r.signal.direction == .short ? .sell : .buy,
                                                quantity: RiskEngine.quantity(r.quantity), orderID: r.orderRejected ? 0 : r.orderID))
            }
            seen = log.count
        } else {
            guard engine.orders.count > seen else { return }
            let name = engine.strategy.name
            for order in engine.orders[seen...] where engine.strategy.model(of: order) == name {
                signalCache.append(HostedSignal(stored: HistoryFeed.signalRecord(order, model: name, symbol: symbols[order.symbol]),
                                                side: order.side, quantity: order.quantity,
                                                orderID: order.status == .rejected ? 0 : order.id))
            }
            seen = engine.orders.count
        }
        for signal in signalCache[before...] { signalsPerModel[signal.stored.model, default: 0] += 1 }
    }

    var runID: Int64 { replay.runID }
    var modelName: String { replay.engine.strategy.name }
    var state: RunState { replay.state }
    var message: String { replay.message }
    var parameterVersion: Int64 { replay.parameterVersion }
    var symbols: [String] { replay.symbols }
    var candlesDone: Int { replay.candlesDone }
    var candlesTotal: Int { replay.candlesTotal }
    var nextCandleTime: Int64? { replay.nextCandleTime }

    func advance(maxCandles: Int, notAfter: Int64) throws -> Int { try replay.advance(maxCandles: maxCandles, notAfter: notAfter) }
    func apply(_ action: OperatorAction) throws { try replay.apply(action) }
    func adopt(version: Int64, values: [String: Double]) throws { try replay.adopt(version: version, values: values) }
    func stop(message: String) throws { try replay.stop(message: message) }
    var commitTiming: CommitTiming { replay.commitTiming }
    var lastBatchOrdered: [Bool] { replay.lastBatchOrdered }

    var ledger: Ledger { replay.engine.ledger }
    var orders: [Order] { replay.engine.orders }
    var fills: [Fill] { replay.engine.fills }
    var marks: [Price] { replay.engine.marks }
    var equity: Money { replay.engine.equity }
    var equityCurve: EquityCurve { replay.engine.equityCurve }
    var configuration: EngineConfiguration { replay.engine.configuration }
    var engineTime: Int64 { replay.engine.currentTime }
    var records: (any StrategyRecords)? { replay.engine.strategy.records }
}
