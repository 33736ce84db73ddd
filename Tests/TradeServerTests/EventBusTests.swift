import Testing
@testable import TradeServer

@Suite struct EventBusTests {
    static func log(_ n: Int) -> EngineEvent { .log(LogRecord(level: .info, component: "t", message: "\(n)")) }

    static func number(_ item: BusItem) -> Int? {
        if case .event(.log(let l)) = item { return Int(l.message) }
        return nil
    }

    @Test func aSlowSubscriberGetsALagMarkerWithTheDroppedCountAndTheEngineNeverWaits() async throws {
        let bus = EventBus()
        let sub = bus.subscribe(EventFilter(kinds: [.log], bufferCapacity: 4))
        for n in 1...10 { bus.publish(Self.log(n)) }  // returns at once: nobody reads yet
        var it = sub.makeAsyncIterator()
        var seen: [String] = []
        for _ in 0..<4 {
            let item = try #require(try await it.next())
            if let n = Self.number(item) { seen.append("\(n)") }
            if case .lag(let d) = item { seen.append("lag \(d)") }
        }
        // 4 slots: events 1–4 kept, 5–10 dropped and reported when the gap is reached.
        #expect(seen == ["1", "2", "3", "4"])
        let marker = try #require(try await it.next())
        guard case .lag(let dropped) = marker else { Issue.record("expected a lag marker, got \(marker)"); return }
        #expect(dropped == 6)
        bus.publish(Self.log(11))
        #expect(Self.number(try #require(try await it.next())) == 11)
    }

    @Test func theMarkerSitsAtTheGapWhenTheSubscriberCatchesUpPartly() async throws {
        let bus = EventBus()
        let sub = bus.subscribe(EventFilter(kinds: [.log], bufferCapacity: 3))
        var it = sub.makeAsyncIterator()
        for n in 1...5 { bus.publish(Self.log(n)) }      // 1 2 3 kept, 4 5 dropped
        #expect(Self.number(try #require(try await it.next())) == 1)
        #expect(Self.number(try #require(try await it.next())) == 2)
        bus.publish(Self.log(6))                          // room for marker + 6
        #expect(Self.number(try #require(try await it.next())) == 3)
        guard case .lag(2)? = try await it.next() else { Issue.record("no marker at the gap"); return }
        #expect(Self.number(try #require(try await it.next())) == 6)
    }

    @Test func aSubscriberThatStaysBehindIsDisconnected() async throws {
        let bus = EventBus(disconnectAfterBuffers: 2)
        let sub = bus.subscribe(EventFilter(kinds: [.log], bufferCapacity: 4))
        for n in 1...20 { bus.publish(Self.log(n)) }  // 16 dropped > 2 × 4
        var it = sub.makeAsyncIterator()
        await #expect(throws: SlowSubscriberError.self) { _ = try await it.next() }
        #expect(bus.subscriberCount == 1)
        sub.cancel()
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
        let subs = (0..<100).map { _ in bus.subscribe(EventFilter(kinds: [.log], bufferCapacity: 2048)) }
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
