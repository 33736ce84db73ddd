import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// Real round trips to feed the trade-record parts of the risk engine: the
/// reference strategy's 2,175 BTC trades (May–Aug 2025), independent engines'
/// fills, net of 0.1 % fees.
enum RealTrades {
    struct Trade { var entryTime: Int64; var exitTime: Int64; var net: Double }

    static let btcMay: [Trade] = {
        guard let (_, rows) = try? SharedData.csvRows(SharedData.reference("BTCUSDT-1m-20250520-20250818.ema_cross_rsi.next-open.trades.csv")) else { return [] }
        var fills: [Fill] = []
        for (i, r) in rows.enumerated() {
            let price = Price(String(r[3]))!, qty = Quantity(String(r[4]))!
            let fee = Money(notionalOf: qty, at: price).scaled(byRateE8: 100_000)
            fills.append(Fill(orderID: Int64(i + 1), symbol: 0, side: r[0] == "BUY" ? .buy : .sell, price: price,
                              quantity: qty, fee: fee, liquidity: .taker, time: Int64(r[2])!, barIndex: Int(r[1])!))
        }
        return RoundTripBuilder.build(fills: fills, symbolCount: 1).closed.map {
            Trade(entryTime: $0.entryTime, exitTime: $0.exitTime, net: $0.netPnL.doubleValue)
        }
    }()
}

@Suite struct ExpectancyAndSizingTests {
    @Test func expectancyWindowsMatchADirectComputationOnRealTrades() {
        let trades = RealTrades.btcMay
        #expect(trades.count == 2_175)
        var engine = ExpectancyEngine()
        #expect(engine.stats(window: 30) == .empty)
        for (k, t) in trades.enumerated() {
            engine.record(netPnL: t.net)
            guard [10, 29, 30, 99, 100, 499, 500, 1_000, 2_174].contains(k) else { continue }
            for w in ExpectancyEngine.windows {
                let last = trades[..<(k + 1)].suffix(w).map(\.net)
                let s = engine.stats(window: w)
                let wins = last.filter { $0 > 0 }, losses = last.filter { $0 <= 0 }
                #expect(s.sampleSize == last.count)
                #expect(abs(s.winRate - Double(wins.count) / Double(last.count)) < 1e-12)
                #expect(abs(s.expectancy - last.reduce(0, +) / Double(last.count)) < 1e-9)
                let payoff = (wins.reduce(0, +) / Double(wins.count)) / (-losses.reduce(0, +) / Double(losses.count))
                #expect(abs(s.payoffRatio! - payoff) < 1e-9)
                // Kelly: f = (p·b − q)/b, positive exactly when the expectancy is.
                #expect((s.kellyFraction > 0) == (s.expectancy > 0))
            }
        }
        #expect(engine.totalTrades == 2_175)
    }

    /// Exploration below 30 trades, fractional Kelly from 30, zero size when
    /// the expectancy is not positive — on windows of real trades.
    @Test func sizingExploresThenUsesFractionalKellyAndStopsOnNonPositiveExpectancy() {
        let trades = RealTrades.btcMay.map(\.net)
        var p = SizingParameters()
        func sized(_ window: ArraySlice<Double>, closed: Int) -> SizingResult {
            var e = ExpectancyEngine()
            for x in window { e.record(netPnL: x) }
            return PositionSizer.size(equity: 100_000, price: 100_000, stopDistance: 1_000, targetDistance: 3_000,
                                      costPerUnit: 0, closedTrades: closed, stats: e.stats(window: p.kellyWindow),
                                      regime: .range, volatilityRatio: 1, sizeScale: 1, parameters: p)
        }
        // 29 trades: exploration, 0.5 % of equity at risk whatever the record says.
        let exploring = sized(trades[0..<29], closed: 29)
        #expect(exploring.basis == .exploration && exploring.veto == nil)
        #expect(abs(exploring.riskFraction - 0.005 * 0.8) < 1e-15)          // × RANGE 0.8
        #expect(abs(exploring.quantity - 100_000 * 0.004 / 1_000) < 1e-12)  // risk / stop distance
        // This record never has a positive 100-trade window (fees); its best and
        // worst 30-trade windows, read with a 30-trade Kelly window.
        func windows(_ n: Int) -> [(Int, Double)] { (0...(trades.count - n)).map { ($0, trades[$0..<($0 + n)].reduce(0, +)) } }
        #expect(windows(100).allSatisfy { $0.1 < 0 })
        p.kellyWindow = 30
        let best = windows(30).max { $0.1 < $1.1 }!, worst = windows(30).min { $0.1 < $1.1 }!
        #expect(best.1 > 0 && worst.1 < 0)
        let good = sized(trades[best.0..<(best.0 + 30)], closed: 30)
        var e = ExpectancyEngine()
        for x in trades[best.0..<(best.0 + 30)] { e.record(netPnL: x) }
        let f = e.stats(window: 30).kellyFraction
        #expect(good.basis == .kelly && f > 0 && abs(good.kelly - f) < 1e-15)
        #expect(abs(good.riskFraction - min(0.25 * f * 0.8, 0.02)) < 1e-15)
        let bad = sized(trades[worst.0..<(worst.0 + 30)], closed: 30)
        #expect(bad.veto?.rule == .expectancyNonPositive && bad.quantity == 0)
    }

    /// Stops from ATR, the regime multipliers, the volatility penalty and the
    /// 2 % cap, on a real aggressive signal.
    @Test func realSignalsAreSizedFromATRRegimeAndVolatilityAndNeverRiskMoreThanTwoPercent() {
        var p = ModelParameters.defaults(for: .aggressive)
        p.families = FamilySet([.trendFollowing])
        let model = AggressiveModel(parameters: p)
        var signals: [(Signal, FeatureSnapshot)] = []
        Replay.run(ModelsTestData.ethJan.prefix(20_000), timeframes: [.m5]) { c, r in
            if let s = model.evaluate(symbol: 1, time: c.openTime, m1: r[.m1], m5: r[.m5]) { signals.append((s, r[.m5].features)) }
        }
        #expect(signals.count >= 3)
        let sizing = SizingParameters()
        for (s, f) in signals {
            #expect(abs(s.stopDistance - 2 * f.atr) < 1e-9)
            let r = PositionSizer.size(equity: 100_000, price: f.close, stopDistance: s.stopDistance,
                                       targetDistance: s.targetDistance, costPerUnit: 0, closedTrades: 0, stats: .empty,
                                       regime: s.regime, volatilityRatio: f.volatilityRatio, sizeScale: 1, parameters: sizing)
            let penalty = f.volatilityRatio > 1 ? max(0.25, 1 - 0.5 * (f.volatilityRatio - 1)) : 1
            #expect(abs(r.riskFraction - 0.005 * sizing.regimeMultiplier(s.regime) * penalty) < 1e-15)
            #expect(abs(r.quantity * s.stopDistance - 100_000 * r.riskFraction) < 1e-6)
        }
        #expect(sizing.regimeMultiplier(.trendUp) == 1.3 && sizing.regimeMultiplier(.range) == 0.8
                && sizing.regimeMultiplier(.chop) == 0.4 && sizing.regimeMultiplier(.volatile) == 0.3)
        // A record good enough for 25 % Kelly to ask for more than 2 %: capped.
        var e = ExpectancyEngine()
        for k in 0..<40 { e.record(netPnL: k % 4 == 0 ? -100 : 300) }
        let capped = PositionSizer.size(equity: 100_000, price: 3_000, stopDistance: 30, targetDistance: 90, costPerUnit: 0,
                                        closedTrades: 40, stats: e.stats(window: 100), regime: .trendUp,
                                        volatilityRatio: 0.8, sizeScale: 1.5, parameters: sizing)
        #expect(0.25 * e.stats(window: 100).kellyFraction * 1.3 * 1.5 > 0.02)
        #expect(capped.riskFraction == 0.02)
    }

    /// Reward:risk below 2 means no entry. Mean reversion targets the middle
    /// band and mostly fails it on real minutes; 2.5R trend targets pass unless
    /// the round-trip cost eats the margin.
    @Test func rewardToRiskBelowTwoIsNoEntry() {
        let p = ModelParameters.defaults(for: .aggressive)
        let model = AggressiveModel(parameters: p)
        var gross = SizingParameters()
        gross.rewardRiskIncludesCosts = false
        var mrPass = 0, mrFail = 0, trendPass = 0, trendFailWithCosts = 0
        Replay.run(ModelsTestData.solJan.prefix(25_000), timeframes: [.m5]) { c, r in
            guard let s = model.evaluate(symbol: 2, time: c.openTime, m1: r[.m1], m5: r[.m5]) else { return }
            let price = r[.m1].features.close
            let noCost = PositionSizer.size(equity: 1e5, price: price, stopDistance: s.stopDistance, targetDistance: s.targetDistance,
                                            costPerUnit: 0, closedTrades: 0, stats: .empty, regime: s.regime,
                                            volatilityRatio: 1, sizeScale: 1, parameters: gross)
            let withCost = PositionSizer.size(equity: 1e5, price: price, stopDistance: s.stopDistance, targetDistance: s.targetDistance,
                                              costPerUnit: price * 0.002, closedTrades: 0, stats: .empty, regime: s.regime,
                                              volatilityRatio: 1, sizeScale: 1, parameters: SizingParameters())
            #expect(abs(noCost.rewardRisk - s.targetDistance / s.stopDistance) < 1e-9)
            if s.family == .meanReversion {
                if noCost.veto?.rule == .rewardRisk { mrFail += 1; #expect(noCost.rewardRisk < 2) } else { mrPass += 1 }
            } else {
                #expect(noCost.veto == nil && noCost.rewardRisk == 2.5)
                trendPass += 1
                if withCost.veto?.rule == .rewardRisk {
                    trendFailWithCosts += 1
                    #expect(abs(withCost.rewardRisk - (s.targetDistance - price * 0.002) / (s.stopDistance + price * 0.002)) < 1e-9)
                }
            }
        }
        #expect(mrFail > mrPass && mrFail > 0)
        #expect(trendPass > 0 && trendFailWithCosts > 0 && trendFailWithCosts < trendPass)
    }
}

@Suite struct PortfolioRiskTests {
    /// Each notional limit binds when it is the tightest, and none binds
    /// when there is room (prices: real closes of 2025-01-15).
    @Test func positionAssetGroupTotalAndOneSidedLimitsBindWhenTheyAreTightest() {
        let p = LimitParameters()
        let equity = 100_000.0
        func cap(_ request: Double, _ d: Direction, _ s: Int, _ exposures: [Double], pairs: Set<[Int]> = [], riskOff: Bool = false) -> (Double, DecisionRule?) {
            let r = PortfolioLimits.cap(requested: request, direction: d, symbol: s, exposures: exposures,
                                        correlated: { pairs.contains([$0, $1]) || pairs.contains([$1, $0]) },
                                        equity: equity, riskOff: riskOff, parameters: p)
            return (r.notional, r.binding?.rule)
        }
        #expect(cap(10_000, .long, 0, [0, 0, 0]) == (10_000, nil))
        #expect(cap(50_000, .long, 0, [0, 0, 0]) == (30_000, .positionLimit))
        #expect(cap(30_000, .long, 0, [25_000, 0, 0]) == (15_000, .assetLimit))
        #expect(cap(30_000, .long, 2, [25_000, -20_000, 0], pairs: [[2, 0], [2, 1]]) == (15_000, .groupLimit))
        // Not transitive: 2 ~ 0 and 0 ~ 1 but 2 ≁ 1. An entry in 2 must keep 0's group {0, 1, 2} within 60 %.
        #expect(cap(30_000, .long, 2, [25_000, -20_000, 0], pairs: [[2, 0], [0, 1]]) == (15_000, .groupLimit))
        #expect(cap(30_000, .long, 2, [25_000, -20_000, 0], pairs: [[0, 1]]) == (30_000, nil))
        #expect(cap(30_000, .short, 2, [35_000, -35_000, 0]) == (10_000, .totalExposureLimit))
        #expect(cap(30_000, .short, 2, [35_000, -35_000, 0], riskOff: true).1 == .totalExposureLimit)
        #expect(cap(30_000, .short, 2, [35_000, -35_000, 0], riskOff: true).0 == 0)
        #expect(cap(30_000, .long, 2, [30_000, 0, 0]) == (15_000, .oneSidedLimit))
        #expect(cap(30_000, .short, 2, [30_000, 0, 0]) == (30_000, nil))   // a short reduces net exposure
    }

    /// Correlation of real hourly returns: SOL moved with ETH in mid-January
    /// (ρ ≈ 0.88, one correlated group) and apart from it in the week of the
    /// TRUMP-coin launch (ρ ≈ 0.33, no group). Agrees with a direct Pearson.
    @Test func correlationGroupsComeFromRecentRealReturns() {
        var history = ReturnHistory(symbolCount: 3)
        var hourly: [[Int64: Double]] = [[:], [:], [:]]
        var readings: [(Int64, Double, Double)] = []
        let data = [ModelsTestData.btcJan, ModelsTestData.ethJan, ModelsTestData.solJan]
        for (s, candles) in data.enumerated() {
            Replay.run(candles, timeframes: [.h1]) { _, r in
                guard r[.h1].closedNow else { return }
                history.add(symbol: s, openTime: r[.h1].time, close: r[.h1].features.close)
                hourly[s][r[.h1].time / 3_600_000] = r[.h1].features.close
            }
        }
        // Replay hour by hour to read the rolling correlation on two dates.
        var rolling = ReturnHistory(symbolCount: 3)
        let hours = hourly[0].keys.sorted()
        for h in hours {
            for s in 0..<3 { rolling.add(symbol: s, openTime: h * 3_600_000, close: hourly[s][h]!) }
            if h == RegimeTestData.utc(2025, 1, 15) / 3_600_000 || h == RegimeTestData.utc(2025, 1, 23) / 3_600_000 {
                let direct = pearson(hourly[1], hourly[2], last: h)
                readings.append((h, rolling.correlation(1, 2, minObservations: 24)!, direct))
            }
        }
        #expect(readings.count == 2)
        for (_, ours, direct) in readings { #expect(abs(ours - direct) < 1e-9) }
        #expect(readings[0].1 >= 0.7 && readings[1].1 < 0.7, "\(readings)")
        #expect(history.correlation(0, 1, minObservations: 24)! > 0.7)
        #expect(ReturnHistory(symbolCount: 2).correlation(0, 1, minObservations: 24) == nil)
    }

    /// Pearson correlation of the hourly returns of two close series over the
    /// 168 hours ending at `last` (hour numbers), directly.
    func pearson(_ a: [Int64: Double], _ b: [Int64: Double], last: Int64) -> Double {
        var x: [Double] = [], y: [Double] = []
        for h in (last - 167)...last {
            guard let a1 = a[h], let a0 = a[h - 1], let b1 = b[h], let b0 = b[h - 1] else { continue }
            x.append(a1 / a0 - 1); y.append(b1 / b0 - 1)
        }
        let mx = x.reduce(0, +) / Double(x.count), my = y.reduce(0, +) / Double(y.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (u, v) in zip(x, y) { sxy += (u - mx) * (v - my); sxx += (u - mx) * (u - mx); syy += (v - my) * (v - my) }
        return sxy / (sxx * syy).squareRoot()
    }

    /// VaR and CVaR, parametric and historical, against a direct computation on
    /// real returns; the 10 % limit fires for a full ETH book in the crash week
    /// and not in a quiet week.
    @Test func valueAtRiskOnRealReturnsAndItsLimit() {
        var hourly: [Int64: Double] = [:]
        Replay.run(ModelsTestData.ethJan, timeframes: [.h1]) { _, r in
            if r[.h1].closedNow { hourly[r[.h1].time / 3_600_000] = r[.h1].features.close }
        }
        func estimate(endingAt end: Int64, notional: Double) -> (VaREstimate, [Double]) {
            var h = ReturnHistory(symbolCount: 1)
            for hour in hourly.keys.sorted() where hour <= end / 3_600_000 { h.add(symbol: 0, openTime: hour * 3_600_000, close: hourly[hour]!) }
            var rows: [Double] = [], scratch: [Double] = []
            let n = h.aligned([0], into: &rows)
            return (ValueAtRisk.estimate(weights: [notional], rows: rows, count: n, equity: 100_000, horizonBars: 24, scratch: &scratch), rows)
        }
        let (crash, rows) = estimate(endingAt: ModelsTestData.crashMinute + 3_600_000, notional: 80_000)
        #expect(crash.observations == 168)
        // Direct: losses of the book scaled to a day, as fractions of equity.
        let losses = rows.map { -$0 * 80_000 * 24.0.squareRoot() / 100_000 }.sorted()
        let mean = rows.reduce(0, +) / Double(rows.count)
        let sd = (rows.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(rows.count - 1)).squareRoot() * 80_000 * 24.0.squareRoot() / 100_000
        #expect(abs(crash.parametric99 - 2.3263478740408408 * sd) < 1e-12)
        #expect(abs(crash.parametric95 - 1.6448536269514722 * sd) < 1e-12)
        #expect(abs(crash.historical99 - losses[Int((0.99 * 168).rounded(.up)) - 1]) < 1e-12)
        #expect(abs(crash.historical95 - losses[Int((0.95 * 168).rounded(.up)) - 1]) < 1e-12)
        #expect(abs(crash.historicalCVaR99 - losses[166...].reduce(0, +) / 2) < 1e-12)
        #expect(crash.parametricCVaR99 > crash.parametric99 && crash.historicalCVaR95 >= crash.historical95)
        #expect(crash.parametric99 > crash.parametric95 && crash.historical99 >= crash.historical95)
        #expect(crash.worst(confidence: 0.99) > 0.10, "crash-week VaR99 \(crash.worst(confidence: 0.99))")
        let (quiet, _) = estimate(endingAt: RegimeTestData.utc(2025, 1, 15), notional: 80_000)
        #expect(quiet.worst(confidence: 0.99) < 0.10, "quiet-week VaR99 \(quiet.worst(confidence: 0.99))")
        // A hedged book (long and short the same returns) has no risk.
        var scratch: [Double] = []
        let hedged = ValueAtRisk.estimate(weights: [50_000, -50_000], rows: rows.flatMap { [$0, $0] }, count: rows.count,
                                          equity: 100_000, horizonBars: 24, scratch: &scratch)
        #expect(hedged.parametric99 == 0 && hedged.historical99 == 0)
    }

    @Test func returnsAreNeverTakenAcrossAGap() {
        // The real 33-hour outage of 2018-02-08 in the 1h file.
        let hours = ModelsTestData.slice(ModelsTestData.btcHourly, from: RegimeTestData.utc(2018, 2, 1), to: RegimeTestData.utc(2018, 2, 12))
        var h = ReturnHistory(symbolCount: 1, window: 500)
        for c in hours { h.add(symbol: 0, openTime: c.openTime, close: c.close) }
        var rows: [Double] = []
        let n = h.aligned([0], into: &rows)
        let gaps = zip(hours, hours.dropFirst()).filter { $1.openTime - $0.openTime != 3_600_000 }.count
        #expect(gaps >= 1)
        #expect(n == hours.count - 1 - gaps)
    }
}
