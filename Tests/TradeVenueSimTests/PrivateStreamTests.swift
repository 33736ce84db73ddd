import TradeVenues
import Foundation
import Testing
import TradeCore
@testable import TradeVenueSim

/// The private (user-data) streams: logging in, subscribing, what is pushed
/// and in what order, and the refusals — for Binance's WebSocket API and
/// Bybit's private topics. (python-binance and ccxt.pro drive the same over
/// real sockets in VenueSimClientsTests.)
@Suite struct PrivateStreamTests {
    func json(_ s: String) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:] }

    /// A subscribe request signed as python-binance and ccxt sign it: the other parameters sorted, form-encoded.
    func subscribe(_ sim: SimulatorFixture, key: String = SimulatorFixture.key, secret: String = SimulatorFixture.secret,
                   timestamp: Int64? = nil, id: Int = 1) -> String {
        let stamp = timestamp ?? sim.now
        let signature = BinanceSignature.sign("apiKey=\(key)&timestamp=\(stamp)", secret: secret)
        return #"{"id":\#(id),"method":"userDataStream.subscribe.signature","params":{"apiKey":"\#(key)","timestamp":\#(stamp),"signature":"\#(signature)"}}"#
    }

    @Test func binanceSubscribesBySignatureAndPushesEveryOrderChangeThenTheBalances() throws {
        let sim = try SimulatorFixture()
        let stream = BinanceUserDataStream(core: sim.api.core)
        let connection = BinanceUserDataStream.Connection()
        // Refusals first: each in Binance's words, none subscribes.
        let refusals: [(String, Int)] = [
            (subscribe(sim, secret: "wrong"), -1022), (subscribe(sim, key: "nobody"), -2015),
            (subscribe(sim, timestamp: sim.now - 60_000), -1021),
            (#"{"id":2,"method":"order.teleport","params":{}}"#, -1020), ("not json", -1000),
        ]
        for (request, code) in refusals {
            let answer = json(stream.answer(request, connection))
            #expect((answer["error"] as? [String: Any])?["code"] as? Int == code && answer["status"] as? Int != 200, "\(answer)")
        }
        #expect(connection.session.withLock { $0.subscriptions.isEmpty })
        let ok = json(stream.answer(subscribe(sim, id: 3), connection))
        #expect(ok["id"] as? Int == 3 && ok["status"] as? Int == 200 && (ok["result"] as? [String: Any])?["subscriptionId"] as? Int == 0, "\(ok)")
        let again = json(stream.answer(subscribe(sim, id: 4), connection))
        #expect((again["error"] as? [String: Any])?["code"] as? Int == -2035, "one subscription per account: \(again)")
        #expect(stream.due(connection).isEmpty, "nothing happened yet")

        // A limit order far below the market, then its cancel.
        let price = Decimal8(exactly: sim.candles[999].close * 0.5).floored(to: Decimal8("0.01")!)
        let placed = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=\(price)&newClientOrderId=u1")
        #expect(placed.status == 200, "\(placed.json)")
        _ = sim.signed("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=u1")
        let pushed = stream.due(connection).map(json)
        #expect(pushed.allSatisfy { $0["subscriptionId"] as? Int == 0 })
        let events = pushed.map { $0["event"] as? [String: Any] ?? [:] }
        #expect(events.map { $0["e"] as? String ?? "" } == ["executionReport", "outboundAccountPosition", "executionReport", "outboundAccountPosition"])
        #expect(events[0]["c"] as? String == "u1" && events[0]["x"] as? String == "NEW" && events[0]["p"] as? String == price.description)
        #expect(events[2]["x"] as? String == "CANCELED" && events[2]["X"] as? String == "CANCELED" && events[2]["C"] as? String == "u1")
        let locked = (events[1]["B"] as? [[String: Any]])?.first { $0["a"] as? String == "USDT" }
        #expect(locked?["l"] as? String == (price * Decimal8("0.01")!).description, "the order's funds locked: \(events[1])")
        let released = (events[3]["B"] as? [[String: Any]])?.first { $0["a"] as? String == "USDT" }
        #expect(released?["l"] as? String == "0.00000000" && released?["f"] as? String == "100000.00000000", "\(events[3])")
        #expect(stream.due(connection).isEmpty, "each event is pushed once")

        // A resting order that the market trades through is pushed as a fill when its candle closes, with no REST call.
        let near = Decimal8(exactly: sim.candles[1_000...1_100].map(\.low).min()! + 1).floored(to: Decimal8("0.01")!)
        _ = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=\(near)&newClientOrderId=u2")
        _ = stream.due(connection)
        sim.advance(ms: 101 * 60_000)
        let fills = stream.due(connection).map { $0 }.map(json).map { $0["event"] as? [String: Any] ?? [:] }.filter { $0["x"] as? String == "TRADE" }
        #expect(fills.count == 1 && fills[0]["c"] as? String == "u2" && fills[0]["X"] as? String == "FILLED" && fills[0]["m"] as? Bool == true,
                "\(fills)")

        // Unsubscribed, nothing more is pushed.
        #expect(json(stream.answer(#"{"id":9,"method":"userDataStream.unsubscribe","params":{"subscriptionId":0}}"#, connection))["status"] as? Int == 200)
        _ = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=\(price)&newClientOrderId=u3")
        #expect(stream.due(connection).isEmpty)
        #expect((json(stream.answer(#"{"id":10,"method":"session.subscriptions"}"#, connection))["result"] as? [Any])?.isEmpty == true)
    }

    @Test func theEventLogIsBoundedAndALaggingReaderIsToldItsStreamEnded() {
        var log = AccountEventLog(capacity: 10)
        for i in 0..<25 { log.append(account: i % 2 == 0 ? "a" : "b", wall: Int64(i), .balances([:])) }
        #expect(log.next == 25)
        #expect(log.since(0, accounts: ["a"]) == nil, "the oldest events are gone")
        #expect(log.since(20, accounts: ["a"])?.map(\.sequence) == [20, 22, 24])
        #expect(log.since(25, accounts: ["a", "b"])?.isEmpty == true)
        #expect(BinanceUserDataDialect().terminated(.init(id: 3, account: "a", next: 0, topics: []), wall: 1).contains("eventStreamTerminated"))
    }

    @Test func bybitAuthenticatesThenPushesOnlyTheTopicsAskedFor() throws {
        let sim = try SimulatorFixture()
        let stream = BybitPrivateStream(core: sim.api.core)
        let connection = BybitPrivateStream.Connection()
        let expires = sim.now + 10_000
        func auth(_ key: String, _ secret: String, expires: Int64) -> String {
            #"{"req_id":"a","op":"auth","args":["\#(key)",\#(expires),"\#(HMACHex.sha256("GET/realtime\(expires)", secret: secret))"]}"#
        }
        let early = json(stream.answer(#"{"op":"subscribe","args":["order"]}"#, connection))
        #expect(early["success"] as? Bool == false && (early["ret_msg"] as? String ?? "").contains("not authorized"), "\(early)")
        for bad in [auth(SimulatorFixture.key, "wrong", expires: expires), auth("nobody", "x", expires: expires),
                    auth(SimulatorFixture.key, SimulatorFixture.secret, expires: sim.now - 1)] {
            #expect(json(stream.answer(bad, connection))["success"] as? Bool == false, "\(bad)")
        }
        let ok = json(stream.answer(auth(SimulatorFixture.key, SimulatorFixture.secret, expires: expires), connection))
        #expect(ok["success"] as? Bool == true && ok["op"] as? String == "auth" && ok["req_id"] as? String == "a", "\(ok)")
        #expect(json(stream.answer(#"{"op":"subscribe","args":["orders"]}"#, connection))["success"] as? Bool == false, "unknown topic")
        #expect(json(stream.answer(#"{"op":"subscribe","args":["order","execution"]}"#, connection))["success"] as? Bool == true)
        #expect(json(stream.answer(#"{"op":"ping"}"#, connection))["ret_msg"] as? String == "pong")
        _ = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newClientOrderId=b1")
        let pushed = stream.due(connection).map(json)
        #expect(pushed.map { $0["topic"] as? String ?? "" } == ["order", "order", "execution"], "new, filled, the fill; no wallet: \(pushed)")
        let filled = (pushed[1]["data"] as? [[String: Any]])?.first ?? [:]
        #expect(filled["orderLinkId"] as? String == "b1" && filled["orderStatus"] as? String == "Filled" && filled["category"] as? String == "spot")
        let fill = (pushed[2]["data"] as? [[String: Any]])?.first ?? [:]
        #expect(fill["execQty"] as? String == "0.001" && fill["isMaker"] as? Bool == false && fill["feeCurrency"] as? String == "BTC", "\(fill)")
    }

    @Test func aMarketAtMaxSpeedMovesOnlyWhenEveryReaderHasReadTheLastBar() throws {
        let sim = try SimulatorFixture(pace: .readers)
        let hub = BinanceStreams(core: sim.api.core)
        let market = { sim.api.core.withState { $0.exchange.market.marketTime(atWall: 0) } }
        let start = market()
        sim.advance(ms: 3_600_000)
        #expect(market() == start, "the wall clock does not move it")
        let readers = (0..<2).map { _ in (id: sim.api.core.withState { $0.readers.join() }, subs: BinanceStreams.Subscriptions()) }
        for r in readers { #expect(hub.subscribe(["btcusdt@kline_1m"], r.subs)) }
        var got: [[Int64]] = [[], []]
        var generator = SplitMix64(seed: 11)
        var steps = 0
        for _ in 0..<2_000 {
            let i = Int(generator.next() % 2)
            if generator.next() % 2 == 0 {
                got[i] += hub.due(readers[i].subs, combined: false).map { (json($0)["k"] as? [String: Any])?["t"] as? Int64 ?? 0 }
            } else {
                let owed = readers.map { hub.nextClose($0.subs) ?? .max }
                let before = market()
                if hub.stepIfAllRead(readers[i].id, readers[i].subs) {
                    steps += 1
                    // It moved only if no reader that had said where it was was still owed a bar.
                    #expect(owed[i] > before)
                }
            }
        }
        #expect(steps > 100 && market() == start + Int64(steps) * 60_000)
        for i in 0..<2 {
            got[i] += hub.due(readers[i].subs, combined: false).map { (json($0)["k"] as? [String: Any])?["t"] as? Int64 ?? 0 }
            #expect(got[i] == (0..<steps).map { start + Int64($0) * 60_000 }, "reader \(i): every bar once, in order")
        }
        // A reader that leaves holds nothing back; with no reader left the market stays.
        for r in readers { sim.api.core.withState { $0.readers.leave(r.id) } }
        #expect(sim.api.core.withState { !$0.readers.allCaughtUp(at: .min) })
    }
}
