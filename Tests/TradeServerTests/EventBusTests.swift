import Testing
@testable import TradeServer

@Suite struct EventBusTests {
    static func log(_ n: Int) -> EngineEvent { .log(LogRecord(level: .info, component: "t", message: "\(n)")) }

    static func number(_ item: BusItem) -> Int? {
        if case .event(.log(let l)) = item { return Int(l.message) }
        return nil
    }

    @Test func aLappedSubscriberGetsALagMarkerWithTheDroppedCountAndTheEngineNeverWaits() async throws {
        let bus = EventBus(capacity: 4)
        let sub = bus.subscribe(EventFilter(kinds: [.log]))
        for n in 1...10 { bus.publish(Self.log(n)) }  // returns at once: nobody reads yet
        var it = sub.makeAsyncIterator()
        // The ring keeps the last 4 (7–10); 1–6 were lost to this subscriber.
        guard case .lag(let dropped)? = try await it.next() else { Issue.record("expected a lag marker first"); return }
        #expect(dropped == 6)
        var seen: [Int] = []
        for _ in 0..<4 { if let n = Self.number(try #require(try await it.next())) { seen.append(n) } }
        #expect(seen == [7, 8, 9, 10])
        bus.publish(Self.log(11))
        #expect(Self.number(try #require(try await it.next())) == 11)
    }

    @Test func batchesCarryEverythingBufferedInOrder() async throws {
        let bus = EventBus(capacity: 8)
        let sub = bus.subscribe(EventFilter(kinds: [.log]))
        bus.publish(contentsOf: (1...5).map(Self.log))
        var it = sub.makeAsyncIterator()
        let batch = try #require(try await it.nextBatch(max: 100))
        #expect(batch.compactMap(Self.number) == [1, 2, 3, 4, 5])
    }

    @Test func aSubscriberThatStaysBehindIsDisconnected() async throws {
        let bus = EventBus(capacity: 4, disconnectAfterLaps: 2)
        let sub = bus.subscribe(EventFilter(kinds: [.log]))
        for n in 1...20 { bus.publish(Self.log(n)) }  // 16 lost > 2 × 4
        var it = sub.makeAsyncIterator()
        await #expect(throws: SlowSubscriberError.self) { _ = try await it.next() }
        #expect(bus.subscriberCount == 1)
        sub.cancel()
        #expect(bus.subscriberCount == 0)
    }

    @Test func publishingWritesEachEventOnceWhateverTheNumberOfSubscribers() async throws {
        // The engine writes each event once into one shared ring; subscribers only move their own
        // cursors. (What that costs in time is measured by ControlPlaneBenchmark's stream fan-out,
        // not asserted here: a wall-clock bound in a unit test fails on a loaded 2-core machine.)
        let bus = EventBus(capacity: 1024, disconnectAfterLaps: 1_000)
        let subs = (0..<100).map { _ in bus.subscribe(EventFilter(kinds: [.log])) }
        for n in 0..<20_000 { bus.publish(Self.log(n)) }
        // Nobody read: had each subscriber a queue of its own, each would hold all 20,000. Each one
        // instead finds the same lag marker and the same last 1,024 events of the one ring.
        for sub in [subs[0], subs[57], subs[99]] {
            var it = sub.makeAsyncIterator()
            let batch = try #require(try await it.nextBatch(max: 5_000))
            guard case .lag(let dropped)? = batch.first else { Issue.record("expected a lag marker first"); return }
            #expect(dropped == 20_000 - 1_024)
            #expect(batch.dropFirst().compactMap(Self.number) == Array((20_000 - 1_024)..<20_000))
        }
        subs.forEach { $0.cancel() }
        #expect(bus.subscriberCount == 0)
    }

    @Test func filtersApplyPerSubscriber() async throws {
        let bus = EventBus()
        let warnings = bus.subscribe(EventFilter(kinds: [.log], minLevel: .warning))
        let all = bus.subscribe(EventFilter(kinds: [.log]))
        bus.publish(.log(LogRecord(level: .info, component: "engine", message: "info")))
        bus.publish(.log(LogRecord(level: .error, component: "engine", message: "error")))
        var w = warnings.makeAsyncIterator()
        var a = all.makeAsyncIterator()
        guard case .event(.log(let first))? = try await w.next() else { Issue.record("nothing"); return }
        #expect(first.message == "error")
        guard case .event(.log(let info))? = try await a.next() else { Issue.record("nothing"); return }
        #expect(info.message == "info")
    }

    @Test func aWaitingReaderIsWokenAndCloseEndsTheStream() async throws {
        let bus = EventBus()
        let sub = bus.subscribe(EventFilter(kinds: [.log]))
        let reader = Task { () -> [Int] in
            var got: [Int] = []
            for try await item in sub { if let n = Self.number(item) { got.append(n) } }
            return got
        }
        try await Task.sleep(for: .milliseconds(50))
        bus.publish(Self.log(1))
        bus.publish(Self.log(2))
        try await Task.sleep(for: .milliseconds(50))
        bus.close()
        #expect(try await reader.value == [1, 2])
    }

    @Test func aHundredWatchersEachGetEveryEvent() async throws {
        let bus = EventBus()
        let subs = (0..<100).map { _ in bus.subscribe(EventFilter(kinds: [.log])) }
        for n in 1...1000 { bus.publish(Self.log(n)) }
        bus.close()
        try await withThrowingTaskGroup(of: Int.self) { group in
            for s in subs {
                group.addTask { var c = 0; for try await _ in s { c += 1 }; return c }
            }
            for try await count in group { #expect(count == 1000) }
        }
    }
}
