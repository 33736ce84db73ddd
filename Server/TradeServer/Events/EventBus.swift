import Synchronization

/// Fan-out of engine events to any number of watchers, without ever making the
/// engine wait for one.
///
/// Each subscriber has its own bounded ring buffer. `publish` only copies the
/// event into the buffers of the subscribers whose filter accepts it (and wakes
/// one waiting reader each); it never blocks on a reader. When a buffer is full
/// the event is dropped for that subscriber alone and counted; the subscriber
/// then receives a `.lag(dropped:)` marker at the gap, so it knows exactly how
/// much it missed. A subscriber that keeps falling behind — more than
/// `disconnectAfterDropped` events dropped without once catching up (reading
/// its buffer empty) — is disconnected with `SlowSubscriberError`.
public final class EventBus: Sendable {
    fileprivate struct Subscriber {
        var filter: EventFilter
        var buffer: RingBuffer<BusItem>
        var pendingDrop = 0
        var droppedSinceCaughtUp = 0
        var disconnected = false
        var waiter: CheckedContinuation<BusItem?, Error>?
    }

    private struct State {
        var subscribers: [Int: Subscriber] = [:]
        var nextID = 0
        var closed = false
        /// Kinds some subscriber wants, so a publisher can skip building events no one reads.
        var wantedKinds: [EventKind: Int] = [:]
        var debugLogSubscribers = 0
    }

    /// Dropped events (as a multiple of the buffer) after which a lagging subscriber is cut off.
    public let disconnectAfterBuffers: Int
    private let state = Mutex(State())

    public init(disconnectAfterBuffers: Int = 4) {
        self.disconnectAfterBuffers = disconnectAfterBuffers
    }

    public var subscriberCount: Int { state.withLock { $0.subscribers.count } }

    /// Whether anyone would receive an event of this kind; cheap, for hot paths.
    public func hasSubscribers(for kind: EventKind) -> Bool {
        state.withLock { ($0.wantedKinds[kind] ?? 0) > 0 }
    }

    /// Whether anyone reads debug-level log lines (they are costly to build per candle).
    public var wantsDebugLogs: Bool { state.withLock { $0.debugLogSubscribers > 0 } }

    public func publish(_ event: EngineEvent) {
        var wake: [(CheckedContinuation<BusItem?, Error>, BusItem)] = []
        state.withLock { s in
            guard !s.closed else { return }
            // Iterate over a copy of the keys: iterating `keys` itself would keep
            // the dictionary's storage shared and make every buffer write copy it.
            for id in Array(s.subscribers.keys) {
                s.subscribers[id]!.offer(event, disconnectAfterBuffers: disconnectAfterBuffers, wake: &wake)
            }
        }
        for (continuation, item) in wake { continuation.resume(returning: item) }
    }

    public func subscribe(_ filter: EventFilter) -> EventSubscription {
        let id = state.withLock { s -> Int in
            let id = s.nextID
            s.nextID += 1
            s.subscribers[id] = Subscriber(filter: filter, buffer: RingBuffer(capacity: filter.bufferCapacity))
            for kind in filter.kinds { s.wantedKinds[kind, default: 0] += 1 }
            if filter.kinds.contains(.log) && filter.minLevel == .debug { s.debugLogSubscribers += 1 }
            return id
        }
        return EventSubscription(bus: self, id: id)
    }

    /// Ends every subscription (server shutdown): readers finish after draining.
    public func close() {
        let waiters = state.withLock { s -> [CheckedContinuation<BusItem?, Error>] in
            s.closed = true
            var waiters: [CheckedContinuation<BusItem?, Error>] = []
            for id in Array(s.subscribers.keys) {
                if let w = s.subscribers[id]!.waiter { waiters.append(w); s.subscribers[id]!.waiter = nil }
            }
            return waiters
        }
        for w in waiters { w.resume(returning: nil) }
    }

    // MARK: - Reader side (EventSubscription)

    func next(id: Int) async throws -> BusItem? {
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<BusItem?, Error>) in
                let immediate: Result<BusItem?, Error>? = state.withLock { s in
                    guard s.subscribers[id] != nil else { return .success(nil) }
                    let closed = s.closed
                    // In place: a copy of the subscriber would copy its whole buffer.
                    return s.subscribers[id]!.take(closed: closed, cancelled: Task.isCancelled, orWait: continuation)
                }
                if let immediate { continuation.resume(with: immediate) }
            }
        } onCancel: {
            let waiter = state.withLock { s -> CheckedContinuation<BusItem?, Error>? in
                let w = s.subscribers[id]?.waiter
                s.subscribers[id]?.waiter = nil
                return w
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    func unsubscribe(id: Int) {
        let waiter = state.withLock { s -> CheckedContinuation<BusItem?, Error>? in
            guard let sub = s.subscribers.removeValue(forKey: id) else { return nil }
            for kind in sub.filter.kinds { s.wantedKinds[kind, default: 1] -= 1 }
            if sub.filter.kinds.contains(.log) && sub.filter.minLevel == .debug { s.debugLogSubscribers -= 1 }
            return sub.waiter
        }
        waiter?.resume(returning: nil)
    }
}

extension EventBus.Subscriber {
    /// The next item for the reader, or nil after registering it as the waiter.
    fileprivate mutating func take(closed: Bool, cancelled: Bool,
                                   orWait continuation: CheckedContinuation<BusItem?, Error>) -> Result<BusItem?, Error>? {
        if disconnected { return .failure(SlowSubscriberError(dropped: droppedSinceCaughtUp)) }
        if let item = buffer.popFirst() { return .success(item) }
        if pendingDrop > 0 {
            let dropped = pendingDrop
            pendingDrop = 0
            return .success(.lag(dropped: dropped))
        }
        droppedSinceCaughtUp = 0  // read everything: caught up
        if closed { return .success(nil) }
        if cancelled { return .failure(CancellationError()) }
        waiter = continuation
        return nil
    }

    /// Delivers, buffers or drops one event for this subscriber.
    fileprivate mutating func offer(_ event: EngineEvent, disconnectAfterBuffers: Int,
                                    wake: inout [(CheckedContinuation<BusItem?, Error>, BusItem)]) {
        guard !disconnected, filter.accepts(event) else { return }
        if let waiter {
            // Waiting means its buffer is empty and no drop is pending: hand it over.
            self.waiter = nil
            wake.append((waiter, .event(event)))
            return
        }
        // A pending drop needs a slot for its marker in front of the event.
        let needed = pendingDrop > 0 ? 2 : 1
        if buffer.count + needed <= buffer.capacity {
            if pendingDrop > 0 {
                buffer.append(.lag(dropped: pendingDrop))
                pendingDrop = 0
            }
            buffer.append(.event(event))
        } else {
            pendingDrop += 1
            droppedSinceCaughtUp += 1
            if droppedSinceCaughtUp > disconnectAfterBuffers * buffer.capacity {
                disconnected = true
                buffer.removeAll()
            }
        }
    }
}

/// A subscriber fell behind for too long and was cut off.
public struct SlowSubscriberError: Error, CustomStringConvertible {
    public var dropped: Int
    public var description: String {
        "disconnected: this watcher fell behind and \(dropped) events were dropped without it catching up; reconnect, or filter to fewer events"
    }
}
