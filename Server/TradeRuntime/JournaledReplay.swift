import Foundation
import TradeCore
import TradeEngine
import TradeStore

/// Which run an opening means.
public enum RunOpening: Sendable {
    /// Resume the latest run if it is this one (same identity) and was not
    /// stopped; otherwise start a new run — unless the latest is still active
    /// with another identity, which is refused. (The command line's `replay`.)
    case resumeOrStart
    /// Always start a new run; refused while the latest run is still active.
    case startNew
    /// Resume the latest run, whatever its state (the server after a restart).
    case resumeLatest
}

/// A replay whose every step is durable: it survives `kill -9` anywhere and
/// resumes to exactly the result an uninterrupted run gives.
///
/// One database holds a sequence of runs (the store's `runs` table); this
/// object drives one of them. Each `advance` runs the next candles through the
/// engine, then commits in one transaction: a journal entry per candle and per
/// order event (submitted, rejected, filled), the history rows (orders, fills,
/// round trips, signals with outcomes, breaker transitions) tagged with the run,
/// and — every `snapshotEvery` candles — a snapshot of the whole engine.
/// Operator actions (`apply`) and parameter versions (`adopt`) are journaled at
/// their place between two candles, with the orders they caused, in a commit of
/// their own. Nothing is shown to anyone before that commit returns, so
/// "acknowledged" always means "on disk". (The paper broker is part of the
/// deterministic core: its orders are outputs of the journaled inputs, journaled
/// for audit and checked on replay. A live exchange adapter will journal an
/// order before sending it — the same `StoreBatch`, earlier.)
///
/// Resume = the latest snapshot of the run + the journal after it, replayed
/// through the same core; the regenerated orders must equal the journaled ones,
/// or resuming stops with the first difference (a nondeterminism bug, never
/// silently papered over).
public final class JournaledRun<S: Strategy & Codable, V: ExecutionVenue> {
    public let store: TradeStore
    public let identity: RunIdentity
    /// The run's id in the store (1, 2, …).
    public internal(set) var runID: Int64 = 0
    public internal(set) var engine: TradingEngine<S, V>
    /// The venue a new engine of this run gets (the paper broker, or a remote venue's stand-in).
    let makeVenue: @Sendable (EngineConfiguration) -> V
    public internal(set) var state: RunState = .running
    /// Why the run is in its state ("paused: news", "the data ended", …), as the `runs` row keeps it.
    public internal(set) var message = ""
    public let snapshotEvery: Int
    /// How long the commits took (wall clock; for metrics, never for decisions).
    public private(set) var commitTiming = CommitTiming()
    /// For each candle of the last `advance`, in order: whether handling it sent an order
    /// (the host's candle-to-journal latency is split by it).
    public private(set) var lastBatchOrdered: [Bool] = []

    /// Last journal sequence committed.
    public internal(set) var sequence: Int64
    /// Candles replayed from the journal when this object resumed (0 for a new run).
    public internal(set) var replayedOnResume = 0
    /// Whether the run started from a snapshot when it resumed.
    public internal(set) var resumedFromSnapshot = false
    /// The parameter version in force (0 when the strategy takes none).
    public internal(set) var parameterVersion: Int64
    /// Set when a commit failed: memory is ahead of the disk, so this object
    /// refuses further work (a restart resumes from what was committed).
    public internal(set) var brokenBy: String?

    /// Where the candles come from (recorded series, or a live feed).
    public let source: CandleSource
    let adoption: ParameterAdoption<S>?
    /// Next candle index per series.
    var cursor: [Int]
    var candlesSinceSnapshot = 0
    /// How many of `engine.orders` / `engine.fills` are already journaled.
    var journaledOrders = 0
    var journaledFills = 0
    /// Round trips, signals and breaker transitions not yet in the history tables,
    /// and the run's running totals.
    public internal(set) var history: HistoryFeed
    /// Whether the engine lets go of history once it is stored (`forgetStoredHistory`):
    /// a hosted run's lists are read from the store, so its memory stays flat over
    /// months; a replay whose caller builds a report from the engine keeps it all.
    public var forgetsStoredHistory = false

    /// 3: the history feed is in the checkpoint, and the engine's logs say where they start.
    static var snapshotFormat: Int { 3 }

    /// Checkpoint payload: the engine plus where the replay source stands, and the history feed.
    struct Checkpoint: Codable {
        var engine: EngineSnapshot<S, V>
        var cursor: [Int]
        var candlesSinceSnapshot: Int
        var parameterVersion: Int64
        var history: HistoryFeed
    }

    /// Equity steps a forgetting run keeps: the risk view's 10,000-bar VaR window and
    /// the day's opening equity (two days back) must still be there.
    var equityStepsKept: Int { max(10_001, Int(2 * PerformanceMetrics.dayMs / engine.equityCurve.barMilliseconds) + 1) }

    /// Lets the engine go of what is journaled and stored (a hosted run calls this after
    /// publishing what its last commit stored). Nothing happens unless the run forgets,
    /// or while something is not yet journaled.
    public func forgetStoredHistory() {
        guard forgetsStoredHistory, journaledOrders == engine.orders.endIndex, journaledFills == engine.fills.endIndex,
              history.isCaughtUp(with: engine) else { return }
        engine.forgetStoredHistory(keepingEquitySteps: equityStepsKept)
    }

    /// Opens a run over any candle source, its orders going to the venue `venue` makes.
    public init(store: TradeStore, identity: RunIdentity, source: CandleSource, configuration: EngineConfiguration,
                baseTimeframe: Timeframe = .m1, strategy: S, venue: @escaping @Sendable (EngineConfiguration) -> V,
                parameterVersion: Int64 = 0, adoption: ParameterAdoption<S>? = nil, snapshotEvery: Int = 50_000,
                opening: RunOpening = .resumeOrStart, now: Int64 = 0) throws {
        self.makeVenue = venue
        precondition(snapshotEvery > 0, "snapshotEvery must be positive")
        let symbolCount = source.instruments.count
        self.store = store
        self.identity = identity
        self.source = source
        self.snapshotEvery = snapshotEvery
        self.adoption = adoption
        self.parameterVersion = parameterVersion
        self.cursor = Array(repeating: 0, count: symbolCount)
        self.history = HistoryFeed(lots: configuration.instruments.map(\.lotSize), startEquity: configuration.initialCash.doubleValue)
        self.engine = TradingEngine(configuration: configuration, strategy: strategy, venue: venue(configuration), baseTimeframe: baseTimeframe)
        self.sequence = try store.journal.lastSequence()

        let latest = try store.runs.latest()
        if latest == nil && sequence > 0 {
            throw RuntimeError("the database's journal holds \(sequence) entries but no run: it was not written by this build's replay; refusing to start over it")
        }
        if let latest, try resumes(latest, opening: opening) {
            runID = latest.id
            try resume(latest, configuration: configuration, baseTimeframe: baseTimeframe)
        } else {
            runID = (latest?.id ?? 0) + 1
            let tagged = Self.tagged(configuration, run: runID)
            engine = TradingEngine(configuration: tagged, strategy: Self.tagged(strategy, run: runID), venue: venue(tagged),
                                   baseTimeframe: baseTimeframe, expectedSteps: source.expectedSteps)
            var batch = StoreBatch()
            sequence += 1
            var start = identity.command
            start.arguments["run"] = String(runID)
            batch.journal = [JournalEntry(sequence: sequence, time: source.firstOpenTime ?? 0, event: .operatorCommand(start))]
            batch.startRun = RunRecord(id: runID, startSequence: sequence, startedAt: now, identity: identity.json,
                                       state: RunState.running.rawValue, message: "", endedAt: nil)
            try commit(batch)
        }
    }

    /// Whether opening `latest` resumes it (true) or starts a new run (false).
    private func resumes(_ latest: RunRecord, opening: RunOpening) throws -> Bool {
        let latestState = RunState(rawValue: latest.state) ?? .failed
        let same = (try? RunIdentity(json: latest.identity)) == identity
        switch opening {
        case .resumeLatest:
            guard same else {
                throw RuntimeError("the latest run in the database is another one (\((try? RunIdentity(json: latest.identity))?.summary ?? latest.identity))")
            }
            return true
        case .startNew:
            if latestState.isActive {
                throw RuntimeError("run \(latest.id) is still \(latestState.rawValue); stop it before starting another")
            }
            return false
        case .resumeOrStart:
            if same && latestState != .stopped { return true }
            if latestState.isActive {
                throw RuntimeError("the database holds another run in progress (run \(latest.id): \((try? RunIdentity(json: latest.identity))?.summary ?? latest.identity)); this one is (\(identity.summary)). Use another --db, or the same arguments to resume it")
            }
            return false
        }
    }

    /// Runs get their own client order ids ("r2-17", "aggressive-r2-5"): a
    /// venue must never see an id twice, and one database holds many runs.
    static func tagged(_ configuration: EngineConfiguration, run: Int64) -> EngineConfiguration {
        var c = configuration
        c.clientOrderIDPrefix = "r\(run)"
        return c
    }

    static func tagged(_ strategy: S, run: Int64) -> S {
        guard var taggable = strategy as? any OrderIDTagging else { return strategy }
        taggable.clientOrderIDTag = "r\(run)"
        return taggable as! S
    }

    public var isFinished: Bool { cursor.indices.allSatisfy { source.hasEnded(symbol: $0, at: cursor[$0]) } }

    /// Candles processed so far (from the data's start).
    public var candlesDone: Int { cursor.reduce(0, +) }
    /// Candles in the run's data; for a live feed, those processed so far.
    public var candlesTotal: Int { source.totalCount ?? candlesDone }
    public var symbols: [String] { source.instruments.map(\.symbol) }

    /// Open time of the next candle ready to run, nil when none is (the data's end, or a feed that has none yet).
    public var nextCandleTime: Int64? { nextSeries()?.candle.openTime }

    /// Replays up to `maxCandles` more candles (none after `notAfter`, when
    /// given) and commits them. Returns how many.
    @discardableResult
    public func advance(maxCandles: Int, notAfter: Int64 = .max) throws -> Int {
        try checkUsable()
        guard state.isActive else { throw RuntimeError("run \(runID) is \(state.rawValue); it takes no more candles") }
        var batch = StoreBatch()
        var done = 0
        var touchedOrders = Set<Int64>()
        lastBatchOrdered.removeAll(keepingCapacity: true)
        while done < maxCandles, let (k, candle) = nextSeries() {
            let i = cursor[k]
            if candle.openTime > notAfter { break }
            let barIndex = source.firstBarIndex(symbol: k) + i
            sequence += 1
            batch.journal.append(JournalEntry(sequence: sequence, time: candle.openTime,
                                              event: .candleAccepted(symbol: k, candle: candle, barIndex: barIndex)))
            do {
                try engine.handleCandle(symbol: k, candle: candle, barIndex: barIndex)
            } catch {
                sequence -= 1
                batch.journal.removeLast()
                try fail("engine error at \(symbols[k]) \(candle.openTime): \(error.description)", batch: batch, touched: touchedOrders)
                throw RuntimeError("the engine refused a candle: \(error.description)")
            }
            cursor[k] = i + 1
            source.consumed(symbol: k, below: i + 1)
            done += 1
            candlesSinceSnapshot += 1
            lastBatchOrdered.append(journaledOrders < engine.orders.endIndex)
            journalNewOrderEvents(into: &batch, time: candle.openTime, touched: &touchedOrders)
        }
        if isFinished {
            engine.finish()
            state = .finished
            message = "the data ended"
            batch.runUpdate = RunUpdate(id: runID, state: RunState.finished.rawValue, message: message, endedAt: engine.currentTime)
        }
        guard done > 0 || batch.runUpdate != nil else { return 0 }
        finishBatch(&batch, touched: touchedOrders)
        if candlesSinceSnapshot >= snapshotEvery || isFinished {
            candlesSinceSnapshot = 0
            batch.snapshot = try makeSnapshot()
        }
        try commit(batch)
        return done
    }

    /// Runs to the end of the data in batches of `batchSize` candles.
    public func runToEnd(batchSize: Int = 1_000, afterEachBatch: ((JournaledRun) -> Void)? = nil) throws {
        while !isFinished && state.isActive {
            try advance(maxCandles: batchSize)
            afterEachBatch?(self)
        }
        if isFinished && state.isActive { try advance(maxCandles: 0) }
    }

    // MARK: - Journal contents

    /// The next candle in (open time, symbol) order among those the source has ready.
    func nextSeries() -> (symbol: Int, candle: Candle)? {
        var best: (symbol: Int, candle: Candle)?
        for k in cursor.indices {
            guard let c = source.candle(symbol: k, index: cursor[k]) else { continue }
            if best == nil || c.openTime < best!.candle.openTime { best = (k, c) }
        }
        return best
    }

    /// Orders the engine created and fills it booked since the last call.
    func journalNewOrderEvents(into batch: inout StoreBatch, time: Int64, touched: inout Set<Int64>) {
        while journaledOrders < engine.orders.endIndex {
            let order = engine.orders[journaledOrders]
            sequence += 1
            let event: JournalEvent = order.status == .rejected
                ? .orderRejected(OrderClosure(orderID: order.id, clientOrderID: order.clientOrderID, reason: order.statusMessage))
                : .orderSubmitted(OrderSubmission(order))
            batch.journal.append(JournalEntry(sequence: sequence, time: time, event: event))
            touched.insert(order.id)
            journaledOrders += 1
        }
        while journaledFills < engine.fills.endIndex {
            let fill = engine.fills[journaledFills]
            let order = engine.orders[Int(fill.orderID - 1)]
            sequence += 1
            batch.journal.append(JournalEntry(sequence: sequence, time: fill.time,
                                              event: .orderFilled(clientOrderID: order.clientOrderID, fill: fill)))
            batch.fills.append(FillRecord(time: fill.time, model: engine.strategy.model(of: order),
                                          symbol: engine.configuration.instruments[fill.symbol].symbol,
                                          clientOrderID: order.clientOrderID, side: fill.side, price: fill.price,
                                          quantity: fill.quantity, fee: fill.fee, liquidity: fill.liquidity,
                                          orderID: order.id, reason: order.reason))
            batch.fills[batch.fills.count - 1].number = Int64(journaledFills + 1)
            touched.insert(order.id)
            journaledFills += 1
        }
    }

    /// Order rows and history for what the batch's events produced.
    func finishBatch(_ batch: inout StoreBatch, touched: Set<Int64>) {
        for id in touched.sorted() { batch.orders.append(orderRecord(engine.orders[Int(id - 1)])) }
        history.collect(engine, into: &batch)
    }

    private func orderRecord(_ o: Order) -> OrderRecord {
        OrderRecord(clientOrderID: o.clientOrderID, time: o.submittedAt, model: engine.strategy.model(of: o),
                    symbol: engine.configuration.instruments[o.symbol].symbol, side: o.side, type: o.type,
                    quantity: o.quantity, filledQuantity: o.filledQuantity, status: o.status, reason: o.reason,
                    statusMessage: o.statusMessage, updatedAt: engine.currentTime, engineID: o.id)
    }

    func makeSnapshot() throws -> Snapshot {
        let checkpoint = Checkpoint(engine: engine.snapshot(), cursor: cursor, candlesSinceSnapshot: 0,
                                    parameterVersion: parameterVersion, history: history)
        return Snapshot(sequence: sequence, takenAt: engine.currentTime, format: Self.snapshotFormat,
                        payload: [UInt8](try SnapshotCodec.encode(checkpoint)))
    }

    /// Commits `batch` for this run; on failure the object is broken (memory is ahead of disk).
    func commit(_ batch: StoreBatch) throws {
        var batch = batch
        batch.run = runID
        let committed: Int64
        let started = ContinuousClock.now
        defer { commitTiming.record(ContinuousClock.now - started) }
        do { committed = try store.commit(batch) } catch {
            brokenBy = "a commit failed (\(error)); the store keeps journal entries up to \((try? store.journal.lastSequence()) ?? 0)"
            throw error
        }
        precondition(committed == sequence, "the store committed up to \(committed), the replay wrote \(sequence)")
    }

    func checkUsable() throws {
        if let brokenBy { throw RuntimeError("this run cannot go on in this process: \(brokenBy); restart to resume from the store") }
    }

    /// Records an engine failure: the run is marked failed with what was committed before it.
    private func fail(_ message: String, batch: StoreBatch, touched: Set<Int64>) throws {
        var batch = batch
        state = .failed
        self.message = message
        batch.runUpdate = RunUpdate(id: runID, state: RunState.failed.rawValue, message: message, endedAt: engine.currentTime)
        finishBatch(&batch, touched: touched)
        try commit(batch)
    }
}

/// Commits counted and the latest one's duration: a reader compares `count`
/// with the count it saw to know which durations are new.
public struct CommitTiming: Sendable {
    public private(set) var count = 0
    public private(set) var last: Duration = .zero
    public private(set) var total: Duration = .zero

    mutating func record(_ d: Duration) {
        count += 1
        last = d
        total += d
    }
}

public struct RuntimeError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// A journaled run on the paper broker: backtests' journaled twin, replays and paper trading.
public typealias JournaledReplay<S: Strategy & Codable> = JournaledRun<S, PaperBroker>

extension JournaledRun where V == PaperBroker {
    /// Opens a run in `store` (see `Opening`).
    ///
    /// - Parameters:
    ///   - strategy: the strategy a new run starts with (a resumed run's comes from its snapshot and journal).
    ///   - parameterVersion: the parameter version `strategy` was built from (recorded with the run).
    ///   - adoption: how to hand a new parameter version to the strategy; nil if it takes none.
    ///   - now: wall-clock Unix ms, recorded as the run's start.
    public convenience init(store: TradeStore, identity: RunIdentity, series: [MarketSeries], configuration: EngineConfiguration,
                            baseTimeframe: Timeframe = .m1, strategy: S, parameterVersion: Int64 = 0,
                            adoption: ParameterAdoption<S>? = nil, snapshotEvery: Int = 50_000,
                            opening: RunOpening = .resumeOrStart, now: Int64 = 0) throws {
        try self.init(store: store, identity: identity, source: SeriesCandleSource(series), configuration: configuration,
                      baseTimeframe: baseTimeframe, strategy: strategy, parameterVersion: parameterVersion, adoption: adoption,
                      snapshotEvery: snapshotEvery, opening: opening, now: now)
    }

    /// Opens a run over any candle source, on the paper broker its configuration describes.
    public convenience init(store: TradeStore, identity: RunIdentity, source: CandleSource, configuration: EngineConfiguration,
                            baseTimeframe: Timeframe = .m1, strategy: S, parameterVersion: Int64 = 0,
                            adoption: ParameterAdoption<S>? = nil, snapshotEvery: Int = 50_000,
                            opening: RunOpening = .resumeOrStart, now: Int64 = 0) throws {
        try self.init(store: store, identity: identity, source: source, configuration: configuration, baseTimeframe: baseTimeframe,
                      strategy: strategy, venue: { PaperBroker(configuration: $0.broker, instruments: $0.instruments) },
                      parameterVersion: parameterVersion, adoption: adoption, snapshotEvery: snapshotEvery, opening: opening, now: now)
    }
}
