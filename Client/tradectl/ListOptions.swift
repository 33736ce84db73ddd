import ArgumentParser
import SwiftProtobuf
import TradeAPI
import TradeClient

/// Paging and filter flags of the list commands.
struct ListOptions: ParsableArguments {
    @Option(name: .customLong("page-size"), help: "Items per page (1–1000).")
    var pageSize: Int32 = 50

    @Option(name: .customLong("page-token"), help: "Continue from a previous page's next token.")
    var pageToken: String?

    @Flag(name: .long, help: "Follow every page to the end.")
    var all = false

    @Option(name: .long, help: ArgumentHelp("From this time (inclusive): Unix ms or UTC date/time.", valueName: "TIME"))
    var from: String?

    @Option(name: .long, help: ArgumentHelp("Up to this time (exclusive).", valueName: "TIME"))
    var to: String?

    @Option(name: .long, help: "Only this symbol, e.g. BTCUSDT.")
    var symbol: String?

    @Option(name: .long, help: "Only this model, e.g. ema_cross_rsi.")
    var model: String?

    func page(token: String? = nil) -> Tradeengine_V1_PageRequest {
        var p = Tradeengine_V1_PageRequest()
        p.pageSize = pageSize
        p.pageToken = token ?? pageToken ?? ""
        return p
    }

    func filter() throws -> Tradeengine_V1_ListFilter? {
        guard from != nil || to != nil || symbol != nil || model != nil else { return nil }
        var f = Tradeengine_V1_ListFilter()
        if let from { f.from = try timestamp(from, "--from") }
        if let to { f.to = try timestamp(to, "--to") }
        if let symbol { f.symbol = symbol.uppercased() }
        if let model { f.model = model }
        return f
    }

    /// Fetches pages (one, or all with --all) and hands each to `print`.
    func collect<R>(_ fetch: (Tradeengine_V1_PageRequest) async throws -> R, next: (R) -> String,
                    print: (R) -> Void) async throws {
        var token: String? = nil
        repeat {
            let response = try await fetch(page(token: token))
            print(response)
            let n = next(response)
            if !all {
                if !n.isEmpty { Printer.note("more: --page-token \(n)  (or --all)") }
                return
            }
            token = n.isEmpty ? nil : n
        } while token != nil
    }
}

func timestamp(_ text: String, _ flag: String) throws -> Google_Protobuf_Timestamp {
    guard let date = TimeText.parse(text) else {
        throw ValidationError("\(flag) '\(text)': give Unix milliseconds or a UTC date such as 2025-01-05 or 2025-01-05T12:30:00Z")
    }
    return Google_Protobuf_Timestamp(date: date)
}
