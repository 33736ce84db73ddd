import Foundation
import GRDB
import Testing
import TradeCore
@testable import TradeStore

/// One step of a run: `count` candle entries from `first`, and one row of every
/// history list per entry (written as rows of `run`).
private func step(_ candles: [Candle], first: Int64, count: Int = 3, run: Int64 = 0) -> StoreBatch {
    var batch = StoreBatch()
    batch.run = run
    batch.journal = candleEntries(Array(candles[Int(first - 1)..<Int(first - 1) + count]), first: first)
    for entry in batch.journal {
        let time = entry.time, id = "te-\(entry.sequence)"
        batch.orders.append(OrderRecord(clientOrderID: id, time: time, model: "m", symbol: "BTCUSDT", side: .buy,
                                        type: .market, quantity: Quantity(raw: 1_000_000)))
        batch.fills.append(FillRecord(time: time, model: "m", symbol: "BTCUSDT", clientOrderID: id, side: .buy,
                                      price: Price(raw: 9_400_000_000_000), quantity: Quantity(raw: 1_000_000),
                                      fee: Money(raw: 9_361_093_000_000_000), liquidity: .taker))
        batch.trades.append(TradeRecord(time: time, model: "m", symbol: "BTCUSDT", direction: 1, entryTime: time - 60_000,
                                        quantity: Quantity(raw: 1_000_000), grossPnL: Money(raw: 1),
                                        fees: Money(raw: 0)))
        batch.signals.append(SignalRecord(time: time, model: "m", symbol: "BTCUSDT", direction: .long,
                                          confidence: 0.5, outcome: .accepted))
        batch.breakerTransitions.append(BreakerTransition(time: time, breaker: "drawdown", from: "closed",
                                                          to: "open", reason: "test"))
    }
    batch.audit = [AuditEntry(time: candles[Int(first - 1)].openTime, caller: "CN=op", role: "operator",
                              method: "Control/Start", request: "", outcome: "ok")]
    return batch
}

private func run(_ id: Int64, at sequence: Int64, _ state: String = "running") -> RunRecord {
    RunRecord(id: id, startSequence: sequence, startedAt: 1_735_689_600_000 + id, identity: #"{"run":\#(id)}"#,
              state: state)
}

/// What the store holds, to show a refused batch left no trace.
private struct Contents: Equatable {
    var lastSequence: Int64
    var runs: [RunRecord]
    var rows: [Int]

    init(_ store: TradeStore) throws {
        lastSequence = try store.journal.lastSequence()
        runs = try store.runs.list()
        rows = try store.read { db in
            try ["orders", "fills", "trades", "signals", "breaker_transitions", "audit_log", "snapshots"].map {
                try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)")!
            }
        }
    }
}

private func expectRefused(_ store: TradeStore, _ batch: StoreBatch, _ kind: TradeStoreError.Kind, _ words: [String],
                           sourceLocation: SourceLocation = #_sourceLocation) throws {
    let before = try Contents(store)
    do {
        try store.commit(batch)
        Issue.record("the batch was committed, expected a \(kind) refusal", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for word in words {
            #expect(error.description.contains(word), "missing '\(word)' in: \(error)", sourceLocation: sourceLocation)
        }
    }
    #expect(try Contents(store) == before, "a refused batch left something behind", sourceLocation: sourceLocation)
}

@Suite struct RunTests {
    @Test func aVersion3DatabaseIsMigratedAndItsRowsBelongToRunZero() throws {
        let path = try TempFolder().file("v3.sqlite")
        let candles = try realCandles(3)
        let time = candles[0].openTime
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.migrations[2].name)
            try queue.write { db in
                _ = try Journal.append(candleEntries(candles), db)
                // v3 rows, written as a v3 build wrote them (no run column).
                try db.execute(sql: """
                    INSERT INTO orders (client_order_id, time, model, symbol, side, type, price, quantity,
                        filled_quantity, status, reason, status_message, updated_at)
                        VALUES ('te-1', :t, 'm', 'BTCUSDT', 'BUY', 'MARKET', NULL, 1000000, 0, 'OPEN', '', '', :t);
                    INSERT INTO fills (time, model, symbol, client_order_id, side, price, quantity, fee, liquidity)
                        VALUES (:t, 'm', 'BTCUSDT', 'te-1', 'BUY', 9400000000000, 1000000, '0.5', 'TAKER');
                    INSERT INTO trades (time, model, symbol, direction, entry_time, quantity, gross_pnl, fees, net_pnl)
                        VALUES (:t, 'm', 'BTCUSDT', 1, :t, 1000000, '1', '0', '1');
                    INSERT INTO signals (time, model, symbol, direction, confidence, outcome, rule, reasons)
                        VALUES (:t, 'm', 'BTCUSDT', 'long', 0.5, 'vetoed', 'max_exposure', 'too big');
                    INSERT INTO breaker_transitions (time, model, symbol, breaker, from_state, to_state, reason)
                        VALUES (:t, '', '', 'drawdown', 'closed', 'open', 'test');
                    INSERT INTO audit_log (time, caller, role, method, request, outcome)
                        VALUES (:t, 'CN=op', 'operator', 'Control/Pause', '', 'ok');
                    """, arguments: ["t": time])
            }
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 3)
            try queue.close()
        }
        let store = try TradeStore(path: path, options: { var o = TradeStore.Options(); o.integrityCheck = .full; return o }())
        #expect(try store.storedSchemaVersion() == TradeStore.schemaVersion)
        #expect(try store.journal.read(after: 0, limit: 10) == candleEntries(candles))
        #expect(try store.runs.latest() == nil)
        #expect(try store.runs.list().isEmpty)
        let all = HistoryQuery(), zero = HistoryQuery(run: 0), one = HistoryQuery(run: 1)
        let order = try #require(try store.history.order(clientOrderID: "te-1"))
        #expect(order.run == 0 && order.side == .buy && order.type == .market)
        for query in [all, zero] {
            #expect(try store.history.orders(query).items.map(\.run) == [0])
            #expect(try store.history.fills(query).items.map(\.run) == [0])
            #expect(try store.history.trades(query).items.map(\.run) == [0])
            #expect(try store.history.signals(query).items.map(\.run) == [0])
            #expect(try store.history.breakerTransitions(query).items.map(\.run) == [0])
        }
        #expect(try store.history.signals(all).items.first?.outcome == .vetoed)
        #expect(try store.history.auditLog(all).items.count == 1)
        #expect(try store.history.fills(one).items.isEmpty)
        // Each list got its (run, time, id) index.
        let indexes = try store.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_run' ORDER BY name")
        }
        #expect(indexes == ["breaker_transitions_run", "fills_run", "orders_run", "signals_run", "trades_run"])
        // The migrated store takes runs like a new one.
        var start = step(try realCandles(6), first: 4, run: 1)
        start.startRun = run(1, at: 4)
        #expect(try store.commit(start) == 6)
        #expect(try store.history.fills(one).items.count == 3)
        #expect(try store.history.fills(zero).items.count == 1)
    }

    @Test func runsAreStartedUpdatedAndListedNewestFirst() throws {
        let path = try TempFolder().file("runs.sqlite")
        let candles = try realCandles(20)
        do {
            let store = try TradeStore(path: path)
            var first = step(candles, first: 1, run: 1)
            first.startRun = run(1, at: 1)
            try store.commit(first)
            #expect(try store.runs.latest() == run(1, at: 1))
            #expect(try store.runs.run(1) == run(1, at: 1))

            // The run pauses, then stops, in later steps.
            var pause = step(candles, first: 4, run: 1)
            pause.runUpdate = RunUpdate(id: 1, state: "paused", message: "operator pause")
            try store.commit(pause)
            var stop = StoreBatch()
            #expect(stop.isEmpty)
            stop.runUpdate = RunUpdate(id: 1, state: "stopped", message: "operator stop", endedAt: 1_735_690_000_000)
            #expect(!stop.isEmpty)
            #expect(try store.commit(stop) == 6)
            #expect(try store.runs.run(1) == RunRecord(id: 1, startSequence: 1, startedAt: 1_735_689_600_001,
                                                       identity: #"{"run":1}"#, state: "stopped",
                                                       message: "operator stop", endedAt: 1_735_690_000_000))

            // Run 2 starts at its own first entry, and this step also marks it running.
            var second = step(candles, first: 7, run: 2)
            second.startRun = run(2, at: 7, "starting")
            second.runUpdate = RunUpdate(id: 2, state: "running")
            try store.commit(second)
            // Run 3 starts at an entry stored by an earlier batch (a batch with no journal entries).
            try store.journal.append(candleEntries(Array(candles[9..<10]), first: 10))
            var third = StoreBatch()
            third.startRun = run(3, at: 10)
            #expect(!third.isEmpty)
            try store.commit(third)
            try store.close()
        }
        // After a restart (or a crash), the latest run is found again.
        let store = try TradeStore(path: path)
        #expect(try store.runs.latest() == run(3, at: 10))
        #expect(try store.runs.run(2)?.state == "running")
        #expect(try store.runs.run(4) == nil)
        #expect(try store.runs.run(0) == nil)
        #expect(try store.runs.list().map(\.id) == [3, 2, 1])
        #expect(try store.runs.list(limit: 2).map(\.id) == [3, 2])
        #expect(try store.runs.list(limit: 2, before: 2).map(\.id) == [1])
        #expect(try store.runs.list(before: 1).isEmpty)
        for limit in [0, -1, 1_001] {
            #expect { try store.runs.list(limit: limit) } throws: { error in
                let e = error as? TradeStoreError
                return e?.kind == .invalidArgument && e?.description.contains("between 1 and 1000") == true
            }
        }
        #expect(try store.runs.list(limit: 1_000).count == 3)
        // Rows carry the run of the batch that wrote them; the audit log has none.
        #expect(try store.history.fills(HistoryQuery(run: 1)).items.count == 6)
        #expect(try store.history.fills(HistoryQuery(run: 2)).items.count == 3)
        #expect(try store.history.fills(HistoryQuery(run: 3)).items.isEmpty)
        #expect(try store.history.auditLog(HistoryQuery()).items.count == 3)
    }

    @Test func aRunThatIsNotTheNextOneStoresNothingOfItsBatch() throws {
        let store = try makeStore()
        let candles = try realCandles(20)
        var first = step(candles, first: 1, run: 1)
        first.startRun = run(1, at: 1)
        try store.commit(first)

        for wrong: Int64 in [1, 3, 0, -2] {
            var batch = step(candles, first: 4, run: 2)
            batch.startRun = run(wrong, at: 4)
            batch.snapshot = Snapshot(sequence: 6, takenAt: 0, format: 1, payload: [1, 2, 3])
            try expectRefused(store, batch, .conflict, ["cannot start run \(wrong)", "the latest run is 1",
                                                        "must be 2", "nothing of the batch was stored"])
        }
        // The first run of an empty store must be 1.
        let empty = try makeStore()
        var early = step(candles, first: 1)
        early.startRun = run(2, at: 1)
        try expectRefused(empty, early, .conflict, ["no run was started yet", "must be 1"])

        // A start entry that is neither in the batch nor stored.
        var ahead = step(candles, first: 4, run: 2)
        ahead.startRun = run(2, at: 7)
        try expectRefused(store, ahead, .invalidArgument, ["journal sequence 7", "neither in this batch nor stored"])
        // A start entry at or before the previous run's.
        var behind = step(candles, first: 4, run: 2)
        behind.startRun = run(2, at: 1)
        try expectRefused(store, behind, .conflict, ["run 1 started at 1"])
        // No state.
        var stateless = step(candles, first: 4, run: 2)
        stateless.startRun = run(2, at: 4, "")
        try expectRefused(store, stateless, .invalidArgument, ["needs a state"])
        // An update of a run that was never started.
        var unknownUpdate = step(candles, first: 4, run: 1)
        unknownUpdate.runUpdate = RunUpdate(id: 9, state: "stopped")
        try expectRefused(store, unknownUpdate, .notFound, ["run 9", "no such run"])
        // History for a run that was never started.
        try expectRefused(store, step(candles, first: 4, run: 2), .notFound, ["run 2", "no such run"])
        #expect { try store.history.recordFills(step(candles, first: 4).fills, run: 5) } throws: {
            ($0 as? TradeStoreError)?.kind == .notFound
        }

        // The right batch still goes through afterwards.
        var second = step(candles, first: 4, run: 2)
        second.startRun = run(2, at: 4)
        #expect(try store.commit(second) == 6)
        #expect(try store.runs.latest()?.id == 2)
    }

    @Test func howARunStartedCannotBeChangedAndRunsAreNotDeleted() throws {
        let store = try makeStore()
        var first = step(try realCandles(3), first: 1, run: 1)
        first.startRun = run(1, at: 1)
        try store.commit(first)
        for sql in ["DELETE FROM runs", "UPDATE runs SET identity = 'x'", "UPDATE runs SET start_sequence = 2",
                    "UPDATE runs SET id = 5"] {
            #expect(throws: TradeStoreError.self, "\(sql)") { try store.write { db in try db.execute(sql: sql) } }
        }
        #expect(try store.runs.latest() == run(1, at: 1))
    }

    @Test func historyFilteredByRunPagesWithTokensOfThatRunOnly() throws {
        let store = try makeStore()
        let candles = try realCandles(40)
        var first = step(candles, first: 1, count: 12, run: 1)
        first.startRun = run(1, at: 1)
        try store.commit(first)
        var second = step(candles, first: 13, count: 9, run: 2)
        second.startRun = run(2, at: 13)
        // Run 2 also updates an order of run 1: the order stays in run 1.
        var update = first.orders[0]
        update.filledQuantity = update.quantity
        update.status = .filled
        update.updatedAt += 1
        second.orders.append(update)
        try store.commit(second)
        // Rows outside runs, written directly.
        try store.history.recordFills(step(candles, first: 30, count: 2).fills)
        try store.history.saveOrders([OrderRecord(clientOrderID: "manual", time: candles[35].openTime, model: "m",
                                                  symbol: "BTCUSDT", side: .sell, type: .market,
                                                  quantity: Quantity(raw: 1))])

        func pages<T>(_ query: HistoryQuery, _ fetch: (HistoryQuery) throws -> HistoryPage<T>) throws -> [[T]] {
            var query = query, result: [[T]] = []
            while true {
                let page = try fetch(query)
                result.append(page.items)
                guard let next = page.nextPageToken else { return result }
                query.pageToken = next
            }
        }
        for newestFirst in [false, true] {
            let one = try pages(HistoryQuery(run: 1, pageSize: 5, newestFirst: newestFirst)) { try store.history.fills($0) }
            #expect(one.map(\.count) == [5, 5, 2])
            #expect(one.joined().allSatisfy { $0.run == 1 })
            let two = try pages(HistoryQuery(run: 2, pageSize: 5, newestFirst: newestFirst)) { try store.history.fills($0) }
            #expect(two.map(\.count) == [5, 4])
            #expect(two.joined().allSatisfy { $0.run == 2 })
            let ids = two.joined().map { $0.id! }
            #expect(ids == (newestFirst ? ids.sorted(by: >) : ids.sorted()))
        }
        #expect(try store.history.fills(HistoryQuery(run: 0)).items.count == 2)
        #expect(try store.history.fills(HistoryQuery(pageSize: 1_000)).items.count == 23)
        #expect(try store.history.orders(HistoryQuery(run: 1, pageSize: 1_000)).items.count == 12)
        #expect(try store.history.orders(HistoryQuery(run: 2, pageSize: 1_000)).items.count == 9)
        #expect(try store.history.orders(HistoryQuery(run: 0)).items.map(\.clientOrderID) == ["manual"])
        let updated = try #require(try store.history.order(clientOrderID: "te-1"))
        #expect(updated.run == 1 && updated.status == .filled)
        for query in [HistoryQuery(run: 2, pageSize: 1_000), HistoryQuery(model: "m", symbol: "BTCUSDT", run: 2)] {
            #expect(try store.history.trades(query).items.map(\.run) == Array(repeating: 2, count: 9))
            #expect(try store.history.signals(query).items.map(\.run) == Array(repeating: 2, count: 9))
        }
        // Breakers in the steps apply to all models and symbols ("").
        #expect(try store.history.breakerTransitions(HistoryQuery(model: "", run: 2)).items.map(\.run)
            == Array(repeating: 2, count: 9))
        #expect(try store.history.trades(HistoryQuery(from: candles[13].openTime, to: candles[14].openTime, run: 2))
            .items.map(\.time) == [candles[13].openTime, candles[14].openTime])

        // A token belongs to the run it was issued for.
        let token = try #require(try store.history.fills(HistoryQuery(run: 1, pageSize: 5)).nextPageToken)
        #expect(try store.history.fills(HistoryQuery(run: 1, pageSize: 5, pageToken: token)).items.count == 5)
        for other in [HistoryQuery(run: 2, pageSize: 5, pageToken: token), HistoryQuery(run: 0, pageSize: 5, pageToken: token),
                      HistoryQuery(pageSize: 5, pageToken: token)] {
            #expect { try store.history.fills(other) } throws: { error in
                let e = error as? TradeStoreError
                return e?.kind == .invalidArgument && e?.description.contains("was not issued for this list") == true
            }
        }
        let allRunsToken = try #require(try store.history.fills(HistoryQuery(pageSize: 5)).nextPageToken)
        #expect { try store.history.fills(HistoryQuery(run: 1, pageSize: 5, pageToken: allRunsToken)) } throws: {
            ($0 as? TradeStoreError)?.kind == .invalidArgument
        }
        // Tokens issued before runs existed (no run in the fingerprint) stay valid.
        #expect(PageCursor.fingerprint(HistoryQuery(model: "m")) != PageCursor.fingerprint(HistoryQuery(model: "m", run: 0)))
        #expect(PageCursor.fingerprint(HistoryQuery(run: 1)) != PageCursor.fingerprint(HistoryQuery(run: 2)))

        // The audit log belongs to no run; a negative run is no run.
        #expect { try store.history.auditLog(HistoryQuery(run: 1)) } throws: { error in
            let e = error as? TradeStoreError
            return e?.kind == .invalidArgument && e?.description.contains("belong to no run") == true
        }
        #expect { try store.history.fills(HistoryQuery(run: -1)) } throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
    }

    @Test func signalsRecordRejectedAndBlockedOutcomes() throws {
        let store = try makeStore()
        #expect(SignalOutcome.allCases.map(\.rawValue) == ["accepted", "resized", "vetoed", "rejected", "blocked"])
        let time: Int64 = 1_735_689_600_000
        let signals = SignalOutcome.allCases.enumerated().map { i, outcome in
            SignalRecord(time: time + Int64(i), model: "m", symbol: "BTCUSDT", direction: .short, confidence: 0.25,
                         outcome: outcome, rule: outcome == .rejected ? "order_gate" : "", reasons: outcome.rawValue)
        }
        try store.history.recordSignals(signals)
        let read = try store.history.signals(HistoryQuery()).items
        #expect(read.map(\.outcome) == SignalOutcome.allCases)
        #expect(read.map { var s = $0; s.id = nil; return s } == signals)
    }
}

@Suite struct SettingsStoreTests {
    @Test func aSettingIsKeptAcrossReopeningAndReplacedWhole() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("settings-\(UUID().uuidString).sqlite").path
        let store = try TradeStore(path: path)
        #expect(try store.settings.value("operator_context") == nil)
        try store.settings.set("operator_context", to: #"{"bias":"risk-off"}"#, now: 1)
        try store.settings.set("operator_context", to: #"{"bias":"neutral"}"#, now: 2)
        try store.close()
        let again = try TradeStore(path: path)
        #expect(try again.settings.value("operator_context") == #"{"bias":"neutral"}"#)
        try again.settings.set("operator_context", to: nil, now: 3)
        #expect(try again.settings.value("operator_context") == nil)
    }
}
