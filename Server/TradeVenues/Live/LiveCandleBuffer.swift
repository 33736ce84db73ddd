import Synchronization
import TradeCore
import TradeEngine

/// The candle source of a paper (later live) run: the feed appends released
/// candles, the engine's loop reads them by position and says when it is done
/// with them, so only the candles between the two are held (at most `capacity`
/// per symbol; the feed waits when a symbol's buffer is full).
///
/// Also where the feed's status lives, so the engine's thread reads both
/// without awaiting the feed.
public final class LiveCandleBuffer: CandleSource, Sendable {
    public let instruments: [Instrument]
    public let capacity: Int
    /// The open time the run's first candle has (the backfill's start).
    public let start: Int64

    struct Queue {
        /// Position of `candles[0]` in the symbol's sequence.
        var base = 0
        var candles: [Candle] = []
        /// When each of `candles` came off the venue's stream (wall µs); `.min` for REST backfill.
        var received: [Int64] = []
        var lastOpenTime: Int64?
        /// Position up to which the engine is done.
        var consumed = 0
        /// The last candles the engine took (at most `recentLimit`), for queries.
        var recent: [Candle] = []
    }

    /// How many of each symbol's latest consumed candles are kept for queries.
    public static let recentLimit = 10_000

    struct State {
        var queues: [Queue]
        var status: FeedStatus
        var closed = false
        /// Receive stamps of the candles the engine took since the host last asked, in the order it took them.
        var consumedStamps: [Int64] = []
    }

    /// The most receive stamps kept for the host between two of its turns.
    static let stampLimit = 65_536

    private let state: Mutex<State>
    /// Signalled at every append, so the engine's loop wakes when a candle comes instead of polling.
    private let arrival = ArrivalSignal()

    public init(instruments: [Instrument], start: Int64, venue: String, capacity: Int = 50_000) {
        self.instruments = instruments
        self.capacity = capacity
        self.start = start
        state = Mutex(State(queues: Array(repeating: Queue(), count: instruments.count), status: FeedStatus(venue: venue)))
    }

    // MARK: - CandleSource (the engine's side)

    public func candle(symbol k: Int, index: Int) -> Candle? {
        state.withLock { s in
            let q = s.queues[k]
            let i = index - q.base
            return i >= 0 && i < q.candles.count ? q.candles[i] : nil
        }
    }
    public func firstBarIndex(symbol k: Int) -> Int { 0 }
    public func hasEnded(symbol k: Int, at index: Int) -> Bool { false }
    public func consumed(symbol k: Int, below index: Int) {
        state.withLock { s in
            let q = s.queues[k]
            if index > q.consumed {
                let from = max(q.consumed - q.base, 0), to = min(index - q.base, q.candles.count)
                if from < to {
                    s.queues[k].recent.append(contentsOf: q.candles[from..<to])
                    s.consumedStamps.append(contentsOf: q.received[from..<to])
                    if s.consumedStamps.count > Self.stampLimit { s.consumedStamps.removeFirst(s.consumedStamps.count - Self.stampLimit) }
                }
                if s.queues[k].recent.count > Self.recentLimit + 1_024 {
                    s.queues[k].recent.removeFirst(s.queues[k].recent.count - Self.recentLimit)
                }
                s.queues[k].consumed = index
            }
            let n = min(index - s.queues[k].base, s.queues[k].candles.count)
            guard n > 0 else { return }
            // Drop in chunks: removing from the front one by one would move the array each time.
            if n >= 1_024 || n == s.queues[k].candles.count {
                s.queues[k].candles.removeFirst(n)
                s.queues[k].received.removeFirst(n)
                s.queues[k].base += n
            }
        }
    }
    public var firstOpenTime: Int64? { start }
    public var totalCount: Int? { nil }
    public var expectedSteps: Int { 0 }
    public var verifiesJournal: Bool { false }
    public func resume(symbol k: Int, delivered index: Int, lastOpenTime: Int64?) {
        state.withLock { s in
            s.queues[k] = Queue(base: index, candles: [], lastOpenTime: lastOpenTime, consumed: index)
        }
    }

    // MARK: - The feed's side

    /// Where each symbol's feed must start: after the last candle the run has, or at `start`.
    public var resumePoints: [Int64] {
        state.withLock { s in s.queues.map { $0.lastOpenTime ?? (start - CandleMerger.minute) } }
    }

    /// Appends symbol `k`'s next candle — `received` (wall µs) when it came off the stream, nil from
    /// REST — and wakes the engine's loop; false (nothing appended) when its buffer is full.
    public func append(symbol k: Int, _ candle: Candle, received: Int64? = nil) -> Bool {
        let added = state.withLock { s in
            guard s.queues[k].candles.count < capacity else { return false }
            s.queues[k].candles.append(candle)
            s.queues[k].received.append(received ?? .min)
            s.queues[k].lastOpenTime = candle.openTime
            s.status.lastCandleOpenTime = max(s.status.lastCandleOpenTime ?? .min, candle.openTime)
            return true
        }
        if added { arrival.signal() }
        return added
    }

    /// Waits until a candle is appended (at once if one came since the last wait), or `timeout` passes;
    /// true when a candle woke it. One waiter at a time: the engine's loop.
    @discardableResult
    public func waitForArrival(timeout: Duration) async -> Bool { await arrival.wait(timeout: timeout) }

    /// When each candle the engine took since the last call came off the stream (wall µs, `.min` for
    /// REST backfill), in the order it took them; at most `stampLimit`, the newest.
    public func takeConsumedStamps() -> [Int64] {
        state.withLock { s in
            defer { s.consumedStamps.removeAll(keepingCapacity: true) }
            return s.consumedStamps
        }
    }

    public var status: FeedStatus { state.withLock { $0.status } }

    /// Symbol `k`'s latest candles the engine took, oldest first (at most `recentLimit`).
    public func recentCandles(symbol k: Int) -> ArraySlice<Candle> {
        state.withLock { s in s.queues[k].recent.suffix(Self.recentLimit) }
    }

    public func updateStatus(_ change: (inout FeedStatus) -> Void) { state.withLock { change(&$0.status) } }
}

/// A live feed as the engine and operators see it.
public struct FeedStatus: Sendable, Equatable {
    public var venue: String
    public var endpoint = ""
    public var connected = false
    /// Open time of the newest candle handed to the engine.
    public var lastCandleOpenTime: Int64?
    /// Wall time (Unix ms) that candle arrived.
    public var lastCandleArrivedAt: Int64?
    /// No candle for longer than the stale threshold: the host freezes entries.
    public var stale = false
    public var reconnects = 0
    public var backfilledCandles = 0
    /// Venue clock − ours, from the last server-time sync.
    public var clockOffsetMilliseconds: Int64 = 0
    public var breakers: [EndpointBreaker] = []
    /// The last thing that went wrong, or what the feed is doing.
    public var message = ""

    public init(venue: String) { self.venue = venue }

    /// The worst of the breakers.
    public var worstBreaker: EndpointBreaker.State {
        if breakers.contains(where: { $0.state == .open }) { return .open }
        if breakers.contains(where: { $0.state == .halfOpen }) { return .halfOpen }
        return .closed
    }
}
