import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeVenues
@testable import TradeServer

@Suite struct ReplayEngineHostTests {
    static let file = "BTCUSDT-1m-20250101-20250204.csv"
    static var dataDir: String { SharedData.root.appendingPathComponent("data").path }

    func finished(_ host: ReplayEngineHost) async throws {
        for _ in 0..<600 {
            let s = await host.status()
            if s.state == .finished || s.state == .idle || s.state == .failed { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("replay did not finish")
    }

    /// The host runs the same engine as the backtest: on the same data it must
    /// produce exactly the backtest's fills and final equity.
    @Test func aMaxSpeedReplayMatchesTheBacktestFillForFill() async throws {
        let host = ReplayEngineHost(dataDirectories: [Self.dataDir])
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .max))
        try await finished(host)
        let status = await host.status()
        #expect(status.state == .finished)

        let file = try CandleFileReader.read(path: SharedData.data(Self.file))
        let config = EngineConfiguration(instruments: [.spot(file.symbol)])
        let expected = try BacktestRunner.run(series: [MarketSeries(instrument: config.instruments[0], candles: file.candles)],
                                              configuration: config, strategy: EmaCrossRsi(symbolCount: 1))
        let trades = await host.trades(RecordQuery(limit: 1_000_000))
        #expect(trades.items.map(\.fill) == expected.fills)
        #expect(status.equity == expected.finalEquity)
        #expect(status.candlesProcessed == Int64(file.candles.count))
        let signals = await host.signals(RecordQuery(limit: 1_000_000), outcome: nil)
        #expect(signals.total == expected.orders.count)
        #expect(signals.items.allSatisfy { $0.outcome == .accepted && $0.model == "ema_cross_rsi" })
    }

    @Test func commandsTheStateForbidsFailWithTheReasonAndChangeNothing() async throws {
        let host = ReplayEngineHost(dataDirectories: [Self.dataDir])
        await #expect(throws: HostError.failedPrecondition("nothing to pause: the engine is idle")) {
            _ = try await host.pauseEntries(reason: "x")
        }
        await #expect(throws: HostError.self) { _ = try await host.resume() }
        await #expect(throws: HostError.self) { _ = try await host.stop(flatten: false) }
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .x60))
        await #expect(throws: HostError.self) {
            _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .max))
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
        let host = ReplayEngineHost(dataDirectories: [Self.dataDir], batchSize: 512)
        _ = try await host.setContext(OperatorContext(bias: .riskOff, note: "operator test", setAt: Date(), setBy: "test"))
        _ = try await host.start(StartOptions(mode: .replay, source: .files([Self.file]), speed: .max))
        try await finished(host)
        let blocked = await host.signals(RecordQuery(limit: 100_000), outcome: .blocked)
        #expect(blocked.total > 0)
        #expect(blocked.items.allSatisfy { $0.reasons.contains("risk-off context: operator test") && $0.orderID == 0 })
        let trades = await host.trades(RecordQuery(limit: 100_000))
        #expect(trades.total == 0, "nothing may be entered while entries are blocked")
    }

    @Test func filesOutsideTheDataDirectoriesAreRefused() async throws {
        let host = ReplayEngineHost(dataDirectories: [Self.dataDir])
        for path in ["/etc/passwd", "../../etc/passwd", "missing.csv"] {
            await #expect(throws: HostError.self) {
                _ = try await host.start(StartOptions(mode: .replay, source: .files([path]), speed: .max))
            }
        }
        #expect(await host.status().state == .idle)
    }

    @Test func parametersAreVersionedAndRollbackMakesANewVersion() async throws {
        let host = ReplayEngineHost(dataDirectories: [Self.dataDir])
        let v2 = try await host.setParameters([ParameterValue(model: "ema_cross_rsi", name: "fast_period", value: .integer(9))],
                                              comment: "faster", by: "alice")
        #expect(v2.version == 2)
        await #expect(throws: HostError.self) {
            _ = try await host.setParameters([ParameterValue(model: "ema_cross_rsi", name: "notional", value: .number(-5))],
                                             comment: "", by: "alice")
        }
        let v3 = try await host.rollback(to: 1, comment: "undo", by: "bob")
        #expect(v3.version == 3 && v3.restoredFrom == 1)
        #expect(v3.parameters == (try await host.parameters(version: 1)).parameters)
        #expect(await host.parameterHistory().map(\.version) == [3, 2, 1])
    }
}
