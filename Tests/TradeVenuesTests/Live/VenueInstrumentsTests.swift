import Foundation
import Testing
import TradeCore
import TradeVenues

/// The symbols' trading rules read from the venues' filters, on the shapes
/// their docs show (Binance's exchangeInfo, Bybit's instruments-info), and
/// refusing what is not a rule.
@Suite struct VenueInstrumentsTests {
    let binance = BinanceMarketData()
    let bybit = BybitMarketData()

    @Test func binanceFiltersGiveTickStepAndMinimumNotional() throws {
        #expect(binance.instrumentRequest(symbol: "BTCUSDT") == "/api/v3/exchangeInfo?symbol=BTCUSDT")
        let body = #"""
        {"timezone":"UTC","serverTime":1565246363776,"rateLimits":[],"exchangeFilters":[],"symbols":[{"symbol":"ETHBTC","status":"TRADING",
         "baseAsset":"ETH","baseAssetPrecision":8,"quoteAsset":"BTC","quotePrecision":8,"orderTypes":["LIMIT","MARKET"],
         "filters":[{"filterType":"PRICE_FILTER","minPrice":"0.00000100","maxPrice":"922327.00000000","tickSize":"0.00000100"},
                    {"filterType":"LOT_SIZE","minQty":"0.00010000","maxQty":"100000.00000000","stepSize":"0.00010000"},
                    {"filterType":"NOTIONAL","minNotional":"0.00010000","applyMinToMarket":true,"maxNotional":"9000000.00000000"}]}]}
        """#
        let rules = try #require(try binance.instrument(symbol: "ETHBTC", from: Data(body.utf8)))
        #expect(rules == Instrument(symbol: "ETHBTC", baseAsset: "ETH", quoteAsset: "BTC", tickSize: Price("0.000001")!,
                                    lotSize: Quantity("0.0001")!, minNotional: Money("0.0001")!))
        // The older MIN_NOTIONAL filter is read the same way.
        let older = body.replacingOccurrences(of: #""filterType":"NOTIONAL""#, with: #""filterType":"MIN_NOTIONAL""#)
        #expect(try binance.instrument(symbol: "ETHBTC", from: Data(older.utf8))?.minNotional == Money("0.0001")!)
        #expect(try binance.instrument(symbol: "DOGEXYZ", from: Data(#"{"code":-1121,"msg":"Invalid symbol."}"#.utf8)) == nil)
        #expect(try binance.instrument(symbol: "BTCUSDT", from: Data(body.utf8)) == nil, "a symbol the answer does not list")
        let noTick = body.replacingOccurrences(of: #""tickSize":"0.00000100""#, with: #""tickSize":"zero""#)
        #expect(throws: VenueFeedError.self) { _ = try binance.instrument(symbol: "ETHBTC", from: Data(noTick.utf8)) }
    }

    @Test func bybitFiltersGiveTickBasePrecisionAndMinimumOrderAmount() throws {
        #expect(bybit.instrumentRequest(symbol: "BTCUSDT") == "/v5/market/instruments-info?category=spot&symbol=BTCUSDT")
        let body = #"""
        {"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[{"symbol":"BTCUSDT","baseCoin":"BTC","quoteCoin":"USDT",
         "innovation":"0","status":"Trading","marginTrading":"both",
         "lotSizeFilter":{"basePrecision":"0.000001","quotePrecision":"0.00000001","minOrderQty":"0.000048","maxOrderQty":"71.73956243",
                          "minOrderAmt":"1","maxOrderAmt":"2000000"},
         "priceFilter":{"tickSize":"0.01"},"riskParameters":{"priceLimitRatioX":"0.01","priceLimitRatioY":"0.02"}}]},
         "retExtInfo":{},"time":1672712468011}
        """#
        let rules = try #require(try bybit.instrument(symbol: "BTCUSDT", from: Data(body.utf8)))
        #expect(rules == Instrument(symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.01")!,
                                    lotSize: Quantity("0.000001")!, minNotional: Money("1")!))
        #expect(try bybit.instrument(symbol: "BTCUSDT", from: Data(#"{"retCode":0,"retMsg":"OK","result":{"category":"spot","list":[]}}"#.utf8)) == nil)
        #expect(throws: VenueFeedError.self) { _ = try bybit.instrument(symbol: "BTCUSDT", from: Data("[]".utf8)) }
    }
}
