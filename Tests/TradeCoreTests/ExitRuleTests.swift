import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// Every exit, in its order, on real minutes.
@Suite struct ExitRuleTests {
    let e = ExitParameters()

    /// A model position filled at the open of a real bar, with the given stop
    /// and target distances, booked through `ModelBook` as the strategy does.
    func position(_ d: Direction, at c: Candle, stop: Double, target: Double, family: SignalFamily = .trendFollowing) -> ModelPosition {
        var book = ModelBook(symbolCount: 1)
        let signal = Signal(time: c.openTime - 60_000, symbol: 0, model: .aggressive, family: family, timeframe: .m5,
                            direction: d, score: d.sign * 0.8, threshold: 0.4, regime: .chop, categories: .zero,
                            reasons: SignalReasons(), stopDistance: stop, targetDistance: target)
        let q = Quantity(raw: 1_000_000)
        book.openEntry(.aggressive, 0, direction: d, quantity: q, signal: signal, signalIndex: 0)
        _ = book.apply(Fill(orderID: 1, symbol: 0, side: d.entrySide, price: Price(c.open), quantity: q, fee: .zero,
                            liquidity: .taker, time: c.openTime, barIndex: 0), model: .aggressive, isEntry: true, exitComplete: false)
        return book[.aggressive, 0]
    }

    /// Runs the exits over `bars` (from the entry bar on); returns the first exit and its bar.
    func firstExit(_ p: ModelPosition, _ bars: ArraySlice<Candle>, regime: (Candle) -> RegimeLabel = { _ in .trendUp },
                   thesis: (Candle) -> Bool = { _ in false }) -> (ExitReason, Candle, ModelPosition)? {
        var p = p
        for c in bars {
            if let r = ExitRules.evaluate(&p, bar: c, barMilliseconds: 60_000, regime: regime(c), thesisBroken: thesis(c),
                                          parameters: e, holdingTimeScale: 1) { return (r, c, p) }
        }
        return nil
    }

    var crashBars: ArraySlice<Candle> {
        ModelsTestData.slice(ModelsTestData.ethJan, from: RegimeTestData.utc(2025, 2, 3), to: RegimeTestData.utc(2025, 2, 3, 4))
    }

    var calmBars: ArraySlice<Candle> {
        ModelsTestData.slice(ModelsTestData.ethJan, from: RegimeTestData.utc(2025, 1, 14), to: RegimeTestData.utc(2025, 1, 14, 6))
    }

    @Test func stopLossFiresWhereTheBarTradesThroughItAndNotOnCalmBars() {
        let bars = crashBars
        let p = position(.long, at: bars.first!, stop: 100, target: 10_000)
        let expected = bars.first { $0.low <= p.stopPrice }!
        let (reason, bar, _) = firstExit(p, bars)!
        #expect(reason == .stopLoss && bar.openTime == expected.openTime)
        #expect(p.stopPrice == p.entryPrice - 100 && p.targetPrice == p.entryPrice + 10_000)
        // The same stop on calm bars: never touched (the calm window's range is smaller).
        let calm = calmBars
        let q = position(.long, at: calm.first!, stop: 100, target: 10_000)
        #expect(calm.allSatisfy { $0.low > q.stopPrice })
        #expect(firstExit(q, calm, regime: { _ in .trendUp }).map(\.0) != .stopLoss)
    }

    @Test func takeProfitFiresWhenTheBarReachesTheTarget() {
        let bars = crashBars
        let p = position(.short, at: bars.first!, stop: 1_000, target: 150)
        let expected = bars.first { $0.low <= p.targetPrice }!
        let (reason, bar, _) = firstExit(p, bars, regime: { _ in .trendDown })!
        #expect(reason == .takeProfit && bar.openTime == expected.openTime)
        #expect(bars.prefix { $0.openTime < bar.openTime }.allSatisfy { $0.high < p.stopPrice })
    }

    /// The crash minute trades through both a long's stop and its target (a
    /// 300-dollar range): the stop is checked first and wins.
    @Test func stopComesBeforeTargetWhenOneBarHitsBoth() {
        let i = ModelsTestData.index(ModelsTestData.ethJan, at: ModelsTestData.crashMinute)
        let crash = ModelsTestData.ethJan[i]
        #expect(crash.high - crash.low > 200)
        // Entered at the crash bar's open with a stop and a target both inside its range.
        let p = position(.long, at: crash, stop: crash.open - crash.low - 1, target: crash.high - crash.open - 1)
        #expect(crash.low <= p.stopPrice && crash.high >= p.targetPrice)
        #expect(firstExit(p, ModelsTestData.ethJan[i...(i + 1)])?.0 == .stopLoss)
    }

    /// A multi-stage trail on a real rally (BTC, 2025-01-06, +4 % in a morning),
    /// for stop distances from 100 to 1,500: it arms at +1R, tightens at +2R and
    /// +3R, only ever moves up, never trails against its own bar, and exits on
    /// the first bar that trades back through it.
    @Test func trailingStopTightensAsProfitGrowsAndExitsOnThePullback() {
        let bars = ModelsTestData.slice(ModelsTestData.btcJan, from: RegimeTestData.utc(2025, 1, 6), to: RegimeTestData.utc(2025, 1, 7))
        var reachedThird = 0, exits = 0
        for stop in stride(from: 100.0, through: 1_500, by: 100) {
            var p = position(.long, at: bars.first!, stop: stop, target: 50_000)
            var levels: [Double] = [], stages: [Int] = []
            for c in bars.dropFirst() {
                let before = p.trailLevel
                if let r = ExitRules.evaluate(&p, bar: c, barMilliseconds: 60_000, regime: .trendUp, thesisBroken: false,
                                              parameters: e, holdingTimeScale: 100) {
                    if r == .trailingStop { exits += 1; #expect(c.low <= before) }
                    break
                }
                if !p.trailLevel.isNaN { levels.append(p.trailLevel); stages.append(p.trailStage) }
            }
            #expect(zip(levels, levels.dropFirst()).allSatisfy { $0 <= $1 }, "the trail loosened (stop \(stop))")
            #expect(zip(stages, stages.dropFirst()).allSatisfy { $0 <= $1 })
            if stages.last == 3 {
                reachedThird += 1
                // At +3R and beyond the trail sits 0.5R under the best price.
                #expect(abs(levels.last! - (p.bestPrice - 0.5 * stop)) < 1e-6)
                #expect(Set(stages).isSuperset(of: [3]))
            }
        }
        #expect(reachedThird > 0 && exits > 0)
        // A stop on calm bars that never makes 1R: the trail never arms.
        var calm = position(.long, at: calmBars.first!, stop: 2_000, target: 50_000)
        for c in calmBars.prefix(50) { _ = ExitRules.evaluate(&calm, bar: c, barMilliseconds: 60_000, regime: .trendUp, thesisBroken: false, parameters: e, holdingTimeScale: 100) }
        #expect(calm.trailLevel.isNaN && calm.trailStage == 0)
    }

    /// With stops and targets out of reach on calm bars, the time limit of the
    /// current regime closes the trade: TREND 4 h, RANGE 2 h, CHOP 1 h (× scale).
    @Test func timeLimitDependsOnTheRegime() {
        let calm = calmBars
        for (regime, minutes) in [(RegimeLabel.trendUp, 240), (.range, 120), (.chop, 60), (.volatile, 60)] {
            let p = position(.long, at: calm.first!, stop: 5_000, target: 5_000)
            let (reason, bar, _) = firstExit(p, calm, regime: { _ in regime == .trendUp ? .trendUp : regime })!
            #expect(reason == .timeLimit)
            #expect(bar.openTime + 60_000 - calm.first!.openTime == Int64(minutes) * 60_000)
        }
        // The balanced model's scale (4) stretches CHOP's hour to four.
        var p = position(.long, at: calm.first!, stop: 5_000, target: 5_000)
        var held = 0
        for c in calm {
            held += 1
            if ExitRules.evaluate(&p, bar: c, barMilliseconds: 60_000, regime: .chop, thesisBroken: false, parameters: e, holdingTimeScale: 4) != nil { break }
        }
        #expect(held == 240)
    }

    @Test func aRegimeTurningAgainstThePositionClosesItAndOneWithItDoesNot() {
        let calm = calmBars
        let flip = calm[calm.startIndex + 30].openTime
        let long = position(.long, at: calm.first!, stop: 5_000, target: 5_000)
        let (reason, bar, _) = firstExit(long, calm, regime: { $0.openTime >= flip ? .trendDown : .trendUp })!
        #expect(reason == .regimeChange && bar.openTime == flip)
        let short = position(.short, at: calm.first!, stop: 5_000, target: 5_000)
        #expect(firstExit(short, calm, regime: { $0.openTime >= flip ? .trendDown : .range })?.0 == .timeLimit)
    }

    /// A real mean-reversion long on SOL minutes: its thesis breaks when RSI
    /// turns overbought, and the exit says so (if no earlier exit fired).
    @Test func aMeanReversionLongWhoseRSITurnsOverboughtIsClosedForThesisInvalidation() {
        var p = ModelParameters.defaults(for: .aggressive)
        p.families = FamilySet([.meanReversion])
        let model = AggressiveModel(parameters: p)
        var checked = 0, invalidated = 0
        var open: (ModelPosition, Int)?
        var replay = Replay(timeframes: [.m5])
        let sol = ModelsTestData.solJan
        for (i, c) in sol.enumerated() {
            replay.add(c)
            if var (pos, _) = open {
                let rsi = replay[.m1].features.rsi
                let broken = p.meanReversion.invalidates(.long, replay[.m1].features)
                #expect(broken == (rsi >= 75))
                if let r = ExitRules.evaluate(&pos, bar: c, barMilliseconds: 60_000, regime: .range, thesisBroken: broken,
                                              parameters: e, holdingTimeScale: 1) {
                    if r == .thesisInvalidated { invalidated += 1; #expect(rsi >= 75) }
                    checked += 1
                    open = nil
                } else {
                    open = (pos, i)
                }
                continue
            }
            if let s = model.evaluate(symbol: 0, time: c.openTime, m1: replay[.m1], m5: replay[.m5]), s.direction == .long, i + 1 < sol.count {
                open = (position(.long, at: sol[i + 1], stop: 10 * s.stopDistance, target: 10 * s.stopDistance, family: .meanReversion), i)
            }
        }
        #expect(checked > 5 && invalidated > 0)
    }

    /// Rebalance closes the dominant side, worst first, only while net
    /// exposure is above 50 % of equity.
    @Test func rebalanceClosesTheWorstOfTheDominantSideUntilBelowTheTrigger() {
        let positions = [
            Rebalance.Candidate(model: .aggressive, symbol: 0, notional: 25_000, unrealizedPnL: -300),
            Rebalance.Candidate(model: .balanced, symbol: 1, notional: 20_000, unrealizedPnL: 150),
            Rebalance.Candidate(model: .bigPicture, symbol: 2, notional: 15_000, unrealizedPnL: -50),
            Rebalance.Candidate(model: .balanced, symbol: 2, notional: -5_000, unrealizedPnL: -900),
        ]
        let net = positions.reduce(0) { $0 + $1.notional }   // 55,000 on 100,000: one-sided 55 %
        let close = Rebalance.select(netExposure: net, equity: 100_000, trigger: 0.5, positions: positions)
        #expect(close.map(\.symbol) == [0])                    // the worst long; the short is never chosen
        #expect(Rebalance.select(netExposure: net, equity: 110_000, trigger: 0.5, positions: positions).isEmpty)
        let more = Rebalance.select(netExposure: 80_000, equity: 100_000, trigger: 0.5, positions: positions)
        #expect(more.map(\.model) == [.aggressive, .bigPicture])
    }
}
