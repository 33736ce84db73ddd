import Foundation
import Synchronization
@testable import TradeServer

/// A host clock the test owns: time moves only when the host waits (a sleep
/// moves it by exactly what was asked) or when the test moves it, so a paced
/// run ends at once and its lags and uptimes are exact.
final class VirtualClock: HostClock {
    private let base = ContinuousClock.now
    private let baseDate = Date(timeIntervalSince1970: 1_800_000_000)
    private let elapsed = Mutex(Duration.zero)

    var now: ContinuousClock.Instant { base + elapsed.withLock { $0 } }
    var date: Date { baseDate.addingTimeInterval(elapsed.withLock { $0 }.seconds) }
    var waited: Duration { elapsed.withLock { $0 } }

    func advance(_ d: Duration) { elapsed.withLock { $0 += d } }

    func sleep(for duration: Duration) async throws {
        advance(duration)
        await Task.yield()
    }
}
