import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Every fill rule of the paper broker, each on real BTCUSDT 1m bars: the test
/// reads the bar, places an order that must (or must not) fill on it, and
/// checks price, time, quantity and fee.
@Suite struct PaperBrokerTests {
    static let candles: [Candle] = try! SharedData.candles("BTCUSDT-1m-20250101-20250204.csv", limit: 3_000)
    static let btc = Instrument.spot("BTCUSDT")

    func run(_ script: [Int: [OrderIntent]], configure: (inout EngineConfiguration) -> Void = { _ in },
             bars: Int = 3_000) throws -> (ScriptedStrategy, BacktestResult) {
        var config = EngineConfiguration(instruments: [Self.btc])
        configure(&config)
        var engine = TradingEngine(configuration: config, strategy: ScriptedStrategy(script))
        for (i, c) in Self.candles.prefix(bars).enumerated() { try engine.handleCandle(symbol: 0, candle: c, barIndex: i) }
        engine.finish()
        let r = BacktestResult(instruments: [Self.btc], fills: Array(engine.fills), orders: Array(engine.orders),
                               equityCurve: engine.equityCurve, ledger: engine.ledger, finalMarks: engine.marks,
                               finalEquity: engine.equity, candlesProcessed: bars, firstBars: [], lastBars: [])
        return (engine.strategy, r)
    }

    func buy(_ qty: String, _ type: OrderType = .market, id: String? = nil) -> OrderIntent {
        OrderIntent(symbol: 0, side: .buy, type: type, quantity: Quantity(qty)!, clientOrderID: id)
    }
    func sell(_ qty: String, _ type: OrderType = .market) -> OrderIntent {
        OrderIntent(symbol: 0, side: .sell, type: type, quantity: Quantity(qty)!)
    }
    var c: [Candle] { Self.candles }

    @Test func marketNextOpenFillsAtTheNextBarsOpenWithTakerFee() throws {
        let (_, r) = try run([100: [buy("0.01")]])
        #expect(r.fills.count == 1)
        let f = try #require(r.fills.first)
        #expect(f.price == Price(c[101].open))
        #expect(f.barIndex == 101 && f.time == c[101].openTime)
        #expect(f.liquidity == .taker)
        #expect(f.fee == Money(notionalOf: f.quantity, at: f.price).scaled(byRateE8: 100_000))
    }

    @Test func marketCloseFillsAtTheSignalBarsClose() throws {
        let (_, r) = try run([100: [buy("0.01")]]) { $0.broker.fillConvention = .close }
        let f = try #require(r.fills.first)
        #expect(f.price == Price(c[100].close) && f.barIndex == 100)
    }

    /// First bar after `from` whose low is strictly below the previous close.
    func firstDip(after from: Int) -> Int { (from + 1..<c.count).first { c[$0].low < c[from].close }! }

    @Test func limitBuyFillsWhenLowReachesItAtTheBetterOfOpenAndLimit() throws {
        // A limit just above the lowest low of the next 20 bars, below the signal close.
        let signal = 200
        let window = c[(signal + 1)...(signal + 20)]
        let lowest = window.map(\.low).min()!
        let limit = Price(lowest + 0.01)
        try #require(limit < Price(c[signal].close), "the window must dip below the signal close")
        let expectedBar = (signal + 1...signal + 20).first { Price(c[$0].low) <= limit }!
        let (_, r) = try run([signal: [buy("0.01", .limit(limit))]])
        let f = try #require(r.fills.first)
        #expect(f.barIndex == expectedBar)
        #expect(f.price == min(Price(c[expectedBar].open), limit))
        #expect(f.liquidity == .maker)
    }

    @Test func limitBuyBelowEveryLowNeverFills() throws {
        let lowest = c[301...].map(\.low).min()!
        let (_, r) = try run([300: [buy("0.01", .limit(Price(lowest - 1)))]])
        #expect(r.fills.isEmpty)
        #expect(r.orders.first?.status == .open)
    }

    @Test func limitSellFillsWhenHighReachesIt() throws {
        let signal = 400
        let highest = c[(signal + 1)...(signal + 30)].map(\.high).max()!
        let limit = Price(highest - 0.01)
        let expectedBar = (signal + 1...signal + 30).first { Price(c[$0].high) >= limit }!
        let (_, r) = try run([signal - 1: [buy("0.01")], signal: [sell("0.01", .limit(limit))]]) { $0.broker.fillConvention = .close }
        let f = try #require(r.fills.last)
        #expect(f.side == .sell && f.barIndex == expectedBar)
        #expect(f.price == max(Price(c[expectedBar].open), limit))
    }

    @Test func limitThatTheOpenGapsThroughFillsAtTheOpen() throws {
        // A buy limit above the next open fills at that (better) open.
        let signal = 500
        let limit = Price(c[signal + 1].open + 50)
        let (_, r) = try run([signal: [buy("0.01", .limit(limit))]])
        let f = try #require(r.fills.first)
        #expect(f.barIndex == signal + 1 && f.price == Price(c[signal + 1].open))
    }

    @Test func stopBuyTriggersOnHighAndSellStopOnLow() throws {
        let signal = 600
        let stopUp = Price(c[(signal + 1)...(signal + 30)].map(\.high).max()! - 0.01)
        let upBar = (signal + 1...signal + 30).first { Price(c[$0].high) >= stopUp }!
        let (_, r1) = try run([signal: [buy("0.01", .stop(stopUp))]])
        let f1 = try #require(r1.fills.first)
        #expect(f1.barIndex == upBar && f1.price == max(Price(c[upBar].open), stopUp) && f1.liquidity == .taker)

        let stopDown = Price(c[(signal + 1)...(signal + 30)].map(\.low).min()! + 0.01)
        let downBar = (signal + 1...signal + 30).first { Price(c[$0].low) <= stopDown }!
        let (_, r2) = try run([signal - 1: [buy("0.01")], signal: [sell("0.01", .stop(stopDown))]]) { $0.broker.fillConvention = .close }
        let f2 = try #require(r2.fills.last)
        #expect(f2.side == .sell && f2.barIndex == downBar && f2.price == min(Price(c[downBar].open), stopDown))
    }

    @Test func makerAndTakerFeesDiffer() throws {
        let (_, r) = try run([700: [buy("0.01"), buy("0.01", .limit(Price(c[701].open + 100)))]]) {
            $0.broker.makerFeeE8 = 20_000   // 0.02 %
            $0.broker.takerFeeE8 = 75_000   // 0.075 %
        }
        #expect(r.fills.count == 2)
        for f in r.fills {
            let rate: Int64 = f.liquidity == .maker ? 20_000 : 75_000
            #expect(f.fee == f.notional.scaled(byRateE8: rate))
        }
        #expect(Set(r.fills.map(\.liquidity)) == [.maker, .taker])
    }

    @Test func slippageIsAdverseFixedPlusVolatilityAndOnTheTick() throws {
        let (_, r) = try run([800: [buy("0.01")], 810: [sell("0.01")]]) {
            $0.broker.slippageBps = 5
            $0.broker.volatilitySlippage = 0.5
        }
        #expect(r.fills.count == 2)
        let b = r.fills[0], s = r.fills[1]
        // The last completed bar before the fill bar sets the volatility part.
        let rangeB = (c[800].high - c[800].low) / c[800].close
        let expectedBuy = c[801].open * (1 + 5e-4 + 0.5 * rangeB)
        #expect(b.price > Price(c[801].open))
        #expect(abs(b.price.doubleValue - expectedBuy) <= 0.01)
        #expect(b.price.raw % Self.btc.tickSize.raw == 0)
        let rangeS = (c[810].high - c[810].low) / c[810].close
        let expectedSell = c[811].open * (1 - 5e-4 - 0.5 * rangeS)
        #expect(s.price < Price(c[811].open))
        #expect(abs(s.price.doubleValue - expectedSell) <= 0.01)
    }

    @Test func largeOrdersFillPartiallyAndCarryToTheNextBars() throws {
        let share = 0.01
        let (_, r) = try run([900: [buy("0.8")]]) { $0.broker.maxVolumeParticipation = share }
        #expect(r.fills.count > 1, "a 0.8 BTC order should need several 1m bars at 1 % participation")
        var expectedBar = 901
        var total = Quantity.zero
        for f in r.fills {
            // Each bar fills at most its share of volume; bars without enough volume still fill what they allow.
            let cap = Quantity(raw: Int64((c[f.barIndex].volume * share * 1e8).rounded(.down)))
            #expect(f.quantity <= cap)
            #expect(f.barIndex >= expectedBar)
            #expect(f.price == Price(c[f.barIndex].open))
            expectedBar = f.barIndex + 1
            total += f.quantity
        }
        #expect(total == Quantity("0.8")!)
        #expect(r.orders[0].status == .filled)
    }

    @Test func clientOrderIDsAreIdempotent() throws {
        let (_, r) = try run([1000: [buy("0.01", id: "mine-1"), buy("0.01", id: "mine-1")], 1001: [buy("0.01", id: "mine-1")]])
        #expect(r.orders.count == 1)
        #expect(r.fills.count == 1)
        #expect(r.orders[0].clientOrderID == "mine-1")
        // Generated ids are unique.
        let (_, r2) = try run([1000: [buy("0.01"), buy("0.01")], 1005: [buy("0.01")]])
        #expect(Set(r2.orders.map(\.clientOrderID)).count == 3)
    }

    @Test func quantitiesAndPricesAreRoundedToLotAndTickBeforeTheBroker() throws {
        let coarse = Instrument(symbol: "BTCUSDT", baseAsset: "BTC", quoteAsset: "USDT", tickSize: Price("0.1")!,
                                lotSize: Quantity("0.001")!, minNotional: Money(units: 5))
        let (_, r) = try run([1100: [buy("0.0129999", .limit(Price("90000.1999")!))]]) { $0.instruments = [coarse] }
        let o = try #require(r.orders.first)
        #expect(o.quantity == Quantity("0.012")!)
        #expect(o.type == .limit(Price("90000.1")!))   // buy limits round down
    }

    @Test func invalidOrdersAreRejectedWithAReasonAndChangeNothing() throws {
        let (s, r) = try run([
            1200: [OrderIntent(symbol: 0, side: .buy, quantity: .zero)],
            1201: [buy("0.00001")],   // ~1 USDT, below the 5 USDT minimum notional
            1202: [sell("0.01")],     // shorting is disabled in this run
            1203: [buy("5")],         // ~470k USDT against 100k equity
        ], configure: { $0.allowShorting = false })
        #expect(r.fills.isEmpty)
        #expect(r.ledger.cash == Money(units: 100_000))
        let reasons = s.rejections.map(\.statusMessage)
        #expect(reasons.count == 4)
        #expect(reasons[0].contains("quantity must be positive"))
        #expect(reasons[1].contains("below the minimum"))
        #expect(reasons[2].contains("shorting is disabled"))
        #expect(reasons[3].contains("insufficient buying power"))
        #expect(r.orders.allSatisfy { $0.status == .rejected })
    }

    @Test func shortsAreBookedAndClosed() throws {
        let (_, r) = try run([1300: [sell("0.02")], 1310: [buy("0.02")]])
        #expect(r.fills.count == 2)
        #expect(r.ledger.positions[0].isFlat)
        let expected = Money(notionalOf: Quantity("0.02")!, at: r.fills[0].price)
            - Money(notionalOf: Quantity("0.02")!, at: r.fills[1].price)
        #expect(r.ledger.realizedPnL == expected)
    }
}
