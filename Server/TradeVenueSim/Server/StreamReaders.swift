/// The kline-stream connections of a reader-paced market (`--speed max`) and,
/// for each, the close time of the next kline it has not yet been sent: the
/// market moves a bar on only when every reader is past the market's time,
/// so the slowest reader paces the market and none misses a bar.
public struct StreamReaders: Sendable {
    private var nextClose: [UInt64: Int64] = [:]
    private var lastID: UInt64 = 0

    public init() {}

    /// A new connection; it holds nothing back until it has a subscription.
    public mutating func join() -> UInt64 {
        lastID += 1
        return lastID
    }

    public mutating func leave(_ id: UInt64) { nextClose[id] = nil }

    /// Where reader `id` is: the close of the next kline it is owed (nil: it is owed nothing).
    public mutating func update(_ id: UInt64, nextClose close: Int64?) { nextClose[id] = close }

    /// Whether every reader has been sent every kline closed by market time `now` (and there is a reader).
    public func allCaughtUp(at now: Int64) -> Bool {
        !nextClose.isEmpty && nextClose.values.allSatisfy { $0 > now }
    }
}
