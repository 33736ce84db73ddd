import Foundation
import TradeCore
import TradeEngine
import TradeStore

/// Restart: the run's latest snapshot, then its journal after it through the
/// same core — candles, operator actions and parameter versions at exactly the
/// places they were journaled — checking that the orders come out as journaled.
extension JournaledRun {
    func resume(_ run: RunRecord, configuration: EngineConfiguration, baseTimeframe: Timeframe) throws {
        state = RunState(rawValue: run.state) ?? .failed
        message = run.message
        let configuration = Self.tagged(configuration, run: run.id)
        // 1. The run's start entry must be where the run says, and be this run.
        guard let first = try store.journal.read(after: run.startSequence - 1, limit: 1).first, first.sequence == run.startSequence,
              case .operatorCommand(let command) = first.event, RunIdentity(command) == identity else {
            throw RuntimeError("run \(run.id)'s start entry (journal sequence \(run.startSequence)) is missing or belongs to another run; the database is inconsistent")
        }
        if let version = command.arguments["parameter_version"].flatMap(Int64.init) { parameterVersion = version }
        // 2. The latest snapshot, if it belongs to this run.
        var after = run.startSequence
        // A snapshot of another format (an older build's) is only a shortcut: the journal
        // from the run's start gives the same state, so it is replayed instead.
        if let snapshot = try store.snapshots.latest(), snapshot.sequence > run.startSequence, snapshot.format == Self.snapshotFormat {
            let checkpoint = try SnapshotCodec.decode(Checkpoint.self, from: Data(snapshot.payload))
            engine = try TradingEngine(configuration: configuration, baseTimeframe: baseTimeframe, restoring: checkpoint.engine)
            cursor = checkpoint.cursor
            candlesSinceSnapshot = checkpoint.candlesSinceSnapshot
            parameterVersion = checkpoint.parameterVersion
            history = checkpoint.history
            after = snapshot.sequence
            resumedFromSnapshot = true
        } else {
            engine = TradingEngine(configuration: configuration, strategy: Self.tagged(engine.strategy, run: run.id),
                                   venue: makeVenue(configuration), baseTimeframe: baseTimeframe, expectedSteps: source.expectedSteps)
        }
        journaledOrders = engine.orders.endIndex
        journaledFills = engine.fills.endIndex
        history.skipStored(engine)
        // 3. The journal after it, through the same core; outputs must match what was journaled.
        // The parameter versions it may adopt are read first: the walk runs inside the
        // journal's read transaction, and a second read from in there is not allowed (GRDB
        // stops the process: "Database methods are not reentrant").
        let versions = try Self.parameterVersions(store)
        var expectedOrders: [String] = []
        var expectedFills = 0
        var failure: Error?
        try store.journal.forEach(after: after) { entry in
            guard failure == nil else { return }
            do { try replay(entry, versions: versions, expectedOrders: &expectedOrders, expectedFills: &expectedFills) } catch { failure = error }
        }
        if let failure { throw failure }
        let regenerated = engine.orders[journaledOrders...].map(\.clientOrderID)
        guard regenerated == expectedOrders, engine.fills.endIndex - journaledFills == expectedFills else {
            throw RuntimeError("replaying the journal produced \(regenerated.count) orders and \(engine.fills.endIndex - journaledFills) fills where it holds \(expectedOrders.count) and \(expectedFills): the engine is not deterministic for this data; refusing to continue")
        }
        journaledOrders = engine.orders.endIndex
        journaledFills = engine.fills.endIndex
        history.skipStored(engine)
        sequence = try store.journal.lastSequence()
        for k in cursor.indices {
            source.resume(symbol: k, delivered: cursor[k], lastOpenTime: engine.lastCandleOpenTime(symbol: k))
        }
        if isFinished { engine.finish() }
    }

    /// Every parameter version in the database (a few rows; one per change), by number.
    private static func parameterVersions(_ store: TradeStore) throws -> [Int64: ParameterVersion] {
        let parameters = store.parameters(schema: ParameterSchema([:]))
        var all: [Int64: ParameterVersion] = [:]
        var before: Int64?
        while case let page = try parameters.versions(before: before, limit: HistoryQuery.maximumPageSize), let last = page.last {
            for v in page { all[v.version] = v }
            before = last.version
        }
        return all
    }

    private func replay(_ entry: JournalEntry, versions: [Int64: ParameterVersion], expectedOrders: inout [String],
                        expectedFills: inout Int) throws {
        switch entry.event {
        case .candleAccepted(let symbol, let candle, let barIndex):
            guard symbol < cursor.count, barIndex - source.firstBarIndex(symbol: symbol) == cursor[symbol] else {
                throw RuntimeError("journal entry \(entry.sequence) holds a candle out of place (symbol \(symbol), bar \(barIndex)); the database is inconsistent")
            }
            if source.verifiesJournal, source.candle(symbol: symbol, index: cursor[symbol]) != candle {
                throw RuntimeError("journal entry \(entry.sequence) holds a candle the data does not have at that point (symbol \(symbol), bar \(barIndex)); the data files changed since the run started")
            }
            try engine.handleCandle(symbol: symbol, candle: candle, barIndex: barIndex)
            cursor[symbol] += 1
            candlesSinceSnapshot += 1
            replayedOnResume += 1
        case .operatorCommand(let command):
            if let action = OperatorAction(journalCommand: command) {
                try engine.apply(action)
            } else if command.name == "stop" {
                engine.finish()
            } else {
                throw RuntimeError("journal entry \(entry.sequence) holds a '\(command.name)' command inside run \(runID)")
            }
        case .parameterChange(let version):
            guard let adoption else {
                throw RuntimeError("journal entry \(entry.sequence) changes parameters, but the \(engine.strategy.name) strategy takes none")
            }
            guard let stored = versions[version] else {
                throw RuntimeError("journal entry \(entry.sequence) adopts parameter version \(version), which the database does not have")
            }
            try engine.updateStrategy { s throws(EngineError) in try adoption.adopt(&s, stored.parameters.values) }
            parameterVersion = version
        case .orderSubmitted(let submission): expectedOrders.append(submission.clientOrderID)
        case .orderRejected(let closure): expectedOrders.append(closure.clientOrderID)
        case .orderFilled: expectedFills += 1
        case .venueReport(let e):
            try engine.handleVenueReport(Self.report(e, engine: engine))
        case .orderAcknowledged, .orderCancelled, .contextUpdate: break
        }
    }
}
