import Synchronization

/// Wakes one waiter when something arrives, or lets it go at its timeout.
/// An arrival while nobody waits is kept (once), so the next wait returns at
/// once. Made with a continuation rather than an `AsyncStream`: cancelling a
/// stream's waiting `next()` ends the stream for good, so after one timeout
/// every later wait would return at once — a busy loop.
final class ArrivalSignal: Sendable {
    private struct State {
        var pending = false
        var waiter: CheckedContinuation<Bool, Never>?
        /// Tells a timeout which wait it belongs to: one that finds a later wait leaves it alone.
        var generation = 0
    }

    private let state = Mutex(State())

    func signal() {
        let waiter = state.withLock { s -> CheckedContinuation<Bool, Never>? in
            guard let w = s.waiter else { s.pending = true; return nil }
            s.waiter = nil
            return w
        }
        waiter?.resume(returning: true)
    }

    /// True when an arrival woke it (or one was pending); false at the timeout.
    func wait(timeout: Duration) async -> Bool {
        await withCheckedContinuation { (c: CheckedContinuation<Bool, Never>) in
            let generation = state.withLock { s -> Int? in
                if s.pending {
                    s.pending = false
                    return nil
                }
                s.generation += 1
                s.waiter = c
                return s.generation
            }
            guard let generation else { return c.resume(returning: true) }
            Task { [self] in
                try? await Task.sleep(for: timeout)
                let waiter = self.state.withLock { s -> CheckedContinuation<Bool, Never>? in
                    guard s.generation == generation, let w = s.waiter else { return nil }
                    s.waiter = nil
                    return w
                }
                waiter?.resume(returning: false)
            }
        }
    }
}
