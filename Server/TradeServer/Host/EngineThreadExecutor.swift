import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A serial executor on a thread of its own, at raised scheduling priority
/// where the system allows it (Linux `nice` −10 needs CAP_SYS_NICE, e.g. root).
///
/// The replay host's actor runs here rather than on the shared cooperative
/// pool. Watch streams (encoding, TLS, HTTP/2) run on the pool and NIO's event
/// loops; with the engine on its own, favoured thread, a hundred busy watchers
/// cannot take its CPU away — slow watchers lose events (and are told so)
/// instead of slowing the engine. The thread lives as long as the process: one
/// host per server.
///
/// It is also a `TaskExecutor`: the replay loop's task prefers it, so the loop's
/// suspensions between batches (yield, sleep) resume here directly instead of
/// queueing on the cooperative pool behind the watchers' work.
final class EngineThreadExecutor: SerialExecutor, TaskExecutor, @unchecked Sendable {
    private let condition = NSCondition()
    private var jobs: [UnownedJob] = []
    private let raised = NSLock()
    private var _raisedPriority = false

    /// Whether the thread got the raised priority (for the server's log).
    var raisedPriority: Bool { raised.withLock { _raisedPriority } }

    init(name: String, niceness: Int32 = -10) {
        let thread = Thread { [self] in self.run(niceness: niceness) }
        thread.name = name
        thread.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        condition.lock()
        jobs.append(job)
        condition.signal()
        condition.unlock()
    }

    private func run(niceness: Int32) {
        #if canImport(Glibc)
        // On Linux the nice value is per thread, and PRIO_PROCESS with 0 is the calling thread.
        let ok = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness) == 0
        raised.withLock { _raisedPriority = ok }
        #endif
        var batch: [UnownedJob] = []
        while true {
            condition.lock()
            while jobs.isEmpty { condition.wait() }
            swap(&batch, &jobs)
            condition.unlock()
            for job in batch {
                job.runSynchronously(isolatedTo: asUnownedSerialExecutor(), taskExecutor: asUnownedTaskExecutor())
            }
            batch.removeAll(keepingCapacity: true)
        }
    }
}
