import Foundation
import Testing
@testable import TradeCore

/// Monte Carlo resampling on a real trade record: the reference strategy's
/// 2,175 BTC round trips (May–August 2025), net of fees.
@Suite struct MonteCarloTests {
    static let trades = RealTrades.btcMay.map(\.net)

    @Test func shuffledTradesEndWhereTheRunEndedButDrawDownDifferently() {
        let mc = MonteCarlo(initialEquity: 100_000, killSwitchLoss: 2_000, paths: 300, seed: 42)
        let o = mc.shuffle(trades: Self.trades)
        let final = 100_000 + Self.trades.reduce(0, +)
        #expect(o.finalEquity.sorted.allSatisfy { abs($0 - final) < 1e-6 })
        #expect(o.maxDrawdown.p5 < o.maxDrawdown.p95, "the order changes the drawdown")
        // The real order's drawdown is one of the possible orders'.
        var trace = MonteCarlo.Trace(pathLength: Self.trades.count)
        let actual = mc.walk(pnl: Self.trades, trace: &trace).drawdown
        #expect(actual >= o.maxDrawdown.sorted.first! * 0.5 && actual <= o.maxDrawdown.sorted.last! * 2)
        #expect(mc.shuffle(trades: Self.trades) == o, "seeded: the same draws")
        #expect(MonteCarlo(initialEquity: 100_000, killSwitchLoss: 2_000, paths: 300, seed: 43).shuffle(trades: Self.trades) != o)
    }

    @Test func theFanStartsAtTheStartAndEndsOnTheFinalDistribution() {
        let mc = MonteCarlo(initialEquity: 100_000, killSwitchLoss: 2_000, paths: 500, seed: 3)
        let o = mc.bootstrap(trades: Self.trades)
        #expect(o.fan.count == MonteCarlo.fanColumns + 1)
        #expect(o.fan.first!.step == 0 && o.fan.last!.step == Self.trades.count)
        #expect(o.fan.first!.p5 == 100_000 && o.fan.first!.p95 == 100_000)
        // 500 paths ≤ fanPaths: the last column is every path's final equity.
        #expect(o.fan.last!.p5 == o.finalEquity.p5 && o.fan.last!.p50 == o.finalEquity.p50 && o.fan.last!.p95 == o.finalEquity.p95)
        #expect(o.fan.allSatisfy { $0.p5 <= $0.p25 && $0.p25 <= $0.p50 && $0.p50 <= $0.p75 && $0.p75 <= $0.p95 })
        #expect(zip(o.fan, o.fan.dropFirst()).allSatisfy { $0.step < $1.step })
        // Spread grows with the number of trades drawn.
        #expect(o.fan.last!.p95 - o.fan.last!.p5 > o.fan[10].p95 - o.fan[10].p5)
        // Shorter than the column count: one column per step.
        #expect(mc.shuffle(trades: [1, -2, 3]).fan.map(\.step) == [0, 1, 2, 3])
    }

    @Test func bootstrappedTradesCentreOnTheRecordsMean() {
        let n = Double(Self.trades.count)
        let mean = Self.trades.reduce(0, +) / n
        let sd = (Self.trades.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / (n - 1)).squareRoot()
        let o = MonteCarlo(initialEquity: 100_000, killSwitchLoss: 2_000, paths: 2_000, seed: 7).bootstrap(trades: Self.trades)
        // The final equity is a sum of n draws: mean 100000 + n·mean, sd √n·sd; its sample mean over
        // 2,000 paths is within 4 standard errors.
        let expected = 100_000 + n * mean, pathSD = n.squareRoot() * sd
        #expect(abs(o.finalEquity.mean - expected) < 4 * pathSD / 2_000.0.squareRoot())
        #expect(o.finalEquity.p5 < expected && expected < o.finalEquity.p95)
        #expect(o.finalEquity.p5 <= o.finalEquity.p50 && o.finalEquity.p50 <= o.finalEquity.p95)
    }

    @Test func aBlockAsLongAsTheRunGivesTheRunItself() {
        let daily = [0.01, -0.02, 0.005, 0.0, -0.01, 0.03]
        let o = MonteCarlo(initialEquity: 1_000, killSwitchLoss: 25, paths: 10, seed: 1).blockBootstrap(dailyReturns: daily, blockDays: 6)
        let final = daily.reduce(1_000) { $0 * (1 + $1) }
        #expect(o.finalEquity.sorted.allSatisfy { abs($0 - final) < 1e-9 })
        // Peak 1010, trough 1010·0.98·1.005·0.99: a drawdown of 2.4949 %, 3 days below the peak.
        #expect(abs(o.maxDrawdown.p50 - (1 - 0.98 * 1.005 * 0.99)) < 1e-12)
        #expect(o.longestDrawdown.p50 == 4)
        // The lowest point is 1000 · 1.01 · 0.98 · 1.005 · 0.99 = 984.8 < 1000 − 25? No: 984.8 > 975 — never killed.
        #expect(o.killSwitchProbability == 0)
        let tight = MonteCarlo(initialEquity: 1_000, killSwitchLoss: 10, paths: 10, seed: 1).blockBootstrap(dailyReturns: daily, blockDays: 6)
        #expect(tight.killSwitchProbability == 1)
    }

    @Test func theKillSwitchProbabilityCountsPathsThatTouchedTheLoss() {
        let always = MonteCarlo(initialEquity: 100_000, killSwitchLoss: 1, paths: 100, seed: 3).bootstrap(trades: Self.trades)
        let never = MonteCarlo(initialEquity: 100_000, killSwitchLoss: 1e9, paths: 100, seed: 3).bootstrap(trades: Self.trades)
        #expect(always.killSwitchProbability == 1 && never.killSwitchProbability == 0)
        // A kill switch at the record's own total loss: the paths that end (or dip) past it, not the others.
        let loss = -Self.trades.reduce(0, +)
        let some = MonteCarlo(initialEquity: 100_000, killSwitchLoss: loss, paths: 400, seed: 3).bootstrap(trades: Self.trades)
        let endedPast = Double(some.finalEquity.sorted.filter { $0 <= 100_000 - loss }.count) / 400
        #expect(some.killSwitchProbability > 0 && some.killSwitchProbability < 1, "\(some.killSwitchProbability)")
        #expect(some.killSwitchProbability >= endedPast, "a path that ends past the loss touched it")
    }

    @Test func percentilesInterpolateBetweenClosestRanks() {
        // numpy.percentile([1, 2, 3, 4, 10], [5, 50, 95]) = [1.2, 3.0, 8.8]
        let d = MonteCarlo.Distribution([10, 2, 4, 1, 3])
        #expect(abs(d.p5 - 1.2) < 1e-12 && d.p50 == 3 && abs(d.p95 - 8.8) < 1e-12 && d.mean == 4)
    }
}
