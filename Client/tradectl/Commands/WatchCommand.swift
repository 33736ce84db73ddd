import ArgumentParser
import Foundation
import GRPCCore
import Synchronization
import TradeAPI
import TradeClient

struct Watch: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow signals, trades, logs, status or all of them live; reconnects after a server restart.",
        discussion: """
        A watcher that falls behind is told how many events it missed ("lag"). If the connection drops (server
        restart, network), watch says so and reconnects with backoff (0.5 s doubling to 10 s) until stopped.
        With -o json, one JSON object per line.
        """)

    enum Kind: String, ExpressibleByArgument, CaseIterable { case signals, trades, logs, status, all }

    @OptionGroup var connection: ConnectionOptions
    @Argument(help: "What to watch: signals, trades, logs, status or all.")
    var kind: Kind = .all
    @Option(name: .long, help: "Only this model (signals, trades, all).")
    var model: String?
    @Option(name: .long, help: "Only this symbol (signals, trades, all).")
    var symbol: String?
    @Option(name: .long, help: "Lowest log level: debug, info, warning, error (logs, all).")
    var level = "info"
    @Option(name: .long, help: "Only this log component; repeatable (logs).")
    var component: [String] = []
    @Option(name: .long, help: "Seconds between status snapshots (status).")
    var interval: Double = 1
    @Option(name: .customLong("max-events"), help: "Exit after this many events (for scripts).")
    var maxEvents: Int?

    struct Done: Error {}

    func run() async throws {
        let settings: ConnectionSettings
        do {
            settings = try connection.settings()
            try CertificatePrecheck.check(settings)
        } catch { RPC.fail(error) }
        let minLevel: Tradeengine_V1_LogLevel
        switch level {
        case "debug": minLevel = .debug
        case "info": minLevel = .info
        case "warning": minLevel = .warning
        case "error": minLevel = .error
        default: throw ValidationError("--level must be debug, info, warning or error")
        }
        let sink = EventSink(json: connection.output == .json, maxEvents: maxEvents)
        var backoff = 0.5
        while true {
            let deliveredBefore = sink.delivered
            do {
                try await TradeEngineClient.with(settings) { engine in
                    try await stream(engine, minLevel: minLevel, sink: sink) {
                        if sink.markConnected() { Printer.note("reconnected to \(settings.server)") }
                    }
                }
                Printer.note("the server ended the stream (shutting down?); reconnecting in \(backoff) s")
            } catch is Done {
                return
            } catch let error as RPCError where [.permissionDenied, .invalidArgument, .failedPrecondition, .notFound].contains(error.code) {
                RPC.fail(ClientFailure.from(error, settings: settings))
            } catch {
                let failure = ClientFailure.from(error, settings: settings)
                Printer.note("connection lost: \(failure.description.split(separator: "\n").first ?? ""); reconnecting in \(backoff) s")
            }
            if sink.delivered > deliveredBefore { backoff = 0.5 }  // it worked for a while: start over
            try await Task.sleep(for: .milliseconds(Int(backoff * 1000)))
            backoff = min(backoff * 2, 10)
        }
    }

    /// One connection's stream; `onOpen` runs once the server accepted it.
    private func stream(_ engine: TradeEngineClient, minLevel: Tradeengine_V1_LogLevel, sink: EventSink,
                        onOpen: @escaping @Sendable () -> Void) async throws {
        let model = self.model ?? "", symbol = self.symbol?.uppercased() ?? ""
        switch kind {
        case .signals:
            var r = Tradeengine_V1_WatchSignalsRequest(); r.model = model; r.symbol = symbol
            try await engine.stream.watchSignals(r) { response in
                onOpen()
                for try await m in response.messages {
                    switch m.event {
                    case .signal(let s)?: try sink.emit(m, line: Render.signalLine(s))
                    case .lag(let l)?: try sink.lag(m, l.dropped)
                    case nil: break
                    }
                }
            }
        case .trades:
            var r = Tradeengine_V1_WatchTradesRequest(); r.model = model; r.symbol = symbol
            try await engine.stream.watchTrades(r) { response in
                onOpen()
                for try await m in response.messages {
                    switch m.event {
                    case .trade(let t)?: try sink.emit(m, line: Render.tradeLine(t))
                    case .lag(let l)?: try sink.lag(m, l.dropped)
                    case nil: break
                    }
                }
            }
        case .logs:
            var r = Tradeengine_V1_WatchLogsRequest(); r.minLevel = minLevel; r.components = component
            try await engine.stream.watchLogs(r) { response in
                onOpen()
                for try await m in response.messages {
                    switch m.event {
                    case .log(let l)?: try sink.emit(m, line: Render.log(l))
                    case .lag(let l)?: try sink.lag(m, l.dropped)
                    case nil: break
                    }
                }
            }
        case .status:
            var r = Tradeengine_V1_WatchStatusRequest(); r.intervalSeconds = interval
            try await engine.stream.watchStatus(r) { response in
                onOpen()
                for try await m in response.messages {
                    switch m.event {
                    case .status(let s)?: try sink.emit(m, line: Render.statusLine(s))
                    case .lag(let l)?: try sink.lag(m, l.dropped)
                    case nil: break
                    }
                }
            }
        case .all:
            var r = Tradeengine_V1_WatchAllRequest(); r.model = model; r.symbol = symbol; r.minLevel = minLevel
            try await engine.stream.watchAll(r) { response in
                onOpen()
                for try await m in response.messages {
                    switch m.event {
                    case .signal(let s)?: try sink.emit(m, line: Render.signalLine(s))
                    case .trade(let t)?: try sink.emit(m, line: Render.tradeLine(t))
                    case .log(let l)?: try sink.emit(m, line: Render.log(l))
                    case .status(let s)?: try sink.emit(m, line: Render.statusLine(s))
                    case .lag(let l)?: try sink.lag(m, l.dropped)
                    case nil: break
                    }
                }
            }
        }
    }
}

/// Prints stream events and counts them across reconnects.
final class EventSink: Sendable {
    let json: Bool
    let maxEvents: Int?
    private let count = Mutex(0)
    private let connections = Mutex(0)

    init(json: Bool, maxEvents: Int?) {
        self.json = json
        self.maxEvents = maxEvents
    }

    var delivered: Int { count.withLock { $0 } }

    /// Records a new connection; true if there was one before (a reconnect).
    func markConnected() -> Bool { connections.withLock { $0 += 1; return $0 > 1 } }

    func emit(_ message: some SwiftProtobufMessage, line: String) throws {
        json ? Printer.json(message) : Printer.write(line + "\n")
        let n = count.withLock { $0 += 1; return $0 }
        if let maxEvents, n >= maxEvents { throw Watch.Done() }
    }

    func lag(_ message: some SwiftProtobufMessage, _ dropped: Int64) throws {
        json ? Printer.json(message) : Printer.write("... \(dropped) events dropped: this watcher fell behind\n")
    }
}

import SwiftProtobuf
typealias SwiftProtobufMessage = SwiftProtobuf.Message
