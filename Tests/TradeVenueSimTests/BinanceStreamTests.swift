import Foundation
import Synchronization
import Testing
import TradeCore
@testable import TradeVenueSim

/// The kline streams: what is pushed, when, and how requests on the connection are answered.
@Suite struct BinanceStreamTests {
    func json(_ s: String) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:] }
    func decimal(_ x: Double) -> String { Decimal8(exactly: x).description }

    @Test func pathsNameRawAndCombinedStreams() {
        #expect(BinanceStreams.route("/ws/btcusdt@kline_1m")! == (false, ["btcusdt@kline_1m"]))
        #expect(BinanceStreams.route("/ws")! == (false, []))
        #expect(BinanceStreams.route("/stream?streams=btcusdt@kline_1m/ethusdt@kline_5m")! == (true, ["btcusdt@kline_1m", "ethusdt@kline_5m"]))
        #expect(BinanceStreams.route("/api/v3/ping") == nil)
    }

    @Test func aKlineIsPushedWhenItClosesWithTheFilesValues() throws {
        let sim = try SimulatorFixture()
        let streams = BinanceStreams(core: sim.api.core)
        let subs = BinanceStreams.Subscriptions()
        let reply = json(streams.answer(#"{"method":"SUBSCRIBE","params":["btcusdt@kline_1m","btcusdt@kline_5m"],"id":7}"#, subs))
        #expect(reply["id"] as? Int == 7 && reply.keys.contains("result") && !reply.keys.contains("error"))
        #expect(json(streams.answer(#"{"method":"LIST_SUBSCRIPTIONS","id":8}"#, subs))["result"] as? [String] == ["btcusdt@kline_1m", "btcusdt@kline_5m"])
        #expect(streams.due(subs, combined: false).isEmpty, "nothing has closed yet")
        sim.advance(ms: 59_999)
        #expect(streams.due(subs, combined: false).isEmpty, "bar 1,000 closes at 60 s")
        sim.advance(ms: 1)
        let first = streams.due(subs, combined: false).map(json)
        let c = sim.candles[1_000]
        let k = first.first?["k"] as? [String: Any] ?? [:]
        #expect(first.count == 1 && first[0]["e"] as? String == "kline" && k["x"] as? Bool == true)
        #expect(k["t"] as? Int64 == c.openTime && k["T"] as? Int64 == c.openTime + 59_999 && k["i"] as? String == "1m")
        #expect(k["o"] as? String == decimal(c.open) && k["h"] as? String == decimal(c.high) && k["l"] as? String == decimal(c.low)
                && k["c"] as? String == decimal(c.close) && k["v"] as? String == decimal(c.volume))
        // Ten minutes on: ten 1m klines and the 5m ones that closed, in close-time order.
        sim.advance(ms: 600_000)
        let later = streams.due(subs, combined: false).map { json($0)["k"] as? [String: Any] ?? [:] }
        let ones = later.filter { $0["i"] as? String == "1m" }, fives = later.filter { $0["i"] as? String == "5m" }
        #expect(ones.map { $0["t"] as? Int64 } == (1_001...1_010).map { sim.candles[$0].openTime })
        let closes = later.map { ($0["T"] as? Int64 ?? 0) }
        #expect(closes == closes.sorted())
        // A 5m kline is the five 1m candles of its UTC-aligned span.
        let five = try #require(fives.last)
        let open = five["t"] as? Int64 ?? 0
        let span = sim.candles.filter { $0.openTime >= open && $0.openTime < open + 300_000 }
        #expect(span.count == 5 && five["o"] as? String == decimal(span.first!.open) && five["c"] as? String == decimal(span.last!.close)
                && five["h"] as? String == decimal(span.map(\.high).max()!) && five["l"] as? String == decimal(span.map(\.low).min()!))
        #expect(json(streams.answer(#"{"method":"UNSUBSCRIBE","params":["btcusdt@kline_5m"],"id":9}"#, subs))["id"] as? Int == 9)
        sim.advance(ms: 600_000)
        #expect(streams.due(subs, combined: true).map(json).allSatisfy { $0["stream"] as? String == "btcusdt@kline_1m" && $0["data"] != nil })
    }

    @Test func badRequestsOnTheConnectionGetBinancesErrorsAndChangeNothing() throws {
        let sim = try SimulatorFixture()
        let streams = BinanceStreams(core: sim.api.core)
        let subs = BinanceStreams.Subscriptions()
        let unknown = json(streams.answer(#"{"method":"SUBSCRIBE","params":["dogeusdt@kline_1m"],"id":1}"#, subs))
        #expect((unknown["error"] as? [String: Any])?["code"] as? Int == 2)
        #expect(((json(streams.answer("not json", subs))["error"]) as? [String: Any])?["code"] as? Int == 3)
        #expect(((json(streams.answer(#"{"method":"SUBSCRIB","id":2}"#, subs))["error"]) as? [String: Any])?["code"] as? Int == 2)
        #expect(subs.state.withLock { $0.isEmpty })
        let now = streams.marketNow()
        #expect(streams.subscription("btcusdt@trade", marketNow: now) == nil && streams.subscription("BTCUSDT@kline_1m", marketNow: now) == nil)
        #expect(streams.subscription("btcusdt@kline_1h", marketNow: now)?.span == 3_600_000)
    }
}

/// Bybit's kline topic through the same hub.
@Suite struct BybitStreamTests {
    func json(_ s: String) -> [String: Any] { (try? JSONSerialization.jsonObject(with: Data(s.utf8))) as? [String: Any] ?? [:] }

    @Test func theKlineTopicIsSubscribedPushedConfirmedAndPinged() throws {
        let sim = try SimulatorFixture()
        let streams = BybitStreams(core: sim.api.core)
        #expect(BybitStreams.route("/v5/public/spot")! == (false, []) && BybitStreams.route("/ws") == nil)
        let subs = BybitStreams.Subscriptions()
        let ok = json(streams.answer(#"{"req_id":"a","op":"subscribe","args":["kline.1.BTCUSDT"]}"#, subs))
        #expect(ok["success"] as? Bool == true && ok["ret_msg"] as? String == "subscribe" && ok["req_id"] as? String == "a")
        let bad = json(streams.answer(#"{"op":"subscribe","args":["kline.7.BTCUSDT"]}"#, subs))
        #expect(bad["success"] as? Bool == false)
        #expect(json(streams.answer(#"{"req_id":"p","op":"ping"}"#, subs))["ret_msg"] as? String == "pong")
        sim.advance(ms: 60_000)
        let pushed = streams.due(subs, combined: false).map(json)
        let data = (pushed.first?["data"] as? [[String: Any]])?.first ?? [:]
        #expect(pushed.count == 1 && pushed[0]["topic"] as? String == "kline.1.BTCUSDT" && pushed[0]["type"] as? String == "snapshot")
        #expect(data["confirm"] as? Bool == true && data["start"] as? Int64 == sim.candles[1_000].openTime && data["interval"] as? String == "1")
        #expect(Double(data["close"] as? String ?? "") == sim.candles[1_000].close)
    }
}
