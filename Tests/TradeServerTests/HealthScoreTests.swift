import Testing
import TradeCore
@testable import TradeServer

/// The health score: weights that add up to 100, each part's share and reason.
@Suite struct HealthScoreTests {
    @Test func aHealthyEngineScoresOneHundredAndEveryPartSaysWhy() {
        var i = HealthInputs()
        i.running = true
        i.secondsSinceLastCandle = 0.2
        i.breakers = ModelID.allCases.map { .init(model: $0.name, state: .closed) }
        i.degradation = ModelID.allCases.map { .init(model: $0.name, severity: .none) }
        i.lastCommitSeconds = 0.004
        i.diskFreeBytes = 50 << 30
        let h = HealthScore.assess(i)
        #expect(HealthScore.weights.reduce(0) { $0 + $1.1 } == 100)
        #expect(h.score == 100)
        #expect(h.parts.map(\.name) == ["feed", "venue", "breakers", "degradation", "journal", "disk", "clock"])
        #expect(h.parts.allSatisfy { !$0.reason.isEmpty && $0.score == 1 })
    }

    @Test func eachProblemCostsItsPartAndNamesTheCause() {
        var i = HealthInputs()
        i.running = true
        i.secondsSinceLastCandle = 30
        i.feedStaleAfterSeconds = 5
        i.breakers = [.init(model: "aggressive", state: .throttle), .init(model: "balanced", state: .alert)]
        i.degradation = [.init(model: "balanced", severity: .severe)]
        i.lastCommitSeconds = 0.3
        i.diskFreeBytes = 200 << 20
        let h = HealthScore.assess(i)
        func part(_ n: String) -> HealthScore.Part { h.parts.first { $0.name == n }! }
        #expect(part("feed").score == 0 && part("feed").reason.contains("no candle for 30.0 s"))
        #expect(part("breakers").score == 0.5 && part("breakers").reason == "aggressive breaker THROTTLE")
        #expect(part("degradation").score == 0.25 && part("degradation").reason.contains("SEVERE"))
        #expect(part("journal").score == 0.5 && part("disk").score == 0.5)
        let expected: Double = 43.8  // venue 15 + breakers 10 + degradation 3.75 + journal, disk, clock 5 each, to 0.1
        #expect(h.score == expected)
        // The kill switch outranks the breakers; a failed journal scores nothing; stale symbols halve the feed.
        i.killSwitchTripped = true
        i.journalFailure = "a commit failed (disk full)"
        i.secondsSinceLastCandle = 1
        i.staleSymbols = ["SOLUSDT"]
        let worse = HealthScore.assess(i)
        #expect(worse.parts.first { $0.name == "breakers" }!.reason.contains("kill switch"))
        #expect(worse.parts.first { $0.name == "journal" }!.score == 0)
        #expect(worse.parts.first { $0.name == "feed" }!.score == 0.5)
    }
}
