import ArgumentParser
import Foundation
import TradeAPI

struct Start: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Start a run (operator).",
        discussion: """
            Examples:
              tradectl start --data BTCUSDT-1m-20250101-20250204.csv --speed 60x
              tradectl start --mode paper --venue binance --symbols BTCUSDT,ETHUSDT
              tradectl start --mode live --venue binance --symbols BTCUSDT --confirm-live   (admin; real orders)
            """)

    @OptionGroup var connection: ConnectionOptions

    @Option(name: .long, help: "replay, paper-on-replay, paper (a venue's live candles, paper fills) or live (real orders on the venue account; admin).")
    var mode: String = "replay"

    @Flag(name: .customLong("confirm-live"), help: "Live mode: confirm that real orders go to the venue with the account's money.")
    var confirmLive = false

    @Option(name: .long, help: "Paper mode: the venue whose live candles to trade on (binance or bybit).")
    var venue: String?

    @Option(name: .long, help: ArgumentHelp("Paper mode: comma-separated venue symbols.", valueName: "SYMBOLS"))
    var symbols: String?

    @Option(name: .long, help: ArgumentHelp("Paper mode: the venue's REST base URL (default: the real venue).", valueName: "URL"))
    var endpoint: String?

    @Flag(name: .long, help: "Paper mode: the venue's testnet instead of its real endpoint.")
    var testnet = false

    @Option(name: .long, help: ArgumentHelp("Candle file on the server, relative to its --data-dir; repeat per symbol.", valueName: "FILE"))
    var data: [String] = []

    @Option(name: .long, help: ArgumentHelp("Symbols from the server's candle store instead of files; repeatable.", valueName: "SYMBOL"))
    var store: [String] = []

    @Option(name: .long, help: "Store interval when --store is used.")
    var interval = "1m"

    @Option(name: .long, help: "Replay speed: 1x, 60x or max (not for paper mode, which goes at the market's pace).")
    var speed: String?

    @Option(name: .customLong("model"), help: ArgumentHelp("Model to enable; repeatable (default: all).", valueName: "NAME"))
    var models: [String] = []

    @Option(name: .long, help: ArgumentHelp("Replay from this time (Unix ms or UTC date/time).", valueName: "TIME"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Replay up to this time (exclusive).", valueName: "TIME"))
    var to: String?

    func run() async throws {
        var request = Tradeengine_V1_StartRequest()
        switch mode {
        case "replay": request.mode = .replay
        case "paper-on-replay": request.mode = .paperOnReplay
        case "paper": request.mode = .paper
        case "live": request.mode = .live
        default: throw ValidationError("--mode must be replay, paper-on-replay, paper or live")
        }
        if request.mode == .live && !confirmLive {
            throw ValidationError("live mode sends real orders with the account's money: add --confirm-live")
        }
        if request.mode != .live && confirmLive { throw ValidationError("--confirm-live is for --mode live") }
        request.confirmLive = confirmLive
        // Paper and live both trade a venue's live candles.
        let paper = request.mode == .paper || request.mode == .live
        if paper, speed != nil { throw ValidationError("a paper run goes at the market's pace: leave out --speed") }
        switch (speed ?? (paper ? "" : "max")).lowercased() {
        case "": break
        case "1x", "1": request.speed = .realtime
        case "60x", "60": request.speed = .x60
        case "max": request.speed = .max
        default: throw ValidationError("--speed must be 1x, 60x or max")
        }
        if !paper, venue != nil || symbols != nil || endpoint != nil || testnet {
            throw ValidationError("--venue, --symbols, --endpoint and --testnet are for --mode paper")
        }
        if !data.isEmpty && !store.isEmpty { throw ValidationError("give --data files or --store symbols, not both") }
        if paper {
            guard data.isEmpty, store.isEmpty else { throw ValidationError("paper mode takes a venue's live candles: give --venue and --symbols, not --data or --store") }
            guard let venue else { throw ValidationError("paper mode needs --venue binance or --venue bybit") }
            let list = (symbols ?? "").split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces).uppercased() }.filter { !$0.isEmpty }
            guard !list.isEmpty else { throw ValidationError("paper mode needs --symbols, e.g. --symbols BTCUSDT,ETHUSDT") }
            if endpoint != nil && testnet { throw ValidationError("give --endpoint or --testnet, not both") }
            request.venue.venue = venue.lowercased()
            request.venue.symbols = list
            request.venue.endpoint = endpoint ?? ""
            request.venue.testnet = testnet
        } else if !data.isEmpty {
            request.files.paths = data
        } else if !store.isEmpty {
            request.store.symbols = store.map { $0.uppercased() }
            request.store.interval = interval
        } else {
            throw ValidationError("give --data FILE (a candle file on the server) or --store SYMBOL")
        }
        request.models = models
        if let from { request.from = try timestamp(from, "--from") }
        if let to { request.to = try timestamp(to, "--to") }
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.start(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Stop: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Stop the run (operator).")
    @OptionGroup var connection: ConnectionOptions
    @Flag(name: .long, help: "Close every position before stopping.")
    var flatten = false

    func run() async throws {
        var request = Tradeengine_V1_StopRequest()
        request.flatten = flatten
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.stop(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Pause: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Block new entries; exits still happen (operator).")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Why.")
    var reason = ""

    func run() async throws {
        var request = Tradeengine_V1_PauseEntriesRequest()
        request.reason = reason
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.pauseEntries(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Resume: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Lift a pause or a halt (operator).")
    @OptionGroup var connection: ConnectionOptions

    func run() async throws {
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.resume(Tradeengine_V1_ResumeRequest(), options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Halt: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Kill switch: flatten everything and block entries until resumed (operator).")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Why the kill switch is pulled (required).")
    var reason: String

    func run() async throws {
        var request = Tradeengine_V1_HaltRequest()
        request.reason = reason
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.halt(request, options: .unary)
            output == .json ? Printer.json(response) : Printer.write(Render.status(response.status))
        }
    }
}

struct Flatten: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Close positions at market without blocking entries (operator).")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "Only this symbol (default: all).")
    var symbol: String?

    func run() async throws {
        var request = Tradeengine_V1_FlattenRequest()
        request.symbol = symbol?.uppercased() ?? ""
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.flatten(request, options: .unary)
            if output == .json { Printer.json(response); return }
            Printer.write(response.symbols.isEmpty ? "no open positions\n"
                          : "closing \(response.symbols.joined(separator: ", ")) at the next bar\n")
        }
    }
}

struct SetContext: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "context",
        abstract: "Set the operator's market context (operator); risk-off blocks new entries while it lasts.")
    @OptionGroup var connection: ConnectionOptions
    @Option(name: .long, help: "risk-on, neutral or risk-off.")
    var bias: String
    @Option(name: .long, help: "A note for the other operators.")
    var note = ""
    @Option(name: .customLong("expires-in"), help: ArgumentHelp("Lapse back to neutral after this many minutes.", valueName: "MINUTES"))
    var expiresIn: Double?

    func run() async throws {
        var request = Tradeengine_V1_SetContextRequest()
        switch bias {
        case "risk-on": request.bias = .riskOn
        case "neutral": request.bias = .neutral
        case "risk-off": request.bias = .riskOff
        default: throw ValidationError("--bias must be risk-on, neutral or risk-off")
        }
        request.note = note
        if let expiresIn {
            guard expiresIn > 0 else { throw ValidationError("--expires-in must be positive") }
            request.expiresAt = .init(date: .now.addingTimeInterval(expiresIn * 60))
        }
        let output = connection.output
        try await RPC.run(connection) { engine in
            let response = try await engine.control.setContext(request, options: .unary)
            output == .json ? Printer.json(response)
                : Printer.write("context: \(Format.name(response.context.bias)) set by \(response.context.setBy)\(response.context.note.isEmpty ? "" : " — \(response.context.note)")\n")
        }
    }
}
