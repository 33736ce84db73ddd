import Foundation
import Testing
import TradeCore
import TradeVenues

/// The dialects on the venues' documented shapes (Binance Spot, Bybit v5), and refusing anything else.
@Suite struct MarketDataDialectTests {
    let binance = BinanceMarketData()
    let bybit = BybitMarketData()

    @Test func binanceKlinesAndTimeAreReadAsDocumented() throws {
        // GET /api/v3/klines, as Binance's docs show a row.
        let body = #"[[1499040000000,"0.01634790","0.80000000","0.01575800","0.01577100","148976.11427815",1499644799999,"2434.19055334",308,"1756.87402397","28.46694368","0"]]"#
        let candles = try binance.klines(from: Data(body.utf8))
        #expect(candles == [Candle(openTime: 1_499_040_000_000, open: 0.0163479, high: 0.8, low: 0.015758, close: 0.015771, volume: 148976.11427815)])
        #expect(try binance.serverTime(from: Data(#"{"serverTime":1499827319559}"#.utf8)) == 1_499_827_319_559)
        #expect(binance.klinesRequest(symbol: "BTCUSDT", start: 60_000, limit: 1000) == "/api/v3/klines?symbol=BTCUSDT&interval=1m&startTime=60000&limit=1000")
        #expect(binance.subscribeMessages(symbols: ["BTCUSDT", "ETHUSDT"]) == [#"{"method":"SUBSCRIBE","params":["btcusdt@kline_1m","ethusdt@kline_1m"],"id":1}"#])
    }

    @Test func binanceStreamFramesGiveClosedAndOpenKlines() throws {
        // Binance's documented frame, with its low moved under its open (the docs' own example has low > open).
        let frame = #"{"e":"kline","E":1672515782136,"s":"BNBBTC","k":{"t":1672515780000,"T":1672515839999,"s":"BNBBTC","i":"1m","f":100,"L":200,"o":"0.0010","c":"0.0020","h":"0.0025","l":"0.0005","v":"1000","n":100,"x":false,"q":"1.0000","V":"500","Q":"0.500","B":"123456"}}"#
        #expect(try binance.streamMessage(frame) == .kline(symbol: "BNBBTC", candle: Candle(openTime: 1_672_515_780_000, open: 0.001, high: 0.0025, low: 0.0005, close: 0.002, volume: 1000), closed: false))
        let combined = #"{"stream":"bnbbtc@kline_1m","data":"# + frame.replacingOccurrences(of: #""x":false"#, with: #""x":true"#) + "}"
        guard case .kline(_, _, let closed) = try binance.streamMessage(combined) else { Issue.record("not a kline"); return }
        #expect(closed)
        #expect(try binance.streamMessage(#"{"result":null,"id":1}"#) == .control)
    }

    @Test func bybitKlinesComeNewestFirstAndAreTurnedOldestFirst() throws {
        let body = #"{"retCode":0,"retMsg":"OK","result":{"symbol":"BTCUSDT","category":"spot","list":[["1670608800000","17071","17073","17027","17055.5","268611","15.74462667"],["1670608740000","17060","17071","17050","17071","100","1.7"]]},"retExtInfo":{},"time":1672025956592}"#
        let candles = try bybit.klines(from: Data(body.utf8))
        #expect(candles.map(\.openTime) == [1_670_608_740_000, 1_670_608_800_000])
        #expect(candles[1] == Candle(openTime: 1_670_608_800_000, open: 17071, high: 17073, low: 17027, close: 17055.5, volume: 268611))
        #expect(try bybit.serverTime(from: Data(#"{"retCode":0,"retMsg":"OK","result":{"timeSecond":"1688639403","timeNano":"1688639403423213947"},"retExtInfo":{},"time":1688639403423}"#.utf8)) == 1_688_639_403_423)
        #expect(bybit.klinesRequest(symbol: "BTCUSDT", start: 0, limit: 1000).hasSuffix("&start=0&end=59999999&limit=1000"), "both ends, so Bybit answers the span after start")
    }

    @Test func bybitStreamFramesUseConfirm() throws {
        let frame = #"{"topic":"kline.1.BTCUSDT","data":[{"start":1672324800000,"end":1672324859999,"interval":"1","open":"16649.5","close":"16677","high":"16677","low":"16608","volume":"2.081","turnover":"34666.4005","confirm":true,"timestamp":1672324860000}],"ts":1672324860001,"type":"snapshot"}"#
        #expect(try bybit.streamMessage(frame) == .kline(symbol: "BTCUSDT", candle: Candle(openTime: 1_672_324_800_000, open: 16649.5, high: 16677, low: 16608, close: 16677, volume: 2.081), closed: true))
        #expect(try bybit.streamMessage(#"{"success":true,"ret_msg":"pong","conn_id":"x","op":"ping"}"#) == .control)
        #expect(throws: VenueFeedError.self) { try bybit.streamMessage(#"{"success":false,"ret_msg":"error:handler not found","op":"subscribe"}"#) }
    }

    @Test func malformedAnswersAreRefusedWithWhatWasWrong() {
        func refusal(_ body: () throws -> Any) -> String {
            do { _ = try body(); return "" } catch { return (error as? VenueFeedError)?.description ?? "\(error)" }
        }
        #expect(refusal { try binance.klines(from: Data("<html>".utf8)) }.contains("not JSON"))
        #expect(refusal { try binance.klines(from: Data(#"{"code":-1121,"msg":"Invalid symbol."}"#.utf8)) }.contains("expected an array"))
        #expect(refusal { try binance.klines(from: Data(#"[[1,"a","2","1","1","1"]]"#.utf8)) }.contains("not a number"))
        // High below the close: the candle files' own rule refuses it.
        #expect(refusal { try binance.klines(from: Data(#"[[60000,"10","11","9","12","1"]]"#.utf8)) }.contains("inconsistent"))
        #expect(refusal { try bybit.klines(from: Data(#"{"retCode":10001,"retMsg":"params error","result":{}}"#.utf8)) }.contains("retCode 10001"))
        #expect(refusal { try binance.streamMessage(#"{"e":"kline","s":"BTCUSDT","k":{"t":0,"i":"1m","o":"1","h":"1","l":"1","c":"1","v":"1"}}"#) }.contains("closed flag"))
    }

    @Test func streamURLsFollowTheRestEndpoint() {
        #expect(binance.streamURL(restEndpoint: "http://127.0.0.1:9000") == "ws://127.0.0.1:9000/ws")
        #expect(bybit.streamURL(restEndpoint: "http://127.0.0.1:9000/") == "ws://127.0.0.1:9000/v5/public/spot")
        #expect(binance.streamURL(restEndpoint: binance.productionEndpoint) == "wss://stream.binance.com:9443/ws")
        #expect(bybit.streamURL(restEndpoint: bybit.productionEndpoint) == "wss://stream.bybit.com/v5/public/spot")
    }
}
