import Synchronization

/// Fan-out of engine events to any number of watchers, without ever making the
/// engine wait for one — and at a cost to the engine that does not grow with
/// the number of watchers.
///
/// One shared ring of the last `capacity` events (the LMAX Disruptor's shape):
/// `publish` writes each event once, whoever is watching, and wakes only the
/// readers that are waiting. Each subscriber has its own cursor and filter, so
/// its backlog is bounded by the ring: when the engine laps it, the events it
/// missed are gone for it alone, and its next read starts with a
/// `.lag(dropped:)` marker saying how many bus events it skipped. A subscriber
/// that keeps being lapped — more than `disconnectAfterLaps` rings' worth lost
/// without once catching up — is cut off with `SlowSubscriberError`.
/// Filters run on the reader's side, so the engine's thread does not pay for them.
public final class EventBus: Sendable {
    fileprivate struct Subscriber {
        var filter: EventFilter
        /// Sequence number of the next event to look at.
        var cursor: Int
        var droppedSinceCaughtUp = 0
        var disconnected = false
        var waiter: CheckedContinuation<Void, Error>?
    }

    fileprivate struct State {
        var ring: [EngineEvent?]
        /// Sequence number the next published event gets.
        var next = 0
        var subscribers: [Int: Subscriber] = [:]
        var waiting: Set<Int> = []
        var nextID = 0
        var closed = false
        var wantedKinds: [EventKind: Int] = [:]
        var debugLogSubscribers = 0
    }

    public let capacity: Int
    public let disconnectAfterLaps: Int
    private let state: Mutex<State>
    /// Mirrors of two subscriber counts, read without the lock on hot paths.
    private let debugReaders = Atomic<Int>(0)
    private let statusReaders = Atomic<Int>(0)
    private let lagMarkerCount = Atomic<Int>(0)

    /// Lag markers handed to subscribers that fell behind, since the bus was made.
    public var lagMarkers: Int { lagMarkerCount.load(ordering: .relaxed) }

    public init(capacity: Int = 16_384, disconnectAfterLaps: Int = 4) {
        precondition(capacity > 0)
        self.capacity = capacity
        self.disconnectAfterLaps = disconnectAfterLaps
        state = Mutex(State(ring: Array(repeating: nil, count: capacity)))
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Whether anyone would receive an event of this kind.
    public func hasSubscribers(for kind: EventKind) -> Bool {
        if kind == .status { return statusReaders.load(ordering: .relaxed) > 0 }
        return state.withLock { ($0.wantedKinds[kind] ?? 0) > 0 }
    }

    /// Whether anyone reads debug-level log lines (costly to build per candle). Lock-free.
    public var wantsDebugLogs: Bool { debugReaders.load(ordering: .relaxed) > 0 }

    public func publish(_ event: EngineEvent) { publish(contentsOf: CollectionOfOne(event)) }

    /// Appends events in order; one lock and one round of wake-ups for the lot.
    public func publish(contentsOf events: some Collection<EngineEvent>) {
        guard !events.isEmpty else { return }
        let wake = state.withLock { s -> [CheckedContinuation<Void, Error>] in
            guard !s.closed else { return [] }
            for e in events {
                s.ring[s.next % capacity] = e
                s.next += 1
            }
            return s.takeWaiters()
        }
        for w in wake { w.resume() }
    }

    public func subscribe(_ filter: EventFilter) -> EventSubscription {
        let id = state.withLock { s -> Int in
            let id = s.nextID
            s.nextID += 1
            s.subscribers[id] = Subscriber(filter: filter, cursor: s.next)
            for kind in filter.kinds { s.wantedKinds[kind, default: 0] += 1 }
            return id
        }
        if filter.wantsDebugLogs { debugReaders.add(1, ordering: .relaxed) }
        if filter.kinds.contains(.status) { statusReaders.add(1, ordering: .relaxed) }
        return EventSubscription(bus: self, id: id)
    }

    /// Ends every subscription (server shutdown): readers finish after draining.
    public func close() {
        let wake = state.withLock { s -> [CheckedContinuation<Void, Error>] in
            s.closed = true
            return s.takeWaiters()
        }
        for w in wake { w.resume() }
    }

    // MARK: - Reader side (EventSubscription)

    func next(id: Int) async throws -> BusItem? {
        try await nextBatch(id: id, max: 1).map { $0[0] }
    }

    /// What the subscriber has not seen yet (at most `max` items), waiting for
    /// at least one; nil at the end. Readers that forward to a network stream
    /// take batches, so a burst costs one write and one flush.
    func nextBatch(id: Int, max: Int) async throws -> [BusItem]? {
        while true {
            let outcome: ReadOutcome = state.withLock { s in s.read(id: id, max: max, capacity: capacity, laps: disconnectAfterLaps) }
            switch outcome {
            case .items(let items) where items.isEmpty: continue  // skipped only events its filter rejects
            case .items(let items):
                if case .lag = items[0] { lagMarkerCount.add(1, ordering: .relaxed) }  // a marker can only come first
                return items
            case .end: return nil
            case .failure(let error): throw error
            case .wait:
                try await withTaskCancellationHandler {
                    try await withCheckedThrowingContinuation { (c: CheckedContinuation<Void, Error>) in
                        let ready = state.withLock { s -> Bool in
                            // Something may have arrived between the read and now.
                            guard let sub = s.subscribers[id], !s.closed, !Task.isCancelled, sub.cursor == s.next else { return true }
                            s.subscribers[id]!.waiter = c
                            s.waiting.insert(id)
                            return false
                        }
                        if ready { c.resume() }
                    }
                } onCancel: {
                    let w = state.withLock { s -> CheckedContinuation<Void, Error>? in
                        s.waiting.remove(id)
                        defer { s.subscribers[id]?.waiter = nil }
                        return s.subscribers[id]?.waiter
                    }
                    w?.resume(throwing: CancellationError())
                }
                try Task.checkCancellation()
            }
        }
    }

    func unsubscribe(id: Int) {
        let removed = state.withLock { s -> Subscriber? in
            guard let sub = s.subscribers.removeValue(forKey: id) else { return nil }
            s.waiting.remove(id)
            for kind in sub.filter.kinds { s.wantedKinds[kind, default: 1] -= 1 }
            return sub
        }
        guard let removed else { return }
        if removed.filter.wantsDebugLogs { debugReaders.subtract(1, ordering: .relaxed) }
        if removed.filter.kinds.contains(.status) { statusReaders.subtract(1, ordering: .relaxed) }
        removed.waiter?.resume()
    }
}

private enum ReadOutcome {
    case items([BusItem]), wait, end, failure(any Error)
}

extension EventBus.State {
    fileprivate mutating func takeWaiters() -> [CheckedContinuation<Void, Error>] {
        var out: [CheckedContinuation<Void, Error>] = []
        out.reserveCapacity(waiting.count)
        for id in waiting {
            if let w = subscribers[id]?.waiter { out.append(w) }
            subscribers[id]?.waiter = nil
        }
        waiting.removeAll(keepingCapacity: true)
        return out
    }

    /// One read for a subscriber: a lag marker if it was lapped, then matching events.
    fileprivate mutating func read(id: Int, max: Int, capacity: Int, laps: Int) -> ReadOutcome {
        guard var sub = subscribers[id] else { return .end }
        defer { subscribers[id] = sub }
        if sub.disconnected { return .failure(SlowSubscriberError(dropped: sub.droppedSinceCaughtUp)) }
        var items: [BusItem] = []
        let oldest = Swift.max(0, next - capacity)
        if sub.cursor < oldest {
            let dropped = oldest - sub.cursor
            sub.cursor = oldest
            sub.droppedSinceCaughtUp += dropped
            if sub.droppedSinceCaughtUp > laps * capacity {
                sub.disconnected = true
                return .failure(SlowSubscriberError(dropped: sub.droppedSinceCaughtUp))
            }
            items.append(.lag(dropped: dropped))
        }
        // Look at a bounded stretch per call, so one read never holds the lock long.
        let end = Swift.min(next, sub.cursor + 4 * max)
        while sub.cursor < end && items.count < max {
            if let e = ring[sub.cursor % capacity], sub.filter.accepts(e) { items.append(.event(e)) }
            sub.cursor += 1
        }
        if sub.cursor == next { sub.droppedSinceCaughtUp = 0 }  // read everything: caught up
        if !items.isEmpty { return .items(items) }
        if sub.cursor < next { return .items([]) }  // only non-matching events so far; look again
        return closed ? .end : .wait
    }
}

/// A subscriber fell behind for too long and was cut off.
public struct SlowSubscriberError: Error, CustomStringConvertible {
    public var dropped: Int
    public var description: String {
        "disconnected: this watcher fell behind and lost \(dropped) events without catching up; reconnect, or filter to fewer events"
    }
}
