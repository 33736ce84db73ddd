import ArgumentParser
import TradeAPI

struct Status: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mode, clock, uptime, equity, PnL, positions, kill switch, models.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.getStatus(Tradeengine_V1_GetStatusRequest(), options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Models: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The engine's models and their state.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.listModels(Tradeengine_V1_ListModelsRequest(), options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.models(response.models))
        }
    }
}

struct Positions: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Open positions at the latest marks.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Only this symbol.")
    var symbol: String?

    func run() async throws {
        var request = Tradeengine_V1_ListPositionsRequest()
        request.symbol = symbol?.uppercased() ?? ""
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.listPositions(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.positions(response.positions))
        }
    }
}

struct Orders: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Orders, newest run's, oldest first.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions
    @Option(name: .long, help: "Only these statuses: open, partially-filled, filled, cancelled, rejected; repeatable.")
    var status: [String] = []

    func run() async throws {
        var statuses: [Tradeengine_V1_OrderStatus] = []
        for s in status {
            switch s {
            case "open": statuses.append(.open)
            case "partially-filled": statuses.append(.partiallyFilled)
            case "filled": statuses.append(.filled)
            case "cancelled": statuses.append(.cancelled)
            case "rejected": statuses.append(.rejected)
            default: throw ValidationError("--status \(s): use open, partially-filled, filled, cancelled or rejected")
            }
        }
        let filter = try list.filter()
        let (output, list) = (connection.output, self.list)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListOrdersRequest()
                request.page = page
                if let filter { request.filter = filter }
                request.statuses = statuses
                return try await engine.query.listOrders(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.orders(r.orders))
            }
        }
    }
}

struct Trades: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Fills, oldest first.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions

    func run() async throws {
        let filter = try list.filter()
        let (output, list) = (connection.output, self.list)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListTradesRequest()
                request.page = page
                if let filter { request.filter = filter }
                return try await engine.query.listTrades(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.trades(r.trades))
            }
        }
    }
}

struct Signals: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Signals with the resolver's outcome and every reason.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions
    @Option(name: .long, help: "Only accepted, rejected or blocked.")
    var outcome: String?

    func run() async throws {
        var wanted = Tradeengine_V1_SignalOutcome.unspecified
        switch outcome {
        case nil: break
        case "accepted": wanted = .accepted
        case "rejected": wanted = .rejected
        case "blocked": wanted = .blocked
        case "resized": wanted = .resized
        case "vetoed": wanted = .vetoed
        default: throw ValidationError("--outcome must be accepted, resized, vetoed, rejected or blocked")
        }
        let filter = try list.filter()
        let (output, list) = (connection.output, self.list)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListSignalsRequest()
                request.page = page
                if let filter { request.filter = filter }
                request.outcome = wanted
                return try await engine.query.listSignals(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.signals(r.signals))
            }
        }
    }
}

struct Performance: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "performance", abstract: "Per-model performance of the run.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Only this model.")
    var model: String?

    func run() async throws {
        var request = Tradeengine_V1_GetPerformanceRequest()
        request.model = model ?? ""
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.getPerformance(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.performance(response.models))
        }
    }
}

struct Risk: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Exposure, VaR/CVaR, budgets left, cooldowns, kill switch.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.getRisk(Tradeengine_V1_GetRiskRequest(), options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.risk(response.risk))
        }
    }
}

struct Audit: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The audit log of control calls, newest first.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions
    @Option(name: .long, help: "Only calls by this certificate name.")
    var caller: String?
    @Option(name: .long, help: "Only this method, e.g. Halt.")
    var method: String?

    func run() async throws {
        let filter = try list.filter()
        let (output, list) = (connection.output, self.list)
        let (caller, method) = (self.caller, self.method)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListAuditLogRequest()
                request.page = page
                if let filter { request.filter = filter }
                request.caller = caller ?? ""
                request.method = method ?? ""
                return try await engine.query.listAuditLog(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.audit(r.entries))
            }
        }
    }
}

struct Candles: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Candles the engine has seen (give --symbol).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions

    func run() async throws {
        let filter = try list.filter()
        let (output, list) = (connection.output, self.list)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListCandlesRequest()
                request.page = page
                if let filter { request.filter = filter }
                return try await engine.query.listCandles(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.candles(r.candles))
            }
        }
    }
}

struct Health: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The standard gRPC health check.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Service name (default: the whole server).")
    var service = ""

    func run() async throws {
        var request = Grpc_Health_V1_HealthCheckRequest()
        request.service = service
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.health.check(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write("\(Format.name(response.status))\n")
        }
    }
}

struct Runs: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The runs the engine's database holds, newest first.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions

    func run() async throws {
        let (output, list) = (connection.output, self.list)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListRunsRequest()
                request.page = page
                return try await engine.query.listRuns(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.runs(r.runs))
            }
        }
    }
}

struct Venues: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "The run's venue connections (paper mode): feed state and every endpoint's breaker.")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.query.listVenues(Tradeengine_V1_ListVenuesRequest(), options: .unary)
            output == .json ? Printer.json(response) : Printer.write(response.venues.isEmpty ? "no venue connections (the run is a replay, or none is running)\n" : Render.venues(response.venues))
        }
    }
}

struct Breakers: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Circuit-breaker transitions of a run (default: the current one).")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var list: ListOptions
    @Option(name: .long, help: "A run id from `tradectl runs` (default: the current run).")
    var run: Int64 = 0

    func run() async throws {
        let filter = try list.filter()
        let (output, list, run) = (connection.output, self.list, self.run)
        try await RPC.run(connection) { engine in
            try await list.collect({ page in
                var request = Tradeengine_V1_ListBreakerTransitionsRequest()
                request.page = page
                if let filter { request.filter = filter }
                request.run = run
                return try await engine.query.listBreakerTransitions(request, options: .unary)
            }, next: \.page.nextPageToken) { r in
                output == .json ? Printer.json(r) : Printer.write(Render.breakers(r.transitions))
            }
        }
    }
}
