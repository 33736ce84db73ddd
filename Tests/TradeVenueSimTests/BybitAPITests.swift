import Foundation
import Synchronization
import Testing
import TestSupport
import TradeCore
import TradeVenues
@testable import TradeVenueSim

/// Bybit v5 spot over the same exchange: envelope, signing, orders, the
/// never-reused orderLinkId, executions and the wallet.
@Suite struct BybitAPITests {
    static let key = "bybit-key", secret = "bybit-secret"

    final class Clock: Sendable { let time = Mutex<Int64>(1_800_000_000_000) }

    struct Bybit {
        let api: BybitAPI
        let clock: Clock
        let candles: [Candle]
        var now: Int64 { clock.time.withLock { $0 } }

        func get(_ path: String, _ query: String = "", signed: Bool = false, secret: String = BybitAPITests.secret,
                 timestamp: Int64? = nil) -> [String: Any] {
            call("GET", path, query: query, body: "", signed: signed, secret: secret, timestamp: timestamp)
        }

        func post(_ path: String, _ body: String, secret: String = BybitAPITests.secret) -> [String: Any] {
            call("POST", path, query: "", body: body, signed: true, secret: secret, timestamp: nil)
        }

        func call(_ method: String, _ path: String, query: String, body: String, signed: Bool, secret: String, timestamp: Int64?) -> [String: Any] {
            var headers: [String: String] = [:]
            if signed {
                let stamp = String(timestamp ?? now)
                headers = ["X-BAPI-API-KEY": BybitAPITests.key, "X-BAPI-TIMESTAMP": stamp, "X-BAPI-RECV-WINDOW": "5000",
                           "X-BAPI-SIGN": BybitSignature.sign(timestamp: stamp, apiKey: BybitAPITests.key, recvWindow: "5000",
                                                              payload: method == "POST" ? body : query, secret: secret)]
            }
            let r = api.respond(VenueRequest(method: method, path: path, query: query, body: body, headers: headers))
            return (try? JSONSerialization.jsonObject(with: Data(r.body.utf8))) as? [String: Any] ?? ["status": r.status]
        }
    }

    func bybit() throws -> Bybit {
        let file = try CandleFileReader.read(path: SharedData.data("BTCUSDT-1m-20250101-20250204.csv"))
        let clock = Clock()
        let market = ReplayedMarket(series: [.init(rules: .spot("BTCUSDT"), candles: file.candles)], start: file.candles[1_000].openTime,
                                    wallStart: 1_800_000_000_000, speed: 1)
        let exchange = SimulatedExchange(market: market, accounts: [SimAccount(key: Self.key, secret: Self.secret,
                                                                                balances: ["USDT": Decimal8(units: 100_000), "BTC": Decimal8(units: 1)])],
                                         clientIDPolicy: .uniqueForever)
        return Bybit(api: BybitAPI(core: VenueCore(exchange: exchange) { clock.time.withLock { $0 } }), clock: clock, candles: file.candles)
    }

    func result(_ r: [String: Any]) -> [String: Any] { r["result"] as? [String: Any] ?? [:] }
    func list(_ r: [String: Any]) -> [[String: Any]] { result(r)["list"] as? [[String: Any]] ?? [] }

    @Test func publicMarketDataInBybitsEnvelope() throws {
        let b = try bybit()
        let time = b.get("/v5/market/time")
        #expect(time["retCode"] as? Int == 0 && time["retMsg"] as? String == "OK" && result(time)["timeSecond"] as? String == String(b.now / 1000))
        let info = list(b.get("/v5/market/instruments-info", "category=spot"))
        #expect(info.first?["symbol"] as? String == "BTCUSDT" && (info.first?["priceFilter"] as? [String: Any])?["tickSize"] as? String == "0.01")
        #expect((info.first?["lotSizeFilter"] as? [String: Any])?["basePrecision"] as? String == "0.00001")
        let rows = result(b.get("/v5/market/kline", "category=spot&symbol=BTCUSDT&interval=1&limit=2"))["list"] as? [[String]] ?? []
        #expect(rows.count == 2 && rows[0][0] == String(b.candles[999].openTime) && rows[1][0] == String(b.candles[998].openTime), "newest first")
        #expect(Double(rows[0][4]) == b.candles[999].close)
        #expect(b.get("/v5/market/kline", "category=spot&symbol=BTCUSDT&interval=7")["retCode"] as? Int == 10001)
        #expect(b.get("/v5/market/instruments-info", "category=linear")["retCode"] as? Int == 10001)
    }

    @Test func signingTheWindowAndTheKeyAreChecked() throws {
        let b = try bybit()
        #expect(b.get("/v5/account/wallet-balance", "accountType=UNIFIED", signed: true)["retCode"] as? Int == 0)
        #expect(b.get("/v5/account/wallet-balance", "accountType=UNIFIED", signed: true, secret: "wrong")["retCode"] as? Int == 10004)
        #expect(b.get("/v5/account/wallet-balance", "accountType=UNIFIED", signed: true, timestamp: b.now - 6_000)["retCode"] as? Int == 10002)
        #expect(b.get("/v5/account/wallet-balance", "accountType=UNIFIED", signed: true, timestamp: b.now + 1_000)["retCode"] as? Int == 10002)
        #expect(b.get("/v5/account/wallet-balance", "accountType=UNIFIED")["retCode"] as? Int == 10003)
    }

    @Test func anOrderLinkIdIsNeverReusedAndOrdersAreFoundByIt() throws {
        let b = try bybit()
        let limit = #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.001","price":"10000","timeInForce":"GTC","orderLinkId":"link-1"}"#
        let placed = b.post("/v5/order/create", limit)
        #expect(placed["retCode"] as? Int == 0 && result(placed)["orderLinkId"] as? String == "link-1", "\(placed)")
        let open = list(b.get("/v5/order/realtime", "category=spot&orderLinkId=link-1", signed: true))
        #expect(open.first?["orderStatus"] as? String == "New" && open.first?["leavesQty"] as? String == "0.001")
        #expect(b.post("/v5/order/create", limit)["retCode"] as? Int == 110072)
        #expect(b.post("/v5/order/cancel", #"{"category":"spot","symbol":"BTCUSDT","orderLinkId":"link-1"}"#)["retCode"] as? Int == 0)
        #expect(b.post("/v5/order/create", limit)["retCode"] as? Int == 110072, "Bybit refuses it even after the order closed")
        #expect(b.post("/v5/order/cancel", #"{"category":"spot","symbol":"BTCUSDT","orderLinkId":"link-1"}"#)["retCode"] as? Int == 110001)
        let history = list(b.get("/v5/order/history", "category=spot&orderLinkId=link-1", signed: true))
        #expect(history.first?["orderStatus"] as? String == "Cancelled")
    }

    @Test func marketOrdersFillAndShowInExecutionsAndTheWallet() throws {
        let b = try bybit()
        // A spot market buy's qty is in USDT unless marketUnit says baseCoin.
        let buy = b.post("/v5/order/create", #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","qty":"1000","orderLinkId":"mb"}"#)
        #expect(buy["retCode"] as? Int == 0, "\(buy)")
        let last = Decimal8(exactly: b.candles[999].close)
        let expected = Decimal8(raw: Int64(Int128(Decimal8(units: 1_000).raw) * Int128(Decimal8.scale) / Int128(last.raw))).floored(to: Decimal8("0.00001")!)
        let fills = list(b.get("/v5/execution/list", "category=spot&symbol=BTCUSDT", signed: true))
        #expect(fills.count == 1 && fills[0]["execQty"] as? String == BybitFormat.number(expected).stringValue && fills[0]["orderLinkId"] as? String == "mb")
        let sell = b.post("/v5/order/create", #"{"category":"spot","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"0.05"}"#)
        #expect(sell["retCode"] as? Int == 0)
        let coins = (list(b.get("/v5/account/wallet-balance", "accountType=UNIFIED", signed: true)).first?["coin"] as? [[String: Any]]) ?? []
        let btc = coins.first { $0["coin"] as? String == "BTC" }
        let fee = expected.basisPoints(10)
        #expect(btc?["walletBalance"] as? String == BybitFormat.number(Decimal8(units: 1) + expected - fee - Decimal8("0.05")!).stringValue)
        #expect(b.post("/v5/order/create", #"{"category":"spot","symbol":"BTCUSDT","side":"Sell","orderType":"Market","qty":"5"}"#)["retCode"] as? Int == 110007)
        #expect(b.post("/v5/order/create", #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Limit","qty":"0.000001","price":"10000"}"#)["retCode"] as? Int == 170137)
        #expect(b.post("/v5/order/create", "not json")["retCode"] as? Int == 10001)
    }
}

extension JSONValue {
    var stringValue: String? { if case .string(let s) = self { return s } else { return nil } }
}
