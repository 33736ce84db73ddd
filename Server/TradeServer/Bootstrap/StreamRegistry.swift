import Synchronization

/// The server's open watch streams, so shutdown can end them: a stream never
/// finishes by itself, and graceful shutdown waits for in-flight calls. Ending
/// them first lets watchers see a clean end (and reconnect to the next server)
/// while unary calls in flight still complete.
final class StreamRegistry: Sendable {
    private struct State {
        var subscriptions: [ObjectIdentifier: EventSubscription] = [:]
        var shuttingDown = false
    }
    private let state = Mutex(State())

    var isShuttingDown: Bool { state.withLock { $0.shuttingDown } }

    /// Registers a subscription; returns false (and cancels it) during shutdown.
    func register(_ subscription: EventSubscription) -> Bool {
        let accepted = state.withLock { s -> Bool in
            guard !s.shuttingDown else { return false }
            s.subscriptions[ObjectIdentifier(subscription.token)] = subscription
            return true
        }
        if !accepted { subscription.cancel() }
        return accepted
    }

    func unregister(_ subscription: EventSubscription) {
        _ = state.withLock { $0.subscriptions.removeValue(forKey: ObjectIdentifier(subscription.token)) }
    }

    func shutdown() {
        let open = state.withLock { s -> [EventSubscription] in
            s.shuttingDown = true
            defer { s.subscriptions.removeAll() }
            return Array(s.subscriptions.values)
        }
        for subscription in open { subscription.cancel() }
    }
}
