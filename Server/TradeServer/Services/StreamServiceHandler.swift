import Foundation
import GRPCCore
import TradeAPI

/// tradeengine.v1.StreamService: each call is one bounded subscription to the
/// host's event bus, forwarded message by message. A lag marker from the bus
/// becomes a `Lag` message; a subscriber the bus cut off ends with
/// RESOURCE_EXHAUSTED; the bus closing (server shutdown) ends the stream with OK.
struct StreamServiceHandler: Tradeengine_V1_StreamService.SimpleServiceProtocol {
    let host: any EngineHosting
    let registry: StreamRegistry

    func watchSignals(request: Tradeengine_V1_WatchSignalsRequest, response: RPCWriter<Tradeengine_V1_WatchSignalsResponse>,
                      context: ServerContext) async throws {
        let filter = try await eventFilter(kinds: [.signal], model: request.model, symbol: request.symbol)
        try await forward(filter, to: response) { item in
            var m = Tradeengine_V1_WatchSignalsResponse()
            switch item {
            case .event(.signal(let s)): m.signal = RecordMapping.signal(s)
            case .lag(let n): m.lag.dropped = Int64(n)
            default: return nil
            }
            return m
        }
    }

    func watchTrades(request: Tradeengine_V1_WatchTradesRequest, response: RPCWriter<Tradeengine_V1_WatchTradesResponse>,
                     context: ServerContext) async throws {
        let filter = try await eventFilter(kinds: [.trade], model: request.model, symbol: request.symbol)
        try await forward(filter, to: response) { item in
            var m = Tradeengine_V1_WatchTradesResponse()
            switch item {
            case .event(.trade(let t)): m.trade = RecordMapping.trade(t)
            case .lag(let n): m.lag.dropped = Int64(n)
            default: return nil
            }
            return m
        }
    }

    func watchLogs(request: Tradeengine_V1_WatchLogsRequest, response: RPCWriter<Tradeengine_V1_WatchLogsResponse>,
                   context: ServerContext) async throws {
        var filter = EventFilter(kinds: [.log])
        filter.minLevel = try level(request.minLevel)
        filter.components = Set(request.components)
        try await forward(filter, to: response) { item in
            var m = Tradeengine_V1_WatchLogsResponse()
            switch item {
            case .event(.log(let l)): m.log = RecordMapping.log(l)
            case .lag(let n): m.lag.dropped = Int64(n)
            default: return nil
            }
            return m
        }
    }

    func watchStatus(request: Tradeengine_V1_WatchStatusRequest, response: RPCWriter<Tradeengine_V1_WatchStatusResponse>,
                     context: ServerContext) async throws {
        let interval = request.intervalSeconds == 0 ? 1 : request.intervalSeconds
        guard interval >= 0.1 && interval <= 60 else {
            throw RequestValidation.invalid("interval_seconds must be 0.1…60 (0 = 1), got \(request.intervalSeconds)")
        }
        // Snapshots are sampled from the host at the asked rate: one watcher's
        // interval costs the engine one status read, whatever the engine is doing.
        var first = Tradeengine_V1_WatchStatusResponse()
        first.status = StatusMapping.status(await host.status())
        try await response.write(first)
        var next = ContinuousClock.now + .milliseconds(Int(interval * 1000))
        while !Task.isCancelled && !registry.isShuttingDown {
            // Short naps, so shutdown ends this stream promptly whatever the interval.
            if ContinuousClock.now < next {
                try await Task.sleep(for: min(.milliseconds(200), next - ContinuousClock.now))
                continue
            }
            next = next + .milliseconds(Int(interval * 1000))
            var m = Tradeengine_V1_WatchStatusResponse()
            m.status = StatusMapping.status(await host.status())
            try await response.write(m)
        }
    }

    func watchAll(request: Tradeengine_V1_WatchAllRequest, response: RPCWriter<Tradeengine_V1_WatchAllResponse>,
                  context: ServerContext) async throws {
        var filter = try await eventFilter(kinds: [.signal, .trade, .log, .status], model: request.model, symbol: request.symbol)
        filter.minLevel = try level(request.minLevel)
        try await forward(filter, to: response) { item in
            var m = Tradeengine_V1_WatchAllResponse()
            switch item {
            case .event(.signal(let s)): m.signal = RecordMapping.signal(s)
            case .event(.trade(let t)): m.trade = RecordMapping.trade(t)
            case .event(.log(let l)): m.log = RecordMapping.log(l)
            case .event(.status(let s)): m.status = StatusMapping.status(s)
            case .lag(let n): m.lag.dropped = Int64(n)
            }
            return m
        }
    }

    // MARK: - Helpers

    private func eventFilter(kinds: Set<EventKind>, model: String, symbol: String) async throws(RPCError) -> EventFilter {
        let catalog = await host.catalog()
        var filter = EventFilter(kinds: kinds)
        if !model.isEmpty { filter.model = try RequestValidation.model(model, catalog: catalog, field: "model") }
        if !symbol.isEmpty {
            // A watcher may start before a run names its symbols: accept any
            // well-formed symbol then, and check against the run's otherwise.
            if catalog.symbols.isEmpty {
                guard symbol.allSatisfy({ $0.isUppercase || $0.isNumber }), symbol.count <= 20 else {
                    throw RequestValidation.invalid("symbol '\(symbol)' is not an exchange symbol such as BTCUSDT")
                }
                filter.symbol = symbol
            } else {
                filter.symbol = try RequestValidation.symbol(symbol, catalog: catalog, field: "symbol")
            }
        }
        return filter
    }

    private func level(_ l: Tradeengine_V1_LogLevel) throws(RPCError) -> LogRecord.Level {
        if l == .unspecified { return .info }
        guard let level = EnumMapping.level(l) else { throw RequestValidation.invalid("min_level \(l) is not a log level") }
        return level
    }

    private func forward<M: Sendable>(_ filter: EventFilter, to writer: RPCWriter<M>,
                                      _ map: @Sendable (BusItem) -> M?) async throws {
        let subscription = host.subscribe(filter)
        guard registry.register(subscription) else { return }
        defer {
            registry.unregister(subscription)
            subscription.cancel()
        }
        do {
            var items = subscription.makeAsyncIterator()
            while let batch = try await items.nextBatch(max: 1024) {
                let messages = batch.compactMap(map)
                if !messages.isEmpty { try await writer.write(contentsOf: messages) }
            }
        } catch let error as SlowSubscriberError {
            throw RPCError(code: .resourceExhausted, message: error.description)
        }
    }
}
