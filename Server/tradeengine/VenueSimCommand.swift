import ArgumentParser
import Foundation
import TradeCore
import TradeVenueSim
import TradeVenues

struct VenueSimCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "venue-sim",
        abstract: "An exchange simulator speaking Binance Spot's REST and market-stream protocols over replayed candles, on loopback.",
        discussion: """
        Replays 1-minute candle files as the venue's market (market time runs from --start at --speed times the
        wall clock, or at max as fast as the stream clients read) and serves /api/v3/… on --listen: ping, time, exchangeInfo (PRICE_FILTER, LOT_SIZE, NOTIONAL),
        klines, order (POST, GET, DELETE), openOrders, myTrades, account — signed requests checked as Binance
        checks them (X-MBX-APIKEY, HMAC-SHA256 over the query and body, timestamp within recvWindow), with
        Binance's error codes, request weights in X-MBX-USED-WEIGHT-1M, 429 with Retry-After and then 418 bans;
        and on the same port the kline streams (/ws/<symbol>@kline_1m, /stream?streams=…, live SUBSCRIBE),
        each candle pushed when it closes ("x": true). --venue bybit serves Bybit v5 spot REST instead (/v5/market/time,
        instruments-info, kline; /v5/order/create, cancel, realtime, history; /v5/execution/list;
        /v5/account/wallet-balance) signed with X-BAPI-* headers, Bybit's retCodes, an orderLinkId never reusable, and
        the public kline topic (kline.1.BTCUSDT, "confirm": true) on /v5/public/spot.
        --faults FILE injects a seeded fault schedule (see FaultSchedule: latency, 5xx, timeouts, rate-limit storms,
        lost acknowledgements, clock skew, stream disconnects, a stale feed, duplicated and reordered messages).
        User data: Binance's WebSocket API on /ws-api/v3 (userDataStream.subscribe.signature, then executionReport and
        outboundAccountPosition pushes), Bybit's /v5/private (auth, then the order, execution and wallet topics).
        --speed max moves the market a bar as soon as every kline-stream client has been sent the last.
        Prints "listening on HOST:PORT" once ready.
        Example: tradeengine venue-sim --data BTCUSDT-1m.csv --account key:secret:USDT=100000,BTC=0 --listen 127.0.0.1:0
        """)

    @Option(name: .long, help: "Venue protocol to speak: binance or bybit (v5 spot REST).")
    var venue = "binance"
    @Option(name: .long, help: ArgumentHelp("1-minute candle file; repeat for several symbols.", valueName: "FILE"))
    var data: [String] = []
    @Option(name: .long, help: ArgumentHelp("Market speed: 1x, 60x or any Nx (market minutes per wall minute), or max: a bar as soon as every kline-stream client has read the last (REST alone does not move it).", valueName: "Nx|max"))
    var speed = "1x"
    @Option(name: .long, help: "Market time at start: Unix ms or UTC date/time (default: 1,000 bars into the data, so klines have history).")
    var start: String?
    @Option(name: .long, help: ArgumentHelp("Address to bind (port 0: any free port).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:8910"
    @Option(name: .long, help: ArgumentHelp("An account: API key, secret and balances (default 100000 USDT); repeatable.", valueName: "KEY:SECRET[:USDT=100000,BTC=0]"))
    var account: [String] = []
    @Option(name: .customLong("weight-limit"), help: "Request weight per minute before 429 (Binance: 6000).")
    var weightLimit = 6_000
    @Option(name: .customLong("maker-bps"), help: "Maker fee in basis points.")
    var makerBps: Int64 = 10
    @Option(name: .customLong("taker-bps"), help: "Taker fee in basis points.")
    var takerBps: Int64 = 10
    @Option(name: .long, help: "Share of a candle's volume one order can fill (partial fills beyond it).")
    var participation = 0.1
    @Option(name: .long, help: ArgumentHelp("A fault schedule (JSON): latency, server_error, timeout, rate_limit_storm, lost_ack, clock_skew, disconnect, stale_feed, duplicate, out_of_order.", valueName: "FILE"))
    var faults: String?
    @Option(name: .long, help: "Seed of the fault schedule's draws (overrides the file's).")
    var seed: UInt64?

    func run() async throws {
        guard venue == "binance" || venue == "bybit" else { throw ValidationError("--venue must be binance or bybit; got \(venue)") }
        let pace = try Self.pace(speed)
        guard (1...1_000_000).contains(weightLimit) else { throw ValidationError("--weight-limit must be 1…1000000") }
        guard (0...1_000).contains(makerBps), (0...1_000).contains(takerBps) else { throw ValidationError("fees must be 0…1000 bps") }
        guard participation > 0, participation <= 1 else { throw ValidationError("--participation must be in (0, 1]") }
        guard !data.isEmpty else { throw ValidationError("give at least one --data FILE") }
        let accounts = try account.map { text in
            guard let a = SimAccount.parse(text) else { throw ValidationError("--account must be KEY:SECRET[:ASSET=AMOUNT,…]; got \(text.split(separator: ":").first ?? "")…") }
            return a
        }
        guard Set(accounts.map(\.key)).count == accounts.count else { throw ValidationError("an --account key is given twice") }
        var series: [ReplayedMarket.Series] = []
        for path in data {
            let file: CandleFile
            do { file = try CandleFileReader.read(path: path) } catch { throw CommandFailure(error.description) }
            guard file.interval == .m1 else { throw CommandFailure("\(path) has \(file.interval) candles; the simulator replays 1-minute candles") }
            guard !series.contains(where: { $0.rules.symbol == file.symbol }) else { throw ValidationError("\(file.symbol) is given twice") }
            series.append(.init(rules: .spot(file.symbol), candles: file.candles))
        }
        let first = series.map { $0.candles[min(1_000, $0.candles.count - 1)].openTime }.max()!
        let marketStart = try start.map(TimeArgument.parse) ?? first
        let (host, port) = try Self.address(listen)
        let wallStart = Int64(Date().timeIntervalSince1970 * 1000)
        var exchange = SimulatedExchange(market: ReplayedMarket(series: series, start: marketStart, wallStart: wallStart, pace: pace),
                                         accounts: accounts, clientIDPolicy: venue == "bybit" ? .uniqueForever : .uniqueAmongOpen)
        exchange.makerBps = makerBps
        exchange.takerBps = takerBps
        exchange.participation = participation
        var schedule = FaultSchedule.none
        if let faults {
            let bytes = try readFile(faults)
            do { schedule = try FaultSchedule.parse(bytes) } catch { throw CommandFailure("\(faults): \(error.description)") }
        }
        if let seed { schedule.seed = seed }
        let core = VenueCore(exchange: exchange, weightLimit: weightLimit, faults: schedule, faultsStart: wallStart) {
            Int64(Date().timeIntervalSince1970 * 1000)
        }
        let rest: @Sendable (VenueRequest) -> VenueResponse
        let storm: VenueResponse
        let streams: [any StreamService]
        if venue == "bybit" {
            let api = BybitAPI(core: core)
            (rest, storm, streams) = ({ api.respond($0) }, BybitAPI.stormResponse, [BybitStreams(core: core), BybitPrivateStream(core: core)])
        } else {
            let api = BinanceAPI(core: core)
            (rest, storm, streams) = ({ api.respond($0) }, BinanceAPI.stormResponse, [BinanceStreams(core: core), BinanceUserDataStream(core: core)])
        }
        try await VenueSimServer.run(core: core, rest: rest, storm: storm, streams: streams, host: host, port: port) { host, port in
            FileHandle.standardOutput.write(Data("listening on \(host):\(port)\n".utf8))
        }
    }

    /// `Nx` (market minutes per wall minute) or `max` (as fast as the stream clients read).
    static func pace(_ text: String) throws -> ReplayedMarket.Pace {
        if text == "max" { return .readers }
        guard text.hasSuffix("x"), let factor = Double(text.dropLast()), factor > 0, factor <= 1_000_000 else {
            throw ValidationError("--speed must be Nx with 0 < N ≤ 1000000 (1x, 60x) or max; got \(text)")
        }
        return .wall(speed: factor)
    }

    static func address(_ text: String) throws -> (String, Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65_535).contains(port) else {
            throw ValidationError("--listen must be HOST:PORT; got \(text)")
        }
        let host = String(text[..<colon]).trimmingCharacters(in: CharacterSet(charactersIn: "[]"))
        guard !host.isEmpty else { throw ValidationError("--listen must name a host; got \(text)") }
        return (host, port)
    }
}
