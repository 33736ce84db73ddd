import ArgumentParser
import Foundation
import GRPCCore
import Synchronization
import TradeAPI
import TradeClient

struct Top: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A live dashboard: equity and PnL, models and breakers, budgets, positions, latest signals, health.",
        discussion: """
        Full screen, refreshed in place from the status and signal streams (positions and budgets are read every
        --interval). Works over SSH. q or Ctrl-C quits and puts the terminal back. If the connection drops it says
        so and reconnects with backoff (0.5 s doubling to 10 s).
        """)

    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Seconds between refreshes of status, positions and budgets.")
    var interval: Double = 1

    func run() async throws {
        guard interval >= 0.1 && interval <= 60 else { throw ValidationError("--interval must be 0.1…60 seconds") }
        let settings: ConnectionSettings
        do {
            settings = try connection.settings()
            try CertificatePrecheck.check(settings)
        } catch { RPC.fail(error) }
        let terminal = Terminal()
        let board = Board(Dashboard(server: settings.server))
        let redraw: @Sendable () -> Void = { terminal.draw(board.state.withLock { $0.lines() }) }
        terminal.enter()
        redraw()
        // Keys are read on a thread of their own (a blocking read), and end the view.
        let (quit, pressed) = AsyncStream.makeStream(of: Void.self)
        Thread { terminal.waitForQuit(); pressed.yield(); pressed.finish() }.start()
        let interval = self.interval
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for await _ in quit { return } }
            group.addTask { await Self.follow(settings, interval: interval, board: board, redraw: redraw) }
            await group.next()
            group.cancelAll()
        }
        terminal.leave()
        // The streams' connection may take a while to wind down: the user asked to leave now.
        Foundation.exit(0)
    }

    /// Connects, follows the streams and polls, and reconnects when the connection drops.
    static func follow(_ settings: ConnectionSettings, interval: Double, board: Board,
                       redraw: @escaping @Sendable () -> Void) async {
        var backoff = 0.5
        while !Task.isCancelled {
            do {
                try await TradeEngineClient.with(settings) { engine in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            var r = Tradeengine_V1_WatchStatusRequest(); r.intervalSeconds = interval
                            try await engine.stream.watchStatus(r) { response in
                                for try await m in response.messages {
                                    guard case .status(let s)? = m.event else { continue }
                                    board.state.withLock { $0.status = s; $0.connection = "connected to \(settings.server)"; $0.updated = Date() }
                                    redraw()
                                }
                            }
                        }
                        group.addTask {
                            try await engine.stream.watchSignals(Tradeengine_V1_WatchSignalsRequest()) { response in
                                for try await m in response.messages {
                                    guard case .signal(let s)? = m.event else { continue }
                                    board.state.withLock { $0.add(s) }
                                }
                            }
                        }
                        group.addTask {
                            // The latest signals from before we connected, then positions and budgets each interval.
                            var recent = Tradeengine_V1_ListSignalsRequest(); recent.page.pageSize = Int32(Dashboard.signalsKept)
                            let latest = try await engine.query.listSignals(recent, options: .unary).signals
                            board.state.withLock { b in if b.signals.isEmpty { b.signals = Array(latest.suffix(Dashboard.signalsKept)) } }
                            while !Task.isCancelled {
                                let positions = try await engine.query.listPositions(Tradeengine_V1_ListPositionsRequest(), options: .unary)
                                let risk = try await engine.query.getRisk(Tradeengine_V1_GetRiskRequest(), options: .unary)
                                board.state.withLock { $0.positions = positions.positions; $0.risk = risk.risk }
                                redraw()
                                try await Task.sleep(for: .milliseconds(Int(interval * 1000)))
                            }
                        }
                        try await group.next()
                        group.cancelAll()
                    }
                }
                board.state.withLock { $0.connection = "the server ended the streams; reconnecting in \(backoff) s" }
            } catch {
                if Task.isCancelled { return }
                let failure = ClientFailure.from(error, settings: settings)
                let line = failure.description.split(separator: "\n").first.map(String.init) ?? "\(error)"
                board.state.withLock { $0.connection = "connection lost, reconnecting in \(backoff) s: \(line)" }
            }
            redraw()
            try? await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
            backoff = min(backoff * 2, 10)
        }
    }
}

/// The dashboard shared by the stream tasks and the drawing.
final class Board: Sendable {
    let state: Mutex<Dashboard>
    init(_ d: Dashboard) { state = Mutex(d) }
}
