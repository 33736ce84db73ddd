import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore
import TradeVenues
@testable import TradeServer

@Suite struct EngineHostTests {
    static let file = "BTCUSDT-1m-20250101-20250204.csv"
    static var dataDir: String { SharedData.root.appendingPathComponent("data").path }

    static func database() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("host-\(UUID().uuidString).sqlite").path
    }

    func makeHost(_ path: String = database(), batchSize: Int = 4096) throws -> EngineHost {
        try EngineHost(store: TradeStore(path: path), dataDirectories: [Self.dataDir], batchSize: batchSize)
    }

    static func reference(_ files: [String]) -> StartOptions {
        StartOptions(mode: .replay, source: .files(files), speed: .max, models: ["ema_cross_rsi"])
    }

    func finished(_ host: EngineHost) async throws {
        // Up to two minutes: a loaded CI machine is slow, and a run that never ends fails here.
        for _ in 0..<2_400 {
            let s = await host.status()
            if s.state == .finished || s.state == .idle || s.state == .failed { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("replay did not finish")
    }

    /// The host runs the same engine as the backtest: on the same data it must
    /// produce exactly the backtest's fills and final equity.
    @Test func aMaxSpeedReplayMatchesTheBacktestFillForFill() async throws {
        let host = try makeHost()
        _ = try await host.start(Self.reference([Self.file]))
        try await finished(host)
        let status = await host.status()
        #expect(status.state == .finished)

        let file = try CandleFileReader.read(path: SharedData.data(Self.file))
        let config = EngineConfiguration(instruments: [.spot(file.symbol)])
        let expected = try BacktestRunner.run(series: [MarketSeries(instrument: config.instruments[0], candles: file.candles)],
                                              configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        let trades = try await host.trades(RecordQuery(limit: 1_000_000))
        // Read back from the store, which keeps what the API shows (not the bar index).
        #expect(trades.items.map(\.fill) == expected.fills.map { var f = $0; f.barIndex = 0; return f })
        #expect(trades.items.map(\.sequence) == Array(1...Int64(expected.fills.count)))
        #expect(status.equity == expected.finalEquity)
        #expect(status.candlesProcessed == Int64(file.candles.count))
        let signals = try await host.signals(RecordQuery(limit: 1_000_000), outcome: nil)
        #expect(signals.total == expected.orders.count)
        #expect(signals.items.allSatisfy { $0.outcome == .accepted && $0.model == "ema_cross_rsi" })
    }

    /// A hosted run keeps only its recent past in memory and answers its lists from the
    /// store: the fills come back whole, page after page by the store's cursor, none
    /// twice, with the run's totals; performance sums every trade though none is held.
    @Test func aHostedRunHoldsOnlyItsRecentPastAndPagesItsListsFromTheStore() async throws {
        let host = try makeHost()
        _ = try await host.start(Self.reference([Self.file]))
        try await finished(host)
        let held = await host.heldHistory()
        #expect(held.fillsMade > 1_000 && held.fills == 0, "\(held)")
        #expect(held.ordersMade == held.fillsMade && held.orders <= 1, "\(held)")
        #expect(held.equityStepsMade > 50_000 && held.equitySteps <= 20_002, "\(held)")

        let whole = try await host.trades(RecordQuery(limit: 1_000_000))
        var paged: [TradeServer.TradeRecord] = []
        var query = RecordQuery(limit: 333)
        var pages = 0
        while true {
            let page = try await host.trades(query)
            #expect(page.total == whole.items.count)
            paged += page.items
            pages += 1
            guard let next = page.nextOffset else { break }
            #expect(page.nextCursor != nil, "a store-backed page says where the next starts")
            query.offset = next
            query.cursor = page.nextCursor
        }
        #expect(paged == whole.items && pages == (whole.items.count + 332) / 333)
        // An offset without a cursor (a token from before) lands on the same page.
        let byOffset = try await host.trades(RecordQuery(offset: 1_000, limit: 5))
        #expect(byOffset.items == Array(whole.items[1_000..<1_005]))
        // Filters run in the store: a window of time, and orders by status.
        let from = whole.items[100].fill.time, to = whole.items[200].fill.time
        let window = try await host.trades(RecordQuery(from: from, to: to, limit: 1_000))
        #expect(window.items == whole.items.filter { $0.fill.time >= from && $0.fill.time < to })
        let filled = try await host.orders(RecordQuery(limit: 5), statuses: [.filled])
        let cancelled = try await host.orders(RecordQuery(limit: 5), statuses: [.cancelled])
        #expect(filled.total == held.ordersMade && cancelled.total == 0)
        #expect(filled.items.map(\.order.id) == [1, 2, 3, 4, 5])

        let performance = await host.performance()
        let trips = RoundTripBuilder.build(fills: whole.items.map(\.fill), symbolCount: 1).closed
        #expect(performance.first?.roundTrips == trips.count && performance.first?.realizedPnL == trips.reduce(Money.zero) { $0 + $1.grossPnL })
        #expect((performance.first?.maxDrawdown ?? 0) > 0)
    }

    /// The host reads time only from its clock: a run paced at 60× over 1,500 minutes of candles
    /// ends as soon as the engine is done when the clock is the test's — 25 minutes later on that clock —
    /// with exactly the fills of the same candles at max speed.
    @Test func aPacedReplayRunsOnTheInjectedClock() async throws {
        let clock = VirtualClock()
        let paced = try EngineHost(store: TradeStore(path: Self.database()), dataDirectories: [Self.dataDir], clock: clock)
        let file = try CandleFileReader.read(path: SharedData.data(Self.file))
        let (from, to) = (file.candles[5_000].openTime, file.candles[6_500].openTime)
        _ = try await paced.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60, models: ["ema_cross_rsi"],
                                               from: from, to: to))
        try await finished(paced)
        let status = await paced.status()
        #expect(status.state == .finished && status.candlesProcessed == 1_500)
        // The last candle is due 1,499 market minutes in, at 60×: 1,499 s on the clock, which moves by waits of at most 250 ms.
        #expect(clock.waited >= .seconds(1_499) && clock.waited <= .seconds(1_499) + .milliseconds(500), "\(clock.waited)")
        #expect(abs(status.uptimeSeconds - clock.waited.seconds) < 1, "uptime on the host's clock: \(status.uptimeSeconds)")
        let fast = try makeHost()
        _ = try await fast.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .max, models: ["ema_cross_rsi"], from: from, to: to))
        try await finished(fast)
        let trades = try await paced.trades(RecordQuery(limit: 1_000)).items
        let reference = try await fast.trades(RecordQuery(limit: 1_000)).items
        #expect(trades.count > 4 && trades == reference, "\(trades.count) trades")
    }

    /// A paper start reads the venue's rules first; one that cannot is refused with why and starts nothing,
    /// and a second start while the first is reading is refused too (the actor is free during the read).
    @Test func aPaperStartThatCannotReadTheVenuesRulesStartsNothing() async throws {
        let host = try makeHost()
        let options = StartOptions(mode: .paper, source: .venue(.init(venue: "binance", symbols: ["BTCUSDT"], endpoint: "http://127.0.0.1:9")),
                                   speed: .realtime, models: ["ema_cross_rsi"])
        async let first: EngineStatusSnapshot = host.start(options)
        try await Task.sleep(for: .milliseconds(100))
        await #expect(throws: HostError.failedPrecondition("another start is under way; wait for it")) { _ = try await host.start(options) }
        do {
            _ = try await first
            Issue.record("started without the venue's rules")
        } catch {
            guard case .unavailable(let why)? = error as? HostError else { Issue.record("\(error)"); return }
            #expect(why.contains("cannot read the symbols' trading rules") && why.contains("nothing was started"), "\(why)")
        }
        #expect(await host.status().state == .idle)
    }

    @Test func commandsTheStateForbidsFailWithTheReasonAndChangeNothing() async throws {
        let host = try makeHost()
        await #expect(throws: HostError.failedPrecondition("nothing to pause: the engine is idle")) {
            _ = try await host.pauseEntries(reason: "x")
        }
        await #expect(throws: HostError.self) { _ = try await host.resume() }
        await #expect(throws: HostError.self) { _ = try await host.stop(flatten: false) }
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60, models: ["ema_cross_rsi"]))
        await #expect(throws: HostError.self) {
            _ = try await host.start(Self.reference([Self.file]))
        }
        #expect(await host.status().state == .running)
        _ = try await host.pauseEntries(reason: "news")
        await #expect(throws: HostError.self) { _ = try await host.pauseEntries(reason: "again") }
        #expect(await host.status().state == .paused)
        _ = try await host.halt(reason: "test")
        #expect(await host.status().killSwitchTripped)
        _ = try await host.resume()
        #expect(await host.status().state == .running)
        _ = try await host.stop(flatten: true)
        let s = await host.status()
        #expect(s.state == .idle && s.openPositions == 0)
    }

    /// A risk-off context blocks entries from the first bar (a pause does the same
    /// through the same gate, but cannot be timed before a max-speed run's first batch).
    @Test func blockedEntriesBecomeBlockedSignalsWithTheReason() async throws {
        let host = try makeHost(batchSize: 512)
        _ = try await host.setContext(OperatorContext(bias: .riskOff, note: "operator test", setAt: Date(), setBy: "test"))
        _ = try await host.start(Self.reference([Self.file]))
        try await finished(host)
        let blocked = try await host.signals(RecordQuery(limit: 100_000), outcome: .blocked)
        #expect(blocked.total > 0)
        #expect(blocked.items.allSatisfy { $0.reasons.joined(separator: " ").contains("risk-off context: operator test") && $0.orderID == 0 })
        let trades = try await host.trades(RecordQuery(limit: 100_000))
        #expect(trades.total == 0, "nothing may be entered while entries are blocked")
    }

    @Test func filesOutsideTheDataDirectoriesAreRefused() async throws {
        let host = try makeHost()
        for path in ["/etc/passwd", "../../etc/passwd", "missing.csv"] {
            await #expect(throws: HostError.self) {
                _ = try await host.start(Self.reference([path]))
            }
        }
        #expect(await host.status().state == .idle)
    }

    @Test func parametersAreVersionedGuardedAndRollbackMakesANewVersion() async throws {
        let host = try makeHost()
        let v2 = try await host.setParameters([ParameterValue(model: "ema_cross_rsi", name: "fast_period", value: .integer(10))],
                                              comment: "faster", by: "alice", force: false)
        #expect(v2.version == 2 && v2.changes == [ParameterChangeRecord(model: "ema_cross_rsi", name: "fast_period", from: 12, to: 10)])
        // Past ±20 % without force, out of bounds, unknown, without a reason: refused, nothing stored.
        for (change, comment) in [(ParameterValue(model: "ema_cross_rsi", name: "fast_period", value: .integer(5)), "much faster"),
                                  (ParameterValue(model: "ema_cross_rsi", name: "notional", value: .number(-5)), "negative"),
                                  (ParameterValue(model: "ema_cross_rsi", name: "nope", value: .integer(1)), "unknown"),
                                  (ParameterValue(model: "ema_cross_rsi", name: "fast_period", value: .integer(11)), "")] {
            await #expect(throws: HostError.self) { _ = try await host.setParameters([change], comment: comment, by: "alice", force: false) }
        }
        #expect(await host.parameterHistory().map(\.version) == [2, 1])
        let forced = try await host.setParameters([ParameterValue(model: "ema_cross_rsi", name: "fast_period", value: .integer(5))],
                                                  comment: "admin knows", by: "alice", force: true)
        #expect(forced.version == 3 && forced.forced)
        let v4 = try await host.rollback(to: nil, comment: "undo", by: "bob")
        #expect(v4.version == 4 && v4.restoredFrom == 2)
        #expect(v4.parameters == (try await host.parameters(version: 2)).parameters)
        let v5 = try await host.rollback(to: 1, comment: "back to defaults", by: "bob")
        let v1 = try await host.parameters(version: 1)
        #expect(v5.restoredFrom == 1 && v5.parameters == v1.parameters)
        #expect(await host.parameterHistory().map(\.version) == [5, 4, 3, 2, 1])
    }

    /// A running engine adopts a new version at its next bar, journaled.
    @Test func aRunningEngineAdoptsANewVersionAndJournalsIt() async throws {
        let path = Self.database()
        let host = try makeHost(path)
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60, models: ["ema_cross_rsi"]))
        let v2 = try await host.setParameters([ParameterValue(model: "ema_cross_rsi", name: "notional", value: .number(1100))],
                                              comment: "bigger", by: "alice", force: false)
        #expect(await host.status().parameterVersion == v2.version)
        _ = try await host.stop(flatten: false)
        let store = try TradeStore(path: path)
        var changes: [Int64] = []
        try store.journal.forEach(after: 0) { if case .parameterChange(let v) = $0.event { changes.append(v) } }
        #expect(changes == [2])
    }

    /// A run whose journal holds a parameter change after its latest snapshot resumes
    /// (replaying the change reads the version while the journal is being read).
    @Test func aRunWithAParameterChangeResumesAfterARestart() async throws {
        let path = Self.database()
        let first = try makeHost(path)
        _ = try await first.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60, models: ["ema_cross_rsi"]))
        let v2 = try await first.setParameters([ParameterValue(model: "ema_cross_rsi", name: "notional", value: .number(1100))],
                                               comment: "bigger", by: "alice", force: false)
        await first.shutdown()
        let second = try makeHost(path)
        #expect(try await second.resumeLatestRun()?.contains("resumed") == true)
        let after = await second.status()
        #expect(after.state == .running && after.parameterVersion == v2.version)
        _ = try await second.stop(flatten: false)
    }

    /// Restart: the latest run comes back as it was — paused stays paused, at the same candle — and goes on to the end.
    @Test func aRestartedServerResumesTheLatestRunInItsState() async throws {
        let path = Self.database()
        let first = try makeHost(path)
        _ = try await first.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60, models: ["ema_cross_rsi"]))
        try await Task.sleep(for: .milliseconds(300))
        _ = try await first.pauseEntries(reason: "overnight")
        let before = await first.status()
        await first.shutdown()
        #expect(before.state == .paused)

        _ = try await first.setContext(OperatorContext(bias: .riskOn, note: "ETF inflows", setAt: Date(), setBy: "alice"))
        let second = try makeHost(path)
        #expect(await second.status().context.note == "ETF inflows", "the context is kept in the database")
        let line = try await second.resumeLatestRun()
        #expect(line?.contains("resumed") == true)
        let after = await second.status()
        #expect(after.state == .paused && after.message.contains("overnight"))
        #expect(after.candlesProcessed >= before.candlesProcessed)
        _ = try await second.resume()
        _ = try await second.stop(flatten: true)
        let stopped = await second.status()
        #expect(stopped.state == .idle && stopped.openPositions == 0)
        // A third server sees the stopped run and may start a new one.
        let third = try makeHost(path)
        try await third.resumeLatestRun()
        #expect(await third.status().state == .idle)
        _ = try await third.start(Self.reference([Self.file]))
        try await finished(third)
        #expect(await third.status().state == .finished)
    }

    /// The three-model stack runs in the host; its signals carry the resolver's outcome and rule.
    @Test func theModelsRunWithResolverOutcomesAndPerModelPerformance() async throws {
        let host = try makeHost()
        let from = SharedData.utc(2025, 1, 2), to = SharedData.utc(2025, 1, 12)
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file, "ETHUSDT-1m-20250101-20250204.csv"]),
                                              speed: .max, models: [], from: from, to: to))
        try await finished(host)
        #expect(await host.status().state == .finished)
        let signals = try await host.signals(RecordQuery(limit: 100_000), outcome: nil)
        #expect(signals.total > 50)
        #expect(Set(signals.items.map(\.outcome)).contains(.vetoed))
        #expect(signals.items.allSatisfy { !$0.rule.isEmpty && ModelID.allCases.map(\.name).contains($0.model) })
        let performance = await host.performance()
        #expect(performance.map(\.model) == ModelID.allCases.map(\.name))
        let states = await host.status().models.filter { $0.strategy == "models" }
        #expect(states.map(\.name) == ModelID.allCases.map(\.name) && states.allSatisfy { !$0.breaker.isEmpty })
        #expect(states.map(\.signals).reduce(0, +) == Int64(signals.total))
        let risk = await host.risk()
        #expect(risk.budgets.contains { $0.name == "aggressive.daily_loss" })
        let trades = try await host.trades(RecordQuery(limit: 100_000))
        #expect(trades.items.allSatisfy { ModelID.allCases.map(\.name).contains($0.model) || $0.model == "models" })
    }

    /// Candles imported into the database are a source too.
    @Test func aRunStartsFromCandlesInTheStore() async throws {
        let path = Self.database()
        let store = try TradeStore(path: path)
        let candles = try SharedData.candles(Self.file, limit: 5_000)
        try store.candles.upsert(candles, into: CandleSeriesKey(venue: "binance", symbol: "BTCUSDT", interval: .m1))
        let host = try EngineHost(store: store, dataDirectories: [Self.dataDir])
        await #expect(throws: HostError.self) {
            _ = try await host.start(StartOptions(mode: .replay, source: .store(symbols: ["ETHUSDT"], interval: "1m"), speed: .max,
                                                  models: ["ema_cross_rsi"]))
        }
        _ = try await host.start(StartOptions(mode: .replay, source: .store(symbols: ["BTCUSDT"], interval: "1m"), speed: .max,
                                              models: ["ema_cross_rsi"], to: candles[4_000].openTime))
        try await finished(host)
        let status = await host.status()
        #expect(status.state == .finished && status.candlesProcessed == 4_000)
        let expected = try BacktestRunner.run(series: [MarketSeries(instrument: .spot("BTCUSDT"), candles: Array(candles[..<4_000]))],
                                              configuration: EngineConfiguration(instruments: [.spot("BTCUSDT")]),
                                              strategy: EmaCrossRsi(symbolCount: 1))
        #expect(status.equity == expected.finalEquity)
    }

    /// A database that refuses a write (here: full) fails the run loudly; it never carries on unrecorded.
    @Test func aFullDatabaseFailsTheRunWithTheReason() async throws {
        let path = Self.database()
        var options = TradeStore.Options()
        options.maximumPageCount = 400
        let host = try EngineHost(store: TradeStore(path: path, options: options), dataDirectories: [Self.dataDir])
        _ = try await host.start(Self.reference([Self.file]))
        try await finished(host)
        let status = await host.status()
        #expect(status.state == .failed)
        #expect(status.message.contains("full"), "\(status.message)")
        #expect(status.candlesProcessed < 50_180)
        await #expect(throws: HostError.self) { _ = try await host.pauseEntries(reason: "x") }
    }

    /// The audit log lives in the database: a new server reads what the old one wrote.
    @Test func theAuditLogSurvivesARestart() async throws {
        let path = Self.database()
        let first = StoreAuditLog(store: try TradeStore(path: path))
        let written = await first.record(AuditRecord(caller: "alice", role: .operator, method: "tradeengine.v1.ControlService/Halt",
                                                     requestSummary: "reason=drill", outcome: .ok, statusCode: "ok", message: ""))
        await first.record(AuditRecord(caller: "eve", role: .viewer, method: "tradeengine.v1.ControlService/Stop",
                                       requestSummary: "", outcome: .denied, statusCode: "permissionDenied", message: "needs operator"))
        let second = StoreAuditLog(store: try TradeStore(path: path))
        let all = await second.entries(AuditQuery())
        #expect(all.total == 2 && all.items.map(\.caller) == ["eve", "alice"])
        let halts = await second.entries(AuditQuery(method: "Halt"))
        #expect(halts.items.first?.id == written.id && halts.items.first?.requestSummary == "reason=drill")
        #expect(all.items.first?.outcome == .denied && all.items.first?.message == "needs operator")
    }
}

@Suite struct FeedLatencyTests {
    @Test func percentilesAreNearestRankPerOrderKindAndTheSamplesStayBounded() {
        var latency = FeedLatency()
        #expect(latency.percentile(50, ordered: false) == nil)
        for us in 1...100 { latency.record(microseconds: Double(us), ordered: false) }
        for us in [500.0, 700, 900] { latency.record(microseconds: us, ordered: true) }
        #expect(latency.percentile(50, ordered: false) == 50 && latency.percentile(99, ordered: false) == 99)
        #expect(latency.percentile(100, ordered: false) == 100 && latency.percentile(0, ordered: false) == 1)
        #expect(latency.percentile(50, ordered: true) == 700 && latency.percentile(99, ordered: true) == 900)
        for _ in 0..<(FeedLatency.capacity * 2) { latency.record(microseconds: 3, ordered: false) }
        #expect(latency.withoutOrder.count <= FeedLatency.capacity + FeedLatency.capacity / 10)
        #expect(latency.percentile(1, ordered: false) == 3, "the oldest samples went first")
    }
}

@Suite struct RecordedRulesTests {
    @Test func aRunsRecordedVenueRulesReadBackExactlyAndNothingElseReads() {
        let rules = [Instrument(symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!, lotSize: Quantity("0.00001")!,
                                minNotional: Money("5")!),
                     Instrument(symbol: "ETHBTC", baseAsset: "ETH", quoteAsset: "BTC", tickSize: Price("0.000001")!, lotSize: Quantity("0.0001")!,
                                minNotional: Money("0.0001")!)]
        #expect(RecordedRules.parse(RecordedRules.text(rules)) == rules)
        for bad in ["BTCUSDT BTC USDT 0.01", "BTCUSDT BTC USDT 0 0.00001 5", "BTCUSDT BTC USDT 0.01 x 5"] {
            #expect(RecordedRules.parse(bad) == nil, "\(bad)")
        }
    }
}
