/// Where a journaled run stands. Kept in the store's `runs` row, updated in
/// the same transaction as the journal entry that changed it, so after a crash
/// a paused or halted run comes back paused or halted.
public enum RunState: String, Sendable, CaseIterable {
    /// Consuming candles, entries allowed.
    case running
    /// Consuming candles, new entries blocked by an operator.
    case paused
    /// The kill switch: positions closed, entries blocked until resumed.
    case halted
    /// The data ended.
    case finished
    /// An operator stopped it; it will not continue.
    case stopped
    /// An error stopped it (the run's message says which).
    case failed

    /// Still able to move forward (a resume continues it).
    public var isActive: Bool { self == .running || self == .paused || self == .halted }
}
