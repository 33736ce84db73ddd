import Testing
import TradeVenues

@Suite struct ReconnectBackoffTests {
    @Test func waitsAreFullJitterUnderADoublingCeilingCappedAtSixtySeconds() {
        var backoff = ReconnectBackoff(seed: 42)
        var ceilings: [Int64] = []
        for _ in 0..<10 {
            let ceiling = backoff.ceilingMilliseconds
            ceilings.append(ceiling)
            let wait = backoff.nextDelayMilliseconds()
            #expect(wait >= 0 && wait <= ceiling)
        }
        #expect(ceilings == [1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000, 60_000, 60_000])
        backoff.reset()
        #expect(backoff.ceilingMilliseconds == 1_000 && backoff.attempt == 0)
    }

    @Test func theJitterSpreadsOverTheWholeRangeAndRepeatsForASeed() {
        func draws(_ seed: UInt64) -> [Int64] {
            var b = ReconnectBackoff(baseMilliseconds: 1_000, capMilliseconds: 1_000, seed: seed)
            return (0..<2_000).map { _ in b.nextDelayMilliseconds() }
        }
        let a = draws(7)
        #expect(a == draws(7), "same seed, same waits")
        #expect(a != draws(8))
        // Full jitter: uniform on [0, 1000], so each quarter holds about a quarter of the draws.
        for q in 0..<4 {
            let n = a.filter { $0 >= Int64(q) * 250 && $0 < Int64(q + 1) * 250 }.count
            #expect((400...600).contains(n), "quarter \(q): \(n) of 2000")
        }
    }

    @Test func aHugeAttemptCountNeitherOverflowsNorPassesTheCap() {
        var b = ReconnectBackoff(seed: 1)
        for _ in 0..<200 { _ = b.nextDelayMilliseconds() }
        #expect(b.ceilingMilliseconds == 60_000)
    }
}

@Suite struct EndpointBreakerTests {
    @Test func fiveConsecutiveFailuresOpenItAndAProbeAfterTheCoolOffClosesIt() {
        var b = EndpointBreaker(endpoint: "klines")
        for i in 0..<4 {
            let allowed = b.allows(at: Int64(i))
            #expect(allowed)
            b.recordFailure("HTTP 503", at: Int64(i))
            #expect(b.state == .closed)
        }
        b.recordSuccess()
        #expect(b.consecutiveFailures == 0, "a success in between resets the count")
        for i in 0..<5 { b.recordFailure("timeout", at: 1_000 + Int64(i)) }
        #expect(b.state == .open && b.openedAt == 1_004 && b.lastError == "timeout")
        let early = b.allows(at: 1_004 + 59_999)
        #expect(!early, "refused without a call during the cool-off")
        #expect(b.waitMilliseconds(at: 1_004 + 59_000) == 1_000)
        let probe = b.allows(at: 1_004 + 60_000)
        #expect(probe, "one probe after 60 s")
        #expect(b.state == .halfOpen)
        let second = b.allows(at: 1_004 + 60_001)
        #expect(!second, "only one probe at a time")
        b.recordSuccess()
        let after = b.allows(at: 70_000)
        #expect(b.state == .closed && after)
    }

    @Test func aFailedProbeOpensItForAnotherCoolOff() {
        var b = EndpointBreaker(endpoint: "stream", failureThreshold: 5, coolOffMilliseconds: 60_000)
        for _ in 0..<5 { b.recordFailure("refused", at: 0) }
        let probe = b.allows(at: 60_000)
        #expect(probe)
        b.recordFailure("refused again", at: 60_000)
        #expect(b.state == .open && b.openedAt == 60_000)
        let early = b.allows(at: 119_999), late = b.allows(at: 120_000)
        #expect(!early && late)
    }
}
