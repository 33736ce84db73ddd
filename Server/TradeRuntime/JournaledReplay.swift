import Foundation
import TradeCore
import TradeEngine
import TradeStore

/// A replay whose every step is durable: it survives `kill -9` anywhere and
/// resumes to exactly the result an uninterrupted run gives.
///
/// Each `advance` runs the next candles through the engine, then commits in one
/// transaction: a journal entry per candle and per order event (submitted,
/// rejected, filled), the history rows (orders, fills, round trips, and for the
/// models their signals with outcomes and breaker transitions), and — every
/// `snapshotEvery` candles — a snapshot of the whole engine. Nothing is shown to
/// anyone before that commit returns, so "acknowledged" always means "on disk".
/// (The paper broker is part of the deterministic core: its orders are outputs of
/// the candles, journaled for audit and checked on replay. A live exchange adapter
/// will journal an order before sending it — the same `StoreBatch`, earlier.)
///
/// Resume = the latest snapshot + the journal after it, replayed through the same
/// core; the regenerated orders must equal the journaled ones, or resuming stops
/// with the first difference (a nondeterminism bug, never silently papered over).
public final class JournaledReplay<S: Strategy & Codable> {
    public let store: TradeStore
    public let identity: RunIdentity
    public private(set) var engine: TradingEngine<S>
    public let snapshotEvery: Int
    /// Last journal sequence committed.
    public private(set) var sequence: Int64
    /// Candles replayed from the journal when this object resumed (0 for a new run).
    public private(set) var replayedOnResume = 0
    /// Whether the run started from a snapshot when it resumed.
    public private(set) var resumedFromSnapshot = false

    private let series: [MarketSeries]
    /// Next candle index per series.
    private var cursor: [Int]
    private var candlesSinceSnapshot = 0
    /// How many of `engine.orders` / `engine.fills` are already journaled.
    private var journaledOrders = 0
    private var journaledFills = 0
    /// Round trips, signals and breaker transitions not yet in the history tables.
    private var history: HistoryFeed

    static var snapshotFormat: Int { 1 }

    /// Checkpoint payload: the engine plus where the replay source stands.
    struct Checkpoint: Codable {
        var engine: EngineSnapshot<S>
        var cursor: [Int]
        var candlesSinceSnapshot: Int
    }

    /// Opens the run in `store`: resumes it if the journal holds one (which must
    /// be this run), starts it otherwise.
    public init(store: TradeStore, identity: RunIdentity, series: [MarketSeries], configuration: EngineConfiguration,
                baseTimeframe: Timeframe = .m1, strategy: S, snapshotEvery: Int = 50_000) throws {
        precondition(snapshotEvery > 0, "snapshotEvery must be positive")
        self.store = store
        self.identity = identity
        self.series = series
        self.snapshotEvery = snapshotEvery
        self.cursor = Array(repeating: 0, count: series.count)
        self.history = HistoryFeed(symbolCount: series.count)
        self.engine = TradingEngine(configuration: configuration, strategy: strategy, baseTimeframe: baseTimeframe,
                                    expectedSteps: series.map(\.candles.count).max() ?? 0)
        self.sequence = try store.journal.lastSequence()
        if sequence == 0 {
            var batch = StoreBatch()
            batch.journal = [JournalEntry(sequence: 1, time: series.compactMap { $0.candles.first?.openTime }.min() ?? 0,
                                          event: .operatorCommand(identity.command))]
            sequence = try store.commit(batch)
        } else {
            try resume(configuration: configuration, baseTimeframe: baseTimeframe)
        }
    }

    public var isFinished: Bool { zip(cursor, series).allSatisfy { $0 >= $1.candles.count } }

    /// Candles processed so far (from the data's start).
    public var candlesDone: Int { cursor.reduce(0, +) }
    public var candlesTotal: Int { series.reduce(0) { $0 + $1.candles.count } }

    /// Replays up to `maxCandles` more candles and commits them. Returns how many.
    @discardableResult
    public func advance(maxCandles: Int) throws -> Int {
        var batch = StoreBatch()
        var done = 0
        var touchedOrders = Set<Int64>()
        while done < maxCandles, let k = nextSeries() {
            let i = cursor[k]
            let candle = series[k].candles[i]
            let barIndex = series[k].firstBarIndex + i
            sequence += 1
            batch.journal.append(JournalEntry(sequence: sequence, time: candle.openTime,
                                              event: .candleAccepted(symbol: k, candle: candle, barIndex: barIndex)))
            try engine.handleCandle(symbol: k, candle: candle, barIndex: barIndex)
            cursor[k] = i + 1
            done += 1
            candlesSinceSnapshot += 1
            journalNewOrderEvents(into: &batch, time: candle.openTime, touched: &touchedOrders)
        }
        if isFinished { engine.finish() }
        guard done > 0 else { return 0 }
        for id in touchedOrders.sorted() { batch.orders.append(orderRecord(engine.orders[Int(id - 1)])) }
        history.collect(engine, into: &batch)
        if candlesSinceSnapshot >= snapshotEvery || isFinished {
            candlesSinceSnapshot = 0
            batch.snapshot = try makeSnapshot()
        }
        let committed = try store.commit(batch)
        precondition(committed == sequence, "the store committed up to \(committed), the replay wrote \(sequence)")
        return done
    }

    /// Runs to the end of the data in batches of `batchSize` candles.
    public func runToEnd(batchSize: Int = 1_000, afterEachBatch: ((JournaledReplay) -> Void)? = nil) throws {
        while !isFinished {
            try advance(maxCandles: batchSize)
            afterEachBatch?(self)
        }
    }

    // MARK: - Journal contents

    private func nextSeries() -> Int? {
        var best: Int?
        var bestTime = Int64.max
        for k in series.indices where cursor[k] < series[k].candles.count {
            let t = series[k].candles[cursor[k]].openTime
            if t < bestTime { bestTime = t; best = k }
        }
        return best
    }

    /// Orders the engine created and fills it booked since the last call.
    private func journalNewOrderEvents(into batch: inout StoreBatch, time: Int64, touched: inout Set<Int64>) {
        while journaledOrders < engine.orders.count {
            let order = engine.orders[journaledOrders]
            sequence += 1
            let event: JournalEvent = order.status == .rejected
                ? .orderRejected(OrderClosure(orderID: order.id, clientOrderID: order.clientOrderID, reason: order.statusMessage))
                : .orderSubmitted(OrderSubmission(order))
            batch.journal.append(JournalEntry(sequence: sequence, time: time, event: event))
            touched.insert(order.id)
            journaledOrders += 1
        }
        while journaledFills < engine.fills.count {
            let fill = engine.fills[journaledFills]
            let order = engine.orders[Int(fill.orderID - 1)]
            sequence += 1
            batch.journal.append(JournalEntry(sequence: sequence, time: fill.time,
                                              event: .orderFilled(clientOrderID: order.clientOrderID, fill: fill)))
            batch.fills.append(FillRecord(time: fill.time, model: engine.strategy.name,
                                          symbol: engine.configuration.instruments[fill.symbol].symbol,
                                          clientOrderID: order.clientOrderID, side: fill.side, price: fill.price,
                                          quantity: fill.quantity, fee: fill.fee, liquidity: fill.liquidity))
            touched.insert(order.id)
            journaledFills += 1
        }
    }

    private func orderRecord(_ o: Order) -> OrderRecord {
        OrderRecord(clientOrderID: o.clientOrderID, time: o.submittedAt, model: engine.strategy.name,
                    symbol: engine.configuration.instruments[o.symbol].symbol, side: o.side, type: o.type,
                    quantity: o.quantity, filledQuantity: o.filledQuantity, status: o.status, reason: o.reason,
                    statusMessage: o.statusMessage, updatedAt: engine.currentTime)
    }

    private func makeSnapshot() throws -> Snapshot {
        let checkpoint = Checkpoint(engine: engine.snapshot(), cursor: cursor, candlesSinceSnapshot: 0)
        return Snapshot(sequence: sequence, takenAt: engine.currentTime, format: Self.snapshotFormat,
                        payload: [UInt8](try SnapshotCodec.encode(checkpoint)))
    }

    // MARK: - Resume

    private func resume(configuration: EngineConfiguration, baseTimeframe: Timeframe) throws {
        // 1. The journal must hold this run.
        let first = try store.journal.read(after: 0, limit: 1).first
        guard case .operatorCommand(let command)? = first?.event, let recorded = RunIdentity(command) else {
            throw RuntimeError("the database's journal does not start with a run; it was not written by a replay")
        }
        guard recorded == identity else {
            throw RuntimeError("the database holds another run (\(recorded.summary)); this one is (\(identity.summary)). Use another --db, or the same arguments to resume it")
        }
        // 2. The latest snapshot, if any.
        var after: Int64 = 1
        if let snapshot = try store.snapshots.latest() {
            guard snapshot.format == Self.snapshotFormat else {
                throw RuntimeError("the latest snapshot has format \(snapshot.format); this build reads format \(Self.snapshotFormat)")
            }
            let checkpoint = try SnapshotCodec.decode(Checkpoint.self, from: Data(snapshot.payload))
            engine = try TradingEngine(configuration: configuration, baseTimeframe: baseTimeframe, restoring: checkpoint.engine)
            cursor = checkpoint.cursor
            candlesSinceSnapshot = checkpoint.candlesSinceSnapshot
            after = snapshot.sequence
            resumedFromSnapshot = true
        }
        journaledOrders = engine.orders.count
        journaledFills = engine.fills.count
        history.skipStored(engine)
        // 3. The journal after it, through the same core; outputs must match what was journaled.
        var expectedOrders: [String] = []
        var expectedFills = 0
        var failure: Error?
        try store.journal.forEach(after: after) { entry in
            guard failure == nil else { return }
            do {
                switch entry.event {
                case .candleAccepted(let symbol, let candle, let barIndex):
                    guard symbol < series.count, barIndex - series[symbol].firstBarIndex == cursor[symbol],
                          cursor[symbol] < series[symbol].candles.count,
                          series[symbol].candles[cursor[symbol]] == candle else {
                        throw RuntimeError("journal entry \(entry.sequence) holds a candle the data does not have at that point (symbol \(symbol), bar \(barIndex)); the data files changed since the run started")
                    }
                    try engine.handleCandle(symbol: symbol, candle: candle, barIndex: barIndex)
                    cursor[symbol] += 1
                    candlesSinceSnapshot += 1
                    replayedOnResume += 1
                case .orderSubmitted(let submission): expectedOrders.append(submission.clientOrderID)
                case .orderRejected(let closure): expectedOrders.append(closure.clientOrderID)
                case .orderFilled: expectedFills += 1
                default: break
                }
            } catch { failure = error }
        }
        if let failure { throw failure }
        let regenerated = engine.orders[journaledOrders...].map(\.clientOrderID)
        guard regenerated == expectedOrders, engine.fills.count - journaledFills == expectedFills else {
            throw RuntimeError("replaying the journal produced \(regenerated.count) orders and \(engine.fills.count - journaledFills) fills where it holds \(expectedOrders.count) and \(expectedFills): the engine is not deterministic for this data; refusing to continue")
        }
        journaledOrders = engine.orders.count
        journaledFills = engine.fills.count
        history.skipStored(engine)
        sequence = try store.journal.lastSequence()
        if isFinished { engine.finish() }
    }
}

public struct RuntimeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
