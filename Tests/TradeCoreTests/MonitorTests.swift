import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// Degradation, the circuit breaker and edge decay, on the reference
/// strategy's real trade record (fee-bound: it loses slowly).
@Suite struct MonitorTests {
    /// Grades match a direct count of the four conditions, window by window.
    @Test func degradationGradesTheFourConditionsOnARealRecord() {
        let trades = RealTrades.btcMay.map(\.net)
        var monitor = DegradationMonitor()
        var seen = Set<DegradationSeverity>()
        var streak = 0
        for (k, x) in trades.enumerated() {
            monitor.record(netPnL: x)
            streak = x < 0 ? streak + 1 : 0
            for sharpe in [nil, -0.5, 0.8] as [Double?] {
                let r = monitor.assess(sharpe: sharpe)
                let window = trades[..<(k + 1)].suffix(30)
                let graded = window.count >= 10
                let win = Double(window.filter { $0 > 0 }.count) / Double(window.count)
                let mean = window.reduce(0, +) / Double(window.count)
                #expect(r.winRateBreached == (graded && win < 0.35))
                #expect(r.expectancyBreached == (graded && mean < 0))
                #expect(r.sharpeBreached == ((sharpe ?? 1) < 0))
                #expect(r.lossStreakBreached == (streak >= 10) && r.consecutiveLosses == streak)
                let count = [r.winRateBreached, r.sharpeBreached, r.lossStreakBreached, r.expectancyBreached].filter { $0 }.count
                let expected = r.lossStreakBreached ? max(count, 3) : count
                #expect(r.severity.rawValue == expected)
                seen.insert(r.severity)
            }
        }
        #expect(seen.isSuperset(of: [.none, .minor, .moderate, .severe]))
        // Fewer than 10 trades since a reset: win rate and expectancy are not graded.
        monitor.resetBaseline()
        for x in trades.prefix(9) { monitor.record(netPnL: x) }
        let early = monitor.assess(sharpe: nil)
        #expect(!early.winRateBreached && !early.expectancyBreached && early.trades == 9)
    }

    /// The breaker driven by the real record's degradation, minute by minute of
    /// its trade times: escalation is immediate, recovery one level at a time
    /// after each cooldown, HALT leads to probation, and the third HALT within
    /// a week shuts the model down until an operator restarts it.
    @Test func theCircuitBreakerEscalatesRecoversAndShutsDown() {
        let p = BreakerParameters()
        var b = CircuitBreaker(model: .aggressive, parameters: p)
        let t0 = RealTrades.btcMay[0].exitTime
        let minute: Int64 = 60_000
        #expect(b.assess(.none, tradesSinceReset: 0, at: t0) == nil && b.state == .closed)
        #expect(b.assess(.moderate, tradesSinceReset: 12, at: t0)?.to == .throttle)              // skips ALERT
        #expect(b.assess(.none, tradesSinceReset: 12, at: t0 + 239 * minute) == nil)              // throttle cooldown 4 h
        #expect(b.assess(.none, tradesSinceReset: 12, at: t0 + 240 * minute)?.to == .alert)
        #expect(b.assess(.minor, tradesSinceReset: 12, at: t0 + 400 * minute) == nil)             // still MINOR: stays ALERT
        #expect(b.assess(.none, tradesSinceReset: 12, at: t0 + 400 * minute)?.to == .closed)      // alert cooldown 1 h passed
        // SEVERE → HALT; after 24 h, probation in THROTTLE whatever the old record said.
        let h1 = t0 + 1_000 * minute
        #expect(b.assess(.severe, tradesSinceReset: 20, at: h1)?.to == .halt)
        #expect(b.assess(.severe, tradesSinceReset: 20, at: h1 + 1_439 * minute) == nil)
        let probation = b.assess(.severe, tradesSinceReset: 20, at: h1 + 1_440 * minute)
        #expect(probation?.to == .throttle && probation?.trigger == .probation && b.onProbation)
        // On probation, recovery needs 5 new trades, not just time.
        #expect(b.assess(.none, tradesSinceReset: 4, at: h1 + 2_000 * minute) == nil)
        #expect(b.assess(.none, tradesSinceReset: 5, at: h1 + 2_000 * minute)?.to == .alert)
        // Two more HALTs within seven days of the first: SHUTDOWN, and nothing but an operator gets it out.
        #expect(b.assess(.severe, tradesSinceReset: 12, at: h1 + 3_000 * minute)?.to == .halt)
        #expect(b.assess(.moderate, tradesSinceReset: 12, at: h1 + 4_500 * minute)?.to == .throttle)
        let third = b.assess(.severe, tradesSinceReset: 12, at: h1 + 5_000 * minute)
        #expect(third?.to == .shutdown && third?.trigger == .repeatedHalts)
        #expect(b.assess(.none, tradesSinceReset: 100, at: h1 + 100_000 * minute) == nil && b.state == .shutdown)
        #expect(b.operatorRestart(at: h1 + 100_001 * minute)?.to == .closed)
        // CRITICAL goes straight to SHUTDOWN; an execution fault raises at least ALERT.
        var c = CircuitBreaker(model: .balanced)
        #expect(c.recordExecutionFault(at: t0)?.to == .alert && c.recordExecutionFault(at: t0) == nil)
        #expect(c.assess(.critical, tradesSinceReset: 30, at: t0)?.to == .shutdown)
        #expect(BreakerState.throttle.allowsEntries && !BreakerState.halt.allowsEntries)
    }

    /// Rolling 30-day Sharpe of daily realized PnL (√365), against a direct
    /// computation on the real record's days; it alerts below 0.5.
    @Test func edgeDecayAlertsWhenTheRolling30DaySharpeFallsBelowHalf() {
        var days: [Int64: (Double, Int)] = [:]
        for t in RealTrades.btcMay {
            days[UTC.day(t.exitTime), default: (0, 0)].0 += t.net
            days[UTC.day(t.exitTime), default: (0, 0)].1 += 1
        }
        let first = days.keys.min()!, last = days.keys.max()!
        var monitor = EdgeDecayMonitor(model: .aggressive, referenceEquity: 100_000)
        var series: [Double] = []
        var alerts: [EdgeDecayAlert] = []
        for d in first...last {
            let (pnl, n) = days[d] ?? (0, 0)
            series.append(pnl / 100_000)
            if let a = monitor.closeDay(at: (d + 1) * UTC.dayMs, pnl: pnl, trades: n) { alerts.append(a) }
            let window = series.suffix(30)
            if window.count >= 10 {
                let mean = window.reduce(0, +) / Double(window.count)
                let sd = (window.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(window.count - 1)).squareRoot()
                #expect(abs(monitor.sharpe! - mean / sd * 365.0.squareRoot()) < 1e-9)
                #expect(monitor.alerting == (monitor.sharpe! < 0.5) || alerts.last?.raised == monitor.alerting)
            } else {
                #expect(monitor.sharpe == nil)
            }
        }
        // The record loses slowly: the alert is raised and stays (a good stretch may clear it briefly).
        #expect(alerts.first?.raised == true && alerts.first!.sharpe < 0.5)
        #expect(monitor.alerting)
        // A model that never traded has no reading and no alert.
        var idle = EdgeDecayMonitor(model: .balanced, referenceEquity: 100_000)
        for d in 0..<40 { #expect(idle.closeDay(at: Int64(d) * UTC.dayMs, pnl: 0, trades: 0) == nil) }
        #expect(idle.sharpe == nil)
    }
}
