import Foundation
import Testing
import TradeCore
import TradeVenues

/// The order dialects on the venues' documented shapes alone: what they send, how
/// they sign it (Binance's published example), how answers and refusals read, and
/// that an answer which is not what the docs describe is refused whole.
@Suite struct OrderDialectTests {
    let binance = BinanceOrders()
    let bybit = BybitOrders()
    func answer(_ status: Int, _ body: String, headers: [(String, String)] = []) -> VenueHTTPAnswer {
        VenueHTTPAnswer(status: status, headers: headers, body: Data(body.utf8))
    }

    /// Binance's docs ("SIGNED endpoint examples for POST /api/v3/order"): this key, secret and query give this signature.
    @Test func binanceSignsAsItsDocumentationsExample() {
        let credentials = VenueCredentials(key: "vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A",
                                           secret: "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j")
        let call = VenueCall(endpoint: "order.place", method: "POST", path: "/api/v3/order",
                             params: [.init("symbol", "LTCBTC"), .init("side", "BUY"), .init("type", "LIMIT"), .init("timeInForce", "GTC"),
                                      .init("quantity", "1"), .init("price", "0.1")])
        let wire = binance.encode(call, credentials: credentials, timestamp: 1_499_827_319_559, recvWindowMs: 5_000)
        #expect(wire.target == "/api/v3/order?symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000"
                + "&timestamp=1499827319559&signature=c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71")
        #expect(wire.headers == ["X-MBX-APIKEY": credentials.key])
        #expect(!"\(credentials)".contains(credentials.key) && !"\(credentials)".contains("NhqP"), "credentials print redacted")
    }

    @Test func ordersAreSentUnderOurClientIDWithTheVenuesWords() {
        let limit = VenueOrderRequest(symbol: "BTCUSDT", side: .sell, kind: .limit(Price("101000.5")!, .postOnly), quantity: Quantity("0.015")!,
                                      clientOrderID: "aggressive-r2-17")
        #expect(VenueCall.queryString(binance.place(limit).params)
                == "symbol=BTCUSDT&side=SELL&type=LIMIT_MAKER&price=101000.5&quantity=0.015&newClientOrderId=aggressive-r2-17&newOrderRespType=FULL")
        let market = VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .market, quantity: Quantity("0.015")!, clientOrderID: "x-1")
        let wire = bybit.encode(bybit.place(market), credentials: VenueCredentials(key: "k", secret: "s"), timestamp: 1_700_000_000_000, recvWindowMs: 5_000)
        #expect(wire.body == #"{"category":"spot","symbol":"BTCUSDT","side":"Buy","orderType":"Market","marketUnit":"baseCoin","qty":"0.015","orderLinkId":"x-1"}"#)
        #expect(wire.headers["X-BAPI-SIGN"] == HMACHex.sha256("1700000000000k5000" + wire.body, secret: "s"))
        #expect(VenueCall.queryString(bybit.cancel(symbol: "BTCUSDT", clientOrderID: "x-1").params) == "category=spot&symbol=BTCUSDT&orderLinkId=x-1",
                "a cancel names one order: never cancel-all")
    }

    /// Binance's documented FULL answer to a market order.
    @Test func binancesFullAnswerGivesTheOrderAndItsFills() throws {
        let body = #"""
        {"symbol":"BTCUSDT","orderId":28,"orderListId":-1,"clientOrderId":"6gCrw2kRUAF9CvJDGP16IP","transactTime":1507725176595,
         "price":"0.00000000","origQty":"10.00000000","executedQty":"10.00000000","origQuoteOrderQty":"0.000000","cummulativeQuoteQty":"10.00000000",
         "status":"FILLED","timeInForce":"GTC","type":"MARKET","side":"SELL","workingTime":1507725176595,"selfTradePreventionMode":"NONE",
         "fills":[{"price":"4000.00000000","qty":"1.00000000","commission":"4.00000000","commissionAsset":"USDT","tradeId":56},
                  {"price":"3999.00000000","qty":"5.00000000","commission":"19.99500000","commissionAsset":"USDT","tradeId":57},
                  {"price":"3998.00000000","qty":"4.00000000","commission":"15.99200000","commissionAsset":"USDT","tradeId":58}]}
        """#
        let request = VenueOrderRequest(symbol: "BTCUSDT", side: .sell, kind: .market, quantity: Quantity("10")!, clientOrderID: "6gCrw2kRUAF9CvJDGP16IP")
        let placed = try binance.placement(from: Data(body.utf8), request: request)
        #expect(placed.order == VenueOrderState(symbol: "BTCUSDT", clientOrderID: "6gCrw2kRUAF9CvJDGP16IP", venueOrderID: "28", side: .sell,
                                                status: .filled, quantity: Quantity("10")!, filledQuantity: Quantity("10")!, updatedAt: 1_507_725_176_595))
        #expect(placed.trades.map(\.tradeID) == ["56", "57", "58"] && placed.trades[1].fee == Money("19.995")!)
        // The same answer to another client id is not ours: refused, nothing used.
        var other = request
        other.clientOrderID = "someone-else"
        #expect(throws: VenueOrderError.self) { _ = try binance.placement(from: Data(body.utf8), request: other) }
        // A fill without its price, or a status Binance does not document, makes the whole answer malformed.
        for broken in [body.replacingOccurrences(of: #""price":"3999.00000000","#, with: ""),
                       body.replacingOccurrences(of: #""status":"FILLED""#, with: #""status":"DONE""#), "{", "[]"] {
            #expect { _ = try binance.placement(from: Data(broken.utf8), request: request) } throws: { ($0 as? VenueOrderError)?.kind == .malformed }
        }
    }

    /// Bybit's documented create answer and order list.
    @Test func bybitAcknowledgesAndListsOrders() throws {
        let ack = #"{"retCode":0,"retMsg":"OK","result":{"orderId":"1321003749386327552","orderLinkId":"spot-test-postonly"},"retExtInfo":{},"time":1672211918471}"#
        #expect(bybit.refusal(answer(200, ack)) == nil)
        let request = VenueOrderRequest(symbol: "BTCUSDT", side: .buy, kind: .limit(Price(20000), .postOnly), quantity: Quantity("0.1")!,
                                        clientOrderID: "spot-test-postonly")
        let placed = try bybit.placement(from: Data(ack.utf8), request: request)
        #expect(placed.order.venueOrderID == "1321003749386327552" && placed.order.status == .new && placed.trades.isEmpty)
        let list = #"""
        {"retCode":0,"retMsg":"OK","result":{"list":[{"orderId":"fd4300ae-7847-404e-b947-b46980a4d140","orderLinkId":"test-000005",
         "blockTradeId":"","symbol":"ETHUSDT","price":"1600.00","qty":"0.10","side":"Buy","isLeverage":"","positionIdx":1,
         "orderStatus":"PartiallyFilled","cancelType":"UNKNOWN","rejectReason":"EC_NoError","avgPrice":"0","leavesQty":"0.06",
         "leavesValue":"160","cumExecQty":"0.04","cumExecValue":"0","cumExecFee":"0","timeInForce":"GTC","orderType":"Limit",
         "stopOrderType":"UNKNOWN","orderIv":"","triggerPrice":"0.00","takeProfit":"2500.00","stopLoss":"1500.00","tpTriggerBy":"LastPrice",
         "slTriggerBy":"LastPrice","triggerDirection":0,"triggerBy":"UNKNOWN","lastPriceOnCreated":"","reduceOnly":false,
         "closeOnTrigger":false,"smpType":"None","smpGroup":0,"smpOrderId":"","tpslMode":"Full","tpLimitPrice":"","slLimitPrice":"",
         "placeType":"","createdTime":"1684738540559","updatedTime":"1684738540561"}],"nextPageCursor":"page_args%3Dfd4300ae","category":"linear"},
         "retExtInfo":{},"time":1684765770483}
        """#
        let order = try #require(try bybit.order(from: Data(list.utf8), clientOrderID: "test-000005"))
        #expect(order.status == .partiallyFilled && order.filledQuantity == Quantity("0.04")! && order.quantity == Quantity("0.1")!)
        #expect(order.updatedAt == 1_684_738_540_561)
        #expect(try bybit.order(from: Data(#"{"retCode":0,"retMsg":"OK","result":{"list":[]},"time":1}"#.utf8), clientOrderID: "x") == nil)
        #expect(throws: VenueOrderError.self) { _ = try bybit.order(from: Data(list.utf8), clientOrderID: "another-id") }
    }

    @Test func refusalsAreSortedByWhatTheCallerMayDo() {
        func kind(_ a: VenueHTTPAnswer, _ dialect: any OrderDialect) -> VenueOrderError.Kind? { dialect.refusal(a)?.kind }
        #expect(kind(answer(400, #"{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}"#), binance) == .clockSkew)
        #expect(kind(answer(400, #"{"code":-2010,"msg":"Account has insufficient balance for requested action."}"#), binance) == .rejected)
        #expect(kind(answer(400, #"{"code":-2010,"msg":"Duplicate order sent."}"#), binance) == .duplicateClientOrderID)
        #expect(kind(answer(400, #"{"code":-2013,"msg":"Order does not exist."}"#), binance) == .unknownOrder)
        #expect(kind(answer(400, #"{"code":-2011,"msg":"Unknown order sent."}"#), binance) == .unknownOrder)
        #expect(kind(answer(401, #"{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}"#), binance) == .unauthorized)
        #expect(kind(answer(503, ""), binance) == .outcomeUnknown)
        let limited = binance.refusal(answer(429, #"{"code":-1003,"msg":"Too many requests"}"#, headers: [("Retry-After", "7")]))
        #expect(limited?.kind == .rateLimited && limited?.retryAfterMs == 7_000)
        #expect(kind(answer(418, ""), binance) == .banned)
        #expect(binance.usedWeight(answer(200, "{}", headers: [("x-mbx-used-weight-1m", "1234")]))?.used == 1_234)
        func bybitAnswer(_ code: Int, _ message: String) -> VenueHTTPAnswer {
            answer(200, #"{"retCode":\#(code),"retMsg":"\#(message)","result":{},"retExtInfo":{},"time":1}"#)
        }
        #expect(kind(bybitAnswer(10002, "invalid request, please check your server timestamp or recv_window param"), bybit) == .clockSkew)
        #expect(kind(bybitAnswer(10004, "error sign!"), bybit) == .unauthorized)
        #expect(kind(bybitAnswer(10006, "Too many visits!"), bybit) == .rateLimited)
        #expect(kind(bybitAnswer(110007, "Insufficient available balance."), bybit) == .rejected)
        #expect(kind(bybitAnswer(110072, "OrderLinkedID is duplicate"), bybit) == .duplicateClientOrderID)
        #expect(kind(bybitAnswer(110001, "Order does not exist."), bybit) == .unknownOrder)
        #expect(kind(answer(200, "<html>gateway</html>"), bybit) == .malformed)
        #expect(bybit.refusal(bybitAnswer(110007, "Insufficient available balance."))?.message == "bybit 110007: Insufficient available balance.")
    }

    @Test func credentialsComeFromTheEnvironmentOrAnOwnerOnlyFile() throws {
        #expect(try VenueCredentials.fromEnvironment([:], prefix: "TRADEENGINE_BINANCE") == nil)
        let env = try #require(try VenueCredentials.fromEnvironment(["TRADEENGINE_BINANCE_API_KEY": "abcdef", "TRADEENGINE_BINANCE_API_SECRET": "s3"],
                                                                    prefix: "TRADEENGINE_BINANCE"))
        #expect(env.key == "abcdef" && "\(env)" == "API key abcd… (secret redacted)")
        #expect(throws: VenueCredentialsError.self) { _ = try VenueCredentials.fromEnvironment(["TRADEENGINE_BINANCE_API_KEY": "k"], prefix: "TRADEENGINE_BINANCE") }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("keys-\(UUID().uuidString)").path
        try "key=abc\nsecret=def\n".write(toFile: path, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: path) }
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        #expect { _ = try VenueCredentials.read(file: path) } throws: { "\($0)".contains("make it 0600") }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: path)
        #expect(try VenueCredentials.read(file: path).key == "abc")
    }
}
