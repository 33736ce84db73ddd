/// One engine run kept in the store: started once, then carried by its caller
/// through states ("running", "paused", "stopped", "failed" …) until it ends.
///
/// `id`, `startSequence`, `startedAt` and `identity` are fixed when the run is
/// started (`StoreBatch.startRun`); `state`, `message` and `endedAt` change with
/// `StoreBatch.runUpdate`. Ids are 1, 2, 3 … in the order the runs were started.
public struct RunRecord: Sendable, Hashable {
    public var id: Int64
    /// The journal sequence of the entry that started the run.
    public var startSequence: Int64
    /// Unix ms, as given by the caller.
    public var startedAt: Int64
    /// Opaque to the store: what the caller needs to recognise and resume the run
    /// (for example JSON naming the strategy, symbols and parameters).
    public var identity: String
    /// Free text the caller maintains, e.g. "running", "paused", "halted", "stopped", "finished", "failed".
    public var state: String
    /// Why the run is in its state ("" when there is nothing to say).
    public var message: String
    /// Unix ms when the run ended; nil while it has not.
    public var endedAt: Int64?

    public init(id: Int64, startSequence: Int64, startedAt: Int64, identity: String, state: String,
                message: String = "", endedAt: Int64? = nil) {
        self.id = id
        self.startSequence = startSequence
        self.startedAt = startedAt
        self.identity = identity
        self.state = state
        self.message = message
        self.endedAt = endedAt
    }
}

/// A change of a run's state, committed with `StoreBatch.runUpdate`.
public struct RunUpdate: Sendable, Hashable {
    public var id: Int64
    public var state: String
    /// Replaces the run's message ("" clears it).
    public var message: String
    /// Replaces the run's end time (nil clears it, for a run that resumes).
    public var endedAt: Int64?

    public init(id: Int64, state: String, message: String = "", endedAt: Int64? = nil) {
        self.id = id
        self.state = state
        self.message = message
        self.endedAt = endedAt
    }
}
