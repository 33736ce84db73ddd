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
    /// The orders and fills still held (absolute indices: order id − 1, fill number − 1);
    /// a run lets go of what it stored and published (`forgetPublishedHistory`), and
    /// its lists are read from the store.
    var orders: RetainedLog<Order> { get }
    var fills: RetainedLog<Fill> { get }
    /// Orders still working (sent, not yet filled, cancelled or refused).
    var openOrderIDs: [Int64] { get }
    var marks: [Price] { get }
    var equity: Money { get }
    var equityCurve: EquityCurve { get }
    var configuration: EngineConfiguration { get }
    var engineTime: Int64 { get }
    /// The strategy's records beyond its orders (signals, trades per model, breakers); nil when its orders are its record.
    var records: (any StrategyRecords)? { get }
    /// Who sent `order`: "operator", or the model inside the strategy.
    func model(of order: Order) -> String
    /// The run's signals from number `after` + 1 on, and how many there are in all
    /// (number = index + 1 = its id in the API). Only the unpublished ones are held.
    func signals(after: Int) -> (signals: [HostedSignal], count: Int)
    /// How many signals a model (or strategy) produced, stored so far.
    func signalCount(model: String) -> Int
    /// Each model's closed round trips, summed (stored so far).
    var tallies: [String: TradeTally] { get }
    /// Lets go of what the last commits stored, once it is published.
    func forgetPublishedHistory()
    /// A live run's connection to its venue (nil: the paper broker fills it, inside the kernel).
    var venueLink: (any VenueLink)? { get }
}

/// A signal as the history table stores it, plus what the API shows beside it.
struct HostedSignal {
    var stored: StoredSignalRecord
    var side: OrderSide
    var quantity: Quantity
    /// 0 when no order was sent.
    var orderID: Int64
}

/// `JournaledRun` is a `HostedRun` as it is: on the paper broker, or on a real
/// venue's account through its order link.
final class HostedReplay<S: Strategy & Codable, V: ExecutionVenue>: HostedRun {
    let replay: JournaledRun<S, V>
    let venueLink: (any VenueLink)?

    init(_ replay: JournaledRun<S, V>, link: (any VenueLink)? = nil) {
        self.replay = replay
        self.venueLink = link
        replay.forgetsStoredHistory = true
    }

    func model(of order: Order) -> String { replay.engine.strategy.model(of: order) }
    func signalCount(model: String) -> Int { replay.history.signalsPerModel[model] ?? 0 }
    var tallies: [String: TradeTally] { replay.history.tallies }
    func forgetPublishedHistory() { replay.forgetStoredHistory() }

    /// From the models' signal log, or — for a strategy without a resolver — its own
    /// orders (each order is its signal), numbered as the history feed stores them.
    func signals(after seen: Int) -> (signals: [HostedSignal], count: Int) {
        let count = replay.history.signalsStored
        guard count > seen else { return ([], count) }
        let engine = replay.engine
        let symbols = replay.symbols
        var out: [HostedSignal] = []
        if let m = engine.strategy.records {
            // The log holds what is not yet forgotten, which includes everything not yet published.
            let log = m.signalLog
            let first = log.endIndex - (count - seen)
            for r in log[max(first, log.startIndex)...] {
                out.append(HostedSignal(stored: HistoryFeed.signalRecord(r, symbols: symbols),
                                        side: r.signal.direction == .short ? .sell : .buy,
                                        quantity: RiskEngine.quantity(r.quantity), orderID: r.orderRejected ? 0 : r.orderID))
            }
        } else {
            let name = engine.strategy.name
            for order in engine.orders.reversed() {
                guard out.count < count - seen else { break }
                guard engine.strategy.model(of: order) == name else { continue }
                out.append(HostedSignal(stored: HistoryFeed.signalRecord(order, model: name, symbol: symbols[order.symbol]),
                                        side: order.side, quantity: order.quantity,
                                        orderID: order.status == .rejected ? 0 : order.id))
            }
            out.reverse()
        }
        return (out, count)
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
    var orders: RetainedLog<Order> { replay.engine.orders }
    var fills: RetainedLog<Fill> { replay.engine.fills }
    var openOrderIDs: [Int64] { Array(replay.engine.openOrderIDs) }
    var marks: [Price] { replay.engine.marks }
    var equity: Money { replay.engine.equity }
    var equityCurve: EquityCurve { replay.engine.equityCurve }
    var configuration: EngineConfiguration { replay.engine.configuration }
    var engineTime: Int64 { replay.engine.currentTime }
    var records: (any StrategyRecords)? { replay.engine.strategy.records }
}
