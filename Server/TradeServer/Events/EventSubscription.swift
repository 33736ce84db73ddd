/// One watcher's view of the bus: an `AsyncSequence` of events and lag markers.
///
/// It unsubscribes when the last copy is released, so a handler that returns
/// (client gone, call cancelled) frees its buffer without further bookkeeping.
public struct EventSubscription: AsyncSequence, Sendable {
    public typealias Element = BusItem

    final class Token: Sendable {
        let bus: EventBus
        let id: Int
        init(bus: EventBus, id: Int) { self.bus = bus; self.id = id }
        deinit { bus.unsubscribe(id: id) }
    }

    let token: Token

    init(bus: EventBus, id: Int) { token = Token(bus: bus, id: id) }

    public struct AsyncIterator: AsyncIteratorProtocol {
        let token: Token
        /// Throws `SlowSubscriberError` when cut off, `CancellationError` when cancelled.
        public mutating func next() async throws -> BusItem? {
            try await token.bus.next(id: token.id)
        }

        /// Every item buffered now (at most `max`), waiting for at least one; nil at the end.
        public mutating func nextBatch(max: Int) async throws -> [BusItem]? {
            try await token.bus.nextBatch(id: token.id, max: max)
        }
    }

    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(token: token) }

    /// Stops the subscription now (its iterator then ends).
    public func cancel() { token.bus.unsubscribe(id: token.id) }
}
