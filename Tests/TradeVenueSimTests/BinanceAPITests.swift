import TradeVenues
import Foundation
import Testing
import TradeCore
@testable import TradeVenueSim

/// The Binance REST surface of the simulator, request by request, on real
/// BTCUSDT minutes, with the clock moved by the test.
@Suite struct BinanceAPITests {
    /// A price as the candle file has it, as Foundation's Decimal (an independent arithmetic).
    func decimal(_ x: Double) -> Decimal { Decimal(string: String(format: "%.8f", x))! }
    func decimal(_ s: Any?) -> Decimal { Decimal(string: s as? String ?? "nan") ?? .nan }

    @Test func publicEndpointsAnswerAsBinanceDoes() throws {
        let sim = try SimulatorFixture()
        #expect(sim.call("GET", "/api/v3/ping").status == 200)
        #expect(sim.call("GET", "/api/v3/time").object["serverTime"] as? Int64 == sim.now)
        let info = sim.call("GET", "/api/v3/exchangeInfo")
        let symbol = (info.object["symbols"] as? [[String: Any]])?.first
        #expect(symbol?["symbol"] as? String == "BTCUSDT" && symbol?["baseAsset"] as? String == "BTC")
        let filters = symbol?["filters"] as? [[String: Any]] ?? []
        #expect(filters.first { $0["filterType"] as? String == "LOT_SIZE" }?["stepSize"] as? String == "0.00001000")
        #expect(filters.first { $0["filterType"] as? String == "PRICE_FILTER" }?["tickSize"] as? String == "0.01000000")
        #expect(filters.first { $0["filterType"] as? String == "NOTIONAL" }?["minNotional"] as? String == "5.00000000")
        #expect(info.header("X-MBX-USED-WEIGHT-1M") == "22", "ping 1 + time 1 + exchangeInfo 20")
        #expect(sim.call("GET", "/api/v3/exchangeInfo", "symbol=DOGEUSDT").code == -1121)
        #expect(sim.call("GET", "/api/v3/nothing").status == 404)
    }

    @Test func klinesAreTheClosedCandlesAndAggregateLikeTheFile() throws {
        let sim = try SimulatorFixture()
        let rows = sim.call("GET", "/api/v3/klines", "symbol=BTCUSDT&interval=1m&limit=3").json as? [[Any]] ?? []
        // Market time is bar 1,000's open: the last closed candle is bar 999.
        #expect(rows.count == 3 && rows.last?[0] as? Int64 == sim.candles[999].openTime)
        #expect(decimal(rows.last?[4]) == decimal(sim.candles[999].close) && decimal(rows.last?[5]) == decimal(sim.candles[999].volume))
        #expect(rows.last?[6] as? Int64 == sim.candles[999].openTime + 59_999)
        // Two minutes later two more have closed.
        sim.advance(ms: 120_000)
        let later = sim.call("GET", "/api/v3/klines", "symbol=BTCUSDT&interval=1m&limit=1").json as? [[Any]] ?? []
        #expect(later.first?[0] as? Int64 == sim.candles[1_001].openTime)
        // 5m from the start of the file: the first bucket is the first five minutes, aggregated by hand.
        let five = sim.call("GET", "/api/v3/klines", "symbol=BTCUSDT&interval=5m&startTime=\(sim.candles[0].openTime)&limit=2").json as? [[Any]] ?? []
        let first = sim.candles[0..<5]
        #expect(five.count == 2 && five[0][0] as? Int64 == first.first!.openTime)
        #expect(decimal(five[0][1]) == decimal(first.first!.open) && decimal(five[0][4]) == decimal(first.last!.close))
        #expect(decimal(five[0][2]) == decimal(first.map(\.high).max()!) && decimal(five[0][3]) == decimal(first.map(\.low).min()!))
        #expect(sim.call("GET", "/api/v3/klines", "symbol=BTCUSDT&interval=7m").code == -1120)
        #expect(sim.call("GET", "/api/v3/klines", "interval=1m").code == -1102)
        #expect(sim.call("GET", "/api/v3/klines", "symbol=BTCUSDT&interval=1m&limit=5000").code == -1100)
    }

    @Test func signedEndpointsCheckKeyTimestampWindowAndSignature() throws {
        let sim = try SimulatorFixture()
        #expect(sim.call("GET", "/api/v3/account", "timestamp=\(sim.now)").code == -2014)
        #expect(sim.call("GET", "/api/v3/account", "timestamp=\(sim.now)").status == 401)
        #expect(sim.signed("GET", "/api/v3/account", "", key: "nobody").code == -2015)
        #expect(sim.signed("GET", "/api/v3/account", "", secret: "wrong").code == -1022)
        #expect(sim.signed("GET", "/api/v3/account", "", timestamp: sim.now - 5_000).code == -1021, "outside the default 5 s window")
        #expect(sim.signed("GET", "/api/v3/account", "recvWindow=10000", timestamp: sim.now - 5_000).status == 200)
        #expect(sim.signed("GET", "/api/v3/account", "", timestamp: sim.now + 2_000).code == -1021, "ahead of the server")
        #expect(sim.signed("GET", "/api/v3/account", "recvWindow=70000").code == -1131)
        #expect(sim.call("GET", "/api/v3/account", "timestamp=\(sim.now)", key: SimulatorFixture.key).code == -1102, "no signature")
        // HMAC signatures are not case sensitive.
        let query = "timestamp=\(sim.now)"
        #expect(sim.call("GET", "/api/v3/account", query + "&signature=" + BinanceSignature.sign(query, secret: SimulatorFixture.secret).uppercased(),
                         key: SimulatorFixture.key).status == 200)
    }

    @Test func aMarketBuyFillsAtTheLastPriceAndPaysItsFeeInTheBaseAsset() throws {
        let sim = try SimulatorFixture()
        let r = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.00100&newClientOrderId=buy-1")
        #expect(r.status == 200, "\(r.json)")
        let last = decimal(sim.candles[999].close)
        #expect(r.object["status"] as? String == "FILLED" && r.object["clientOrderId"] as? String == "buy-1")
        let fills = r.object["fills"] as? [[String: Any]] ?? []
        #expect(fills.count == 1 && decimal(fills[0]["price"]) == last && fills[0]["commissionAsset"] as? String == "BTC")
        #expect(decimal(fills[0]["commission"]) == Decimal(string: "0.000001")!)
        #expect(decimal(sim.balance("BTC").free) == Decimal(string: "0.000999")!)
        #expect(decimal(sim.balance("USDT").free) == 100_000 - last * Decimal(string: "0.001")!)
        let trades = sim.signed("GET", "/api/v3/myTrades", "symbol=BTCUSDT").array
        #expect(trades.count == 1 && trades[0]["isBuyer"] as? Bool == true && trades[0]["isMaker"] as? Bool == false)
        let q = sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=buy-1").object
        #expect(q["status"] as? String == "FILLED" && q["executedQty"] as? String == "0.00100000")
    }

    @Test func aRestingLimitFillsAsMakerOnTheFirstCandleThatTradesThroughIt() throws {
        let sim = try SimulatorFixture()
        let last = sim.candles[999].close
        let price = (last * 0.995 * 100).rounded(.down) / 100
        let placed = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.01&price=\(String(format: "%.2f", price))&newClientOrderId=dip")
        #expect(placed.object["status"] as? String == "NEW", "\(placed.json)")
        let reserved = decimal(price) * Decimal(string: "0.01")!
        #expect(decimal(sim.balance("USDT").locked) == reserved)
        #expect(sim.signed("GET", "/api/v3/openOrders", "symbol=BTCUSDT").array.count == 1)
        guard let k = sim.candles.indices.first(where: { $0 >= 1_000 && sim.candles[$0].low < price }) else {
            Issue.record("no candle traded through the price"); return
        }
        // One minute short of that candle's close: still resting.
        sim.advance(ms: sim.candles[k].openTime + 60_000 - sim.start - 1)
        #expect(sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=dip").object["status"] as? String == "NEW")
        sim.advance(ms: 1)
        let filled = sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=dip").object
        #expect(filled["status"] as? String == "FILLED")
        let trade = sim.signed("GET", "/api/v3/myTrades", "symbol=BTCUSDT").array.first
        #expect(trade?["isMaker"] as? Bool == true && decimal(trade?["price"]) == decimal(price))
        #expect(decimal(sim.balance("USDT").locked) == 0 && decimal(sim.balance("USDT").free) == 100_000 - reserved)
        #expect(sim.signed("GET", "/api/v3/openOrders", "symbol=BTCUSDT").array.isEmpty)
    }

    @Test func aLargeLimitFillsPartiallyByTheCandlesVolumeShare() throws {
        let sim = try SimulatorFixture(balances: ["USDT": Decimal8(units: 10_000_000)])
        let last = sim.candles[999].close
        let price = (last * 0.995 * 100).rounded(.down) / 100
        #expect(sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=50&price=\(String(format: "%.2f", price))&newClientOrderId=big").status == 200)
        let k = sim.candles.indices.first { $0 >= 1_000 && sim.candles[$0].low < price }!
        sim.advance(ms: sim.candles[k].openTime + 60_000 - sim.start)
        let o = sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=big").object
        // 10 % of that candle's volume, down to the 0.00001 step.
        let cap = (decimal(sim.candles[k].volume) * Decimal(string: "0.1")! * 100_000)
        var whole = Decimal(), c = cap
        NSDecimalRound(&whole, &c, 0, .down)
        let expected = whole / 100_000
        #expect(expected < 50 && decimal(o["executedQty"]) == expected, "\(o)")
        #expect(o["status"] as? String == "PARTIALLY_FILLED")
        // Cancelling gives back exactly what is still reserved.
        let cancelled = sim.signed("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=big").object
        #expect(cancelled["status"] as? String == "CANCELED" && cancelled["origClientOrderId"] as? String == "big")
        #expect(decimal(sim.balance("USDT").locked) == 0)
        #expect(decimal(sim.balance("USDT").free) == 10_000_000 - decimal(price) * expected)
    }

    @Test func refusedOrdersChangeNothingAndSayWhyInBinancesWords() throws {
        let sim = try SimulatorFixture(balances: ["USDT": Decimal8(units: 50)])
        let before = sim.signed("GET", "/api/v3/account", "").object["balances"] as? [[String: Any]]
        let cases: [(String, Int, String)] = [
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.000001", -1013, "Filter failure: LOT_SIZE"),
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=1000.001", -1013, "Filter failure: PRICE_FILTER"),
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.00001&price=1000", -1013, "Filter failure: NOTIONAL"),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=1", -2010, "Account has insufficient balance for requested action."),
            ("symbol=BTCUSDT&side=SELL&type=MARKET&quantity=0.001", -2010, "Account has insufficient balance for requested action."),
            ("symbol=BTCUSDT&side=BUY&type=LIMIT&quantity=0.001&price=1000", -1102, "Mandatory parameter 'timeInForce' was not sent, was empty/null, or malformed."),
            ("symbol=BTCUSDT&side=BUY&type=STOP_LOSS&quantity=0.001", -1116, "Invalid orderType."),
            ("symbol=BTCUSDT&side=HOLD&type=MARKET&quantity=0.001", -1100, ""),
            ("symbol=XYZUSDT&side=BUY&type=MARKET&quantity=0.001", -1121, "Invalid symbol."),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=abc", -1100, ""),
            ("symbol=BTCUSDT&side=BUY&type=MARKET&quantity=0.001&newClientOrderId=has%20space", -1100, ""),
        ]
        for (params, code, message) in cases {
            let r = sim.signed("POST", "/api/v3/order", params)
            #expect(r.status == 400 && r.code == code && (message.isEmpty || r.object["msg"] as? String == message), "\(params): \(r.json)")
        }
        let after = sim.signed("GET", "/api/v3/account", "").object["balances"] as? [[String: Any]]
        #expect(before != nil && NSArray(array: before ?? []).isEqual(to: after ?? []), "balances unchanged")
        #expect(sim.signed("GET", "/api/v3/myTrades", "symbol=BTCUSDT").array.isEmpty)
        #expect(sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT&orderId=99").code == -2013)
        #expect(sim.signed("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=nope").code == -2011)
        #expect(sim.signed("GET", "/api/v3/order", "symbol=BTCUSDT").code == -1102)
    }

    @Test func aClientOrderIdOfAnOpenOrderIsRefusedAndFreeAgainOnceItCloses() throws {
        let sim = try SimulatorFixture()
        let order = "symbol=BTCUSDT&side=BUY&type=LIMIT&timeInForce=GTC&quantity=0.001&price=10000&newClientOrderId=same"
        #expect(sim.signed("POST", "/api/v3/order", order).object["status"] as? String == "NEW")
        let twice = sim.signed("POST", "/api/v3/order", order)
        #expect(twice.code == -2010 && twice.object["msg"] as? String == "Duplicate order sent.")
        #expect(sim.signed("GET", "/api/v3/openOrders", "symbol=BTCUSDT").array.count == 1, "not placed twice")
        #expect(sim.signed("DELETE", "/api/v3/order", "symbol=BTCUSDT&origClientOrderId=same").object["status"] as? String == "CANCELED")
        #expect(sim.signed("POST", "/api/v3/order", order).object["status"] as? String == "NEW", "Binance allows reuse once closed")
        // LIMIT_MAKER that would take is refused.
        let maker = sim.signed("POST", "/api/v3/order", "symbol=BTCUSDT&side=BUY&type=LIMIT_MAKER&quantity=0.001&price=900000")
        #expect(maker.code == -2010 && maker.object["msg"] as? String == "Order would immediately match and take.")
    }

    @Test func weightIsCountedThen429WithRetryAfterThen418ForClientsThatKeepGoing() throws {
        let sim = try SimulatorFixture(weightLimit: 10)
        for n in 1...10 {
            #expect(sim.call("GET", "/api/v3/ping").header("X-MBX-USED-WEIGHT-1M") == String(n))
        }
        let limited = sim.call("GET", "/api/v3/ping")
        #expect(limited.status == 429 && limited.code == -1003 && limited.header("Retry-After") != nil)
        var last = limited
        for _ in 0..<4 { last = sim.call("GET", "/api/v3/ping") }
        #expect(last.status == 418 && last.code == -1003, "banned after ignoring Retry-After")
        sim.advance(ms: 60_000)
        #expect(sim.call("GET", "/api/v3/ping").status == 418, "the ban outlasts the minute")
        sim.advance(ms: 120_000)
        #expect(sim.call("GET", "/api/v3/ping").status == 200)
    }
}
