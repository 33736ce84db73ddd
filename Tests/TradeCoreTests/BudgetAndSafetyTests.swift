import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// Model budgets, the kill switch and the stale-data guard, driven by real
/// trade times, real prices and real feed gaps.
@Suite struct ModelBudgetTests {
    /// The reference strategy's real trades at 30× size (30,000 USDT a trade):
    /// on days where their running loss reaches 700 USDT, entries stop at that
    /// trade and resume at the next 00:00 UTC; on other days they never stop.
    @Test func dailyLossLimitBlocksUntilMidnightUTC() {
        var budget = ModelBudget(parameters: ModelParameters.defaults(for: .aggressive).budget)
        var dayLoss: [Int64: Double] = [:]
        var blockedDays = Set<Int64>(), freeDays = Set<Int64>()
        for t in RealTrades.btcMay {
            let day = UTC.day(t.exitTime)
            budget.recordClose(at: t.exitTime, netPnL: t.net * 30)
            dayLoss[day, default: 0] -= t.net * 30
            let verdict = budget.veto(at: t.exitTime, unrealized: 0)
            if dayLoss[day]! >= 700 {
                #expect(verdict?.rule == .dailyLossLimit && verdict!.limit == 700)
                #expect(abs(verdict!.value - dayLoss[day]!) < 1e-6)
                blockedDays.insert(day)
                // One millisecond before midnight still blocked, at midnight free (the counters reset).
                #expect(budget.veto(at: (day + 1) * UTC.dayMs - 1, unrealized: 0)?.rule == .dailyLossLimit)
                var next = budget
                next.roll(to: (day + 1) * UTC.dayMs)
                #expect(next.veto(at: (day + 1) * UTC.dayMs, unrealized: 0)?.rule != .dailyLossLimit)
            } else if verdict?.rule == .dailyLossLimit {
                Issue.record("blocked at a day loss of \(dayLoss[day]!)")
            } else {
                freeDays.insert(day)
            }
        }
        #expect(!blockedDays.isEmpty && !freeDays.subtracting(blockedDays).isEmpty)
        // Unrealized losses count too.
        var fresh = ModelBudget(parameters: budget.parameters)
        fresh.roll(to: RealTrades.btcMay[0].entryTime)
        #expect(fresh.veto(at: RealTrades.btcMay[0].entryTime, unrealized: -700)?.rule == .dailyLossLimit)
        #expect(fresh.veto(at: RealTrades.btcMay[0].entryTime, unrealized: -699) == nil)
    }

    /// At most 20 entries a UTC day (aggressive) and 2 a UTC week (big-picture),
    /// on the reference strategy's real entry times (about 24 a day).
    @Test func tradeCountsPerDayAndPerWeek() {
        var day = ModelBudget(parameters: ModelParameters.defaults(for: .aggressive).budget)
        var week = ModelBudget(parameters: ModelParameters.defaults(for: .bigPicture).budget)
        var perDay: [Int64: Int] = [:], perWeek: [Int64: Int] = [:]
        var dayBlocks = 0, weekBlocks = 0
        for t in RealTrades.btcMay {
            let v = day.veto(at: t.entryTime, unrealized: 0)
            if (perDay[UTC.day(t.entryTime)] ?? 0) >= 20 {
                #expect(v?.rule == .tradesPerDay && v?.value == 20 && v?.limit == 20)
                dayBlocks += 1
            } else {
                #expect(v == nil || v?.rule == .cooldown)
                if v == nil { day.recordEntry(at: t.entryTime); perDay[UTC.day(t.entryTime), default: 0] += 1 }
            }
            let w = week.veto(at: t.entryTime, unrealized: 0)
            if (perWeek[UTC.week(t.entryTime)] ?? 0) >= 2 {
                #expect(w?.rule == .tradesPerWeek)
                weekBlocks += 1
            } else {
                #expect(w == nil)
                week.recordEntry(at: t.entryTime)
                perWeek[UTC.week(t.entryTime), default: 0] += 1
            }
        }
        #expect(dayBlocks > 100 && perDay.values.max() == 20 && perDay.values.contains { $0 < 20 })
        #expect(weekBlocks > 1_000 && perWeek.values.allSatisfy { $0 == 2 })
        // UTC weeks start on Monday: 2025-05-25 was a Sunday, 2025-05-26 a Monday.
        #expect(UTC.week(RegimeTestData.utc(2025, 5, 25, 23)) + 1 == UTC.week(RegimeTestData.utc(2025, 5, 26)))
        #expect(UTC.week(RegimeTestData.utc(2025, 5, 26)) == UTC.week(RegimeTestData.utc(2025, 6, 1, 23)))
    }

    /// Three losses in a row (aggressive) → no entries for 30 minutes; five
    /// (balanced) → 60 minutes; a win resets the streak.
    @Test func cooldownAfterConsecutiveLossesOnARealTradeSequence() {
        for (model, streak, minutes) in [(ModelID.aggressive, 3, 30), (.balanced, 5, 60)] {
            var b = ModelBudget(parameters: ModelParameters.defaults(for: model).budget)
            var run = 0, cooldowns = 0, shortStreaks = 0
            for t in RealTrades.btcMay {
                b.recordClose(at: t.exitTime, netPnL: t.net)
                run = t.net < 0 ? run + 1 : 0
                let v = b.veto(at: t.exitTime, unrealized: 0)
                if run > 0 && run % streak == 0 {
                    cooldowns += 1
                    #expect(v?.rule == .cooldown && v?.value == Double(minutes))
                    #expect(b.veto(at: t.exitTime + Int64(minutes) * 60_000 - 1, unrealized: 0)?.rule == .cooldown)
                    #expect(b.veto(at: t.exitTime + Int64(minutes) * 60_000, unrealized: 0)?.rule != .cooldown)
                } else if run > 0 && run < streak {
                    shortStreaks += 1
                }
            }
            #expect(cooldowns > 10 && shortStreaks > 10, "\(model): \(cooldowns) cooldowns")
        }
    }
}

@Suite struct KillSwitchTests {
    /// A 30,000 USDT ETH long held into the 2025-02-03 crash: the kill switch
    /// trips at the first minute the position has lost 2,000 USDT, not before.
    /// The same long over four calm days (2025-01-14 → 18, ETH never more than
    /// 0.4 % below the entry) never trips it.
    @Test func tripsInTheRealCrashAndNotInAQuietWeek() {
        func run(from: Int64, to: Int64) -> (tripped: Int64?, expected: Int64?) {
            let minutes = ModelsTestData.slice(ModelsTestData.ethJan, from: from, to: to)
            let entry = minutes.first!.close
            let quantity = 30_000 / entry
            var k = KillSwitch(maxLoss: 2_000, reference: 100_000)
            var tripped: Int64?, expected: Int64?
            for c in minutes {
                let equity = 100_000 + quantity * (c.close - entry)
                if expected == nil && 100_000 - equity >= 2_000 { expected = c.openTime }
                if k.check(equity: equity, time: c.openTime) { tripped = c.openTime }
            }
            #expect(k.isTripped == (tripped != nil))
            return (tripped, expected)
        }
        let crash = run(from: RegimeTestData.utc(2025, 2, 2), to: RegimeTestData.utc(2025, 2, 4))
        #expect(crash.tripped != nil && crash.tripped == crash.expected)
        #expect(crash.tripped! < ModelsTestData.crashMinute + 60_000)
        let quiet = run(from: RegimeTestData.utc(2025, 1, 14), to: RegimeTestData.utc(2025, 1, 18))
        #expect(quiet.tripped == nil && quiet.expected == nil)
        // Until an operator resumes, it stays tripped; resuming re-arms from the current equity.
        var k = KillSwitch(maxLoss: 2_000, reference: 100_000)
        #expect(k.check(equity: 97_500, time: 1) && !k.check(equity: 99_000, time: 2) && k.isTripped)
        k.resume(equity: 97_500)
        #expect(!k.isTripped && !k.check(equity: 96_000, time: 3) && k.check(equity: 95_500, time: 4))
    }
}

@Suite struct StaleDataTests {
    /// The real 33-hour outage of 2018-02-08 in the hourly file freezes entries
    /// after it for the recovery bars; the gap-free hours of 2022 never do.
    @Test func aRealFeedGapFreezesEntriesAndAGapFreeYearDoesNot() {
        let hours = ModelsTestData.slice(ModelsTestData.btcHourly, from: RegimeTestData.utc(2018, 2, 1), to: RegimeTestData.utc(2018, 2, 15))
        var guardian = StaleDataGuard(symbolCount: 1, interval: .h1, maxSilentIntervals: 3, recoveryBars: 15)
        var frozen: [Int64] = []
        var previous: Int64?
        var gapStart: Int64 = 0
        for c in hours {
            if let p = previous, c.openTime - p > 4 * 3_600_000 { gapStart = c.openTime }
            guardian.observe(symbol: 0, time: c.openTime)
            if let g = guardian.frozen(symbol: 0, now: c.openTime) { frozen.append(c.openTime); #expect(g == 33) }
            previous = c.openTime
        }
        // Frozen for 15 bars counting the first after the gap … then free.
        #expect(gapStart == RegimeTestData.utc(2018, 2, 9, 10))
        #expect(frozen.first == gapStart && frozen.count == 15)
        #expect(frozen.last == gapStart + 14 * 3_600_000)
        // While the feed is silent (time moved on by another symbol): stale.
        var silent = StaleDataGuard(symbolCount: 2, interval: .m1)
        silent.observe(symbol: 0, time: 0)
        #expect(silent.frozen(symbol: 0, now: 2 * 60_000) == nil)
        #expect(silent.frozen(symbol: 0, now: 3 * 60_000) == 3)
        #expect(silent.frozen(symbol: 1, now: 3 * 60_000) == nil)   // never seen: nothing to call stale
        // 2022 has no gap in the file: never frozen.
        var clean = StaleDataGuard(symbolCount: 1, interval: .h1)
        let year = ModelsTestData.slice(ModelsTestData.btcHourly, from: RegimeTestData.utc(2022, 1, 1), to: RegimeTestData.utc(2023, 1, 1))
        #expect(year.count == 8_760)
        for c in year {
            clean.observe(symbol: 0, time: c.openTime)
            #expect(clean.frozen(symbol: 0, now: c.openTime) == nil)
        }
    }
}

/// Budgets count an entry at the instant it is decided — the close of the
/// step's base bars — not at their open time, which is a bar earlier.
@Suite struct DecisionInstantTests {
    static func engine() -> RiskEngine {
        let models = ModelsParameters()
        return RiskEngine(parameters: models.risk, instruments: [.spot("BTCUSDT"), .spot("ETHUSDT"), .spot("SOLUSDT")],
                          budgets: ModelID.allCases.map { models[$0].budget }, breaker: models.breaker,
                          initialEquity: 100_000, baseTimeframe: .m1)
    }

    /// The bar that opens Sunday 23:59 and closes Monday 00:00 decides Monday's
    /// entries: with two big-picture entries there, Monday's week is full, and
    /// the week before is not charged with them.
    @Test func anEntryDecidedAtSundaysLastCloseCountsInMondaysWeek() {
        let monday = SharedData.utc(2025, 2, 3)
        var risk = Self.engine()
        let signal = ResolverTests.real[0]
        var bigPicture = signal
        bigPicture.model = .bigPicture
        risk.time = monday - 60_000
        #expect(risk.decisionTime == monday)
        #expect(risk.overlayVeto(bigPicture) == nil)
        risk.commit(bigPicture, size: EntrySize(sizing: .init(basis: .exploration, kelly: .nan, baseRisk: 0, regimeMultiplier: 1,
                                                              volatilityMultiplier: 1, sizeScale: 1, riskFraction: 0,
                                                              rewardRisk: 3, quantity: 1, veto: nil),
                                                requested: 1, quantity: 1, verdict: nil, vetoed: false), signalIndex: 0)
        #expect(risk.budgets[ModelID.bigPicture.rawValue].week == UTC.week(monday))
        #expect(risk.budgets[ModelID.bigPicture.rawValue].tradesThisWeek == 1)
        // One more fits in the same step (a second symbol); a third does not, at 04:00.
        #expect(risk.overlayVeto(bigPicture) == nil)
        risk.budgets[ModelID.bigPicture.rawValue].recordEntry(at: risk.decisionTime)
        risk.time = monday + 4 * 3_600_000 - 60_000
        let v = risk.overlayVeto(bigPicture)
        #expect(v == Verdict(.tradesPerWeek, value: 2, limit: 2))
        // A week later (Monday 00:00 again, decided on Sunday 23:59's bar), the count starts afresh.
        risk.time = monday + UTC.weekMs - 60_000
        #expect(risk.overlayVeto(bigPicture) == nil)
    }
}
