import Foundation
import GRPCCore
import SwiftProtobuf
import Testing
import TradeAPI
import TradeCore
import TradeSecurity
@testable import TradeServer

/// The gRPC services on their own, over a fake host: bad requests are refused
/// with the field and what would be right, and never reach the host; good ones
/// reach it exactly as asked; the host's refusals come back as the right codes.
@Suite struct ServiceHandlerTests {
    let host = FakeHost()
    var control: ControlServiceHandler {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("revoked-\(UUID().uuidString)").path
        return ControlServiceHandler(host: host, revocations: RevocationAdmin(path: dir, watcher: try! RevocationWatcher(path: dir)))
    }
    var query: QueryServiceHandler { QueryServiceHandler(host: host, audit: InMemoryAuditLog()) }
    let context = ServerContext(descriptor: MethodDescriptor(fullyQualifiedService: "tradeengine.v1.Test", method: "Call"),
                                remotePeer: "ipv4:127.0.0.1:1", localPeer: "ipv4:127.0.0.1:2", cancellation: .init())

    /// `body` fails with `code` and a message containing `message`.
    func refused(_ code: RPCError.Code, _ message: String, _ body: () async throws -> Void) async {
        do {
            try await body()
            Issue.record("accepted; expected \(code): \(message)")
        } catch let error as RPCError {
            #expect(error.code == code && error.message.contains(message), "\(error.code): \(error.message)")
        } catch {
            Issue.record("\(error)")
        }
    }

    @Test func badStartRequestsAreRefusedAndNeverReachTheHost() async throws {
        var noMode = Tradeengine_V1_StartRequest()
        noMode.files.paths = ["BTCUSDT.csv"]
        noMode.speed = .max
        var noSource = Tradeengine_V1_StartRequest()
        noSource.mode = .replay
        noSource.speed = .max
        var noPaths = noSource
        noPaths.files = Tradeengine_V1_DataFiles()
        var noSpeed = noSource
        noSpeed.speed = .unspecified
        noSpeed.files.paths = ["BTCUSDT.csv"]
        var noSymbols = Tradeengine_V1_StartRequest()
        noSymbols.mode = .paper
        noSymbols.venue.venue = "binance"
        var badFrom = noSource
        badFrom.files.paths = ["BTCUSDT.csv"]
        badFrom.from = Google_Protobuf_Timestamp(seconds: 5, nanos: 1_000_000_000)
        for (request, message) in [(noMode, "mode is required"), (noSource, "a source is required"), (noPaths, "files.paths is empty"),
                                   (noSpeed, "speed is required"), (noSymbols, "venue.symbols is empty"), (badFrom, "from is not a valid timestamp")] {
            await refused(.invalidArgument, message) { _ = try await control.start(request: request, context: context) }
        }
        #expect(await host.calls.isEmpty, "nothing reached the host")
    }

    @Test func aGoodStartReachesTheHostAsAsked() async throws {
        var request = Tradeengine_V1_StartRequest()
        request.mode = .paper
        request.venue.venue = "bybit"
        request.venue.symbols = ["BTCUSDT", "ETHUSDT"]
        request.venue.endpoint = "http://127.0.0.1:9"
        request.from = Google_Protobuf_Timestamp(seconds: 1_735_689_600)
        var status = EngineStatusSnapshot()
        status.state = .running
        status.candlesProcessed = 7
        await host.set(status: status)
        let response = try await control.start(request: request, context: context)
        #expect(response.status.state == .running && response.status.candlesProcessed == 7)
        let started = try #require(await host.started)
        #expect(started.mode == .paper && started.speed == .realtime && started.from == 1_735_689_600_000)
        guard case .venue(let v) = started.source else { Issue.record("source \(started.source)"); return }
        #expect(v.venue == "bybit" && v.symbols == ["BTCUSDT", "ETHUSDT"] && v.endpoint == "http://127.0.0.1:9" && !v.testnet)
    }

    @Test func theHostsRefusalsComeBackAsTheirCodesWithTheReason() async throws {
        for (failure, code) in [(HostError.failedPrecondition("nothing to pause: the engine is idle"), RPCError.Code.failedPrecondition),
                                (.invalidArgument("unknown model 'x'"), .invalidArgument), (.notFound("no version 9"), .notFound),
                                (.unavailable("the database refused a write"), .unavailable)] {
            await host.set(failure: failure)
            await refused(code, "\(failure)".split(separator: ":").last.map(String.init)?.trimmingCharacters(in: .whitespaces) ?? "") {
                _ = try await control.pauseEntries(request: .init(), context: context)
            }
        }
        #expect(await host.calls.count == 4)
    }

    @Test func aHaltNeedsAReasonAndCarriesTheCaller() async throws {
        await refused(.invalidArgument, "reason is required") { _ = try await control.halt(request: .init(), context: context) }
        #expect(await host.calls.isEmpty)
        var request = Tradeengine_V1_HaltRequest()
        request.reason = "  drill  "
        try await CallerIdentity.$current.withValue(PeerIdentity(commonName: "ops", role: .operator, serial: "01")) {
            _ = try await control.halt(request: request, context: context)
        }
        #expect(await host.calls == ["halt(drill (ops))"])
    }

    @Test func listOrdersValidatesPagingAndFiltersThenPagesThroughTheHost() async throws {
        let orders = (1...5).map { i in
            OrderRecord(order: Order(id: Int64(i), clientOrderID: "c\(i)", symbol: 0, side: .buy, type: .market, quantity: Quantity(raw: 100),
                                     reason: "r", submittedAt: Int64(i) * 60_000, submittedBarIndex: i),
                        symbol: "BTCUSDT", model: "aggressive")
        }
        await host.set(orders: orders)
        var request = Tradeengine_V1_ListOrdersRequest()
        request.page.pageSize = 0
        await refused(.invalidArgument, "page.page_size must be 1…1000") { _ = try await query.listOrders(request: request, context: context) }
        request.page.pageSize = 2
        request.page.pageToken = "not-a-token"
        await refused(.invalidArgument, "page.page_token") { _ = try await query.listOrders(request: request, context: context) }
        request.page.pageToken = ""
        request.filter.symbol = "DOGEUSDT"
        await refused(.invalidArgument, "BTCUSDT, ETHUSDT") { _ = try await query.listOrders(request: request, context: context) }
        #expect(await host.calls.isEmpty, "no bad query reached the host")

        request.filter.symbol = "BTCUSDT"
        var seen: [String] = []
        repeat {
            let page = try await query.listOrders(request: request, context: context)
            seen += page.orders.map(\.clientOrderID)
            #expect(page.page.totalCount == 5)
            request.page.pageToken = page.page.nextPageToken
        } while !request.page.pageToken.isEmpty
        #expect(seen == ["c1", "c2", "c3", "c4", "c5"])
        #expect(await host.calls == ["orders(offset=0 limit=2 symbol=BTCUSDT statuses=[])", "orders(offset=2 limit=2 symbol=BTCUSDT statuses=[])",
                                     "orders(offset=4 limit=2 symbol=BTCUSDT statuses=[])"])
    }
}
