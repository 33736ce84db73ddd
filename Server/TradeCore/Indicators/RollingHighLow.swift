/// Highest high and lowest low of the last `period` bars, for Stochastic and
/// Williams %R.
///
/// Two monotonic queues (a high's entry is dropped once a newer, higher high
/// arrives; likewise for lows) make each update O(1) amortised, with storage
/// allocated once. TA-Lib instead caches the extreme's index and rescans the
/// window when it falls out, which is O(period) per bar in a steady trend; the
/// extremes themselves are the same values either way. Before `period` bars
/// have been seen they are the extremes of the bars so far.
public struct RollingHighLow: Sendable, Codable {
    public let period: Int
    public private(set) var highest: Double = .nan
    public private(set) var lowest: Double = .nan
    private var bars = 0
    private var highs: MonotonicQueue
    private var lows: MonotonicQueue

    public init(period: Int) {
        precondition(period >= 1, "RollingHighLow period must be ≥ 1")
        self.period = period
        highs = MonotonicQueue(capacity: period, keepsMaximum: true)
        lows = MonotonicQueue(capacity: period, keepsMaximum: false)
    }

    /// True once `period` bars have been seen.
    public var isReady: Bool { bars >= period }

    public mutating func update(high: Double, low: Double) {
        let stamp = bars
        bars &+= 1
        let oldestKept = stamp - period + 1
        highest = highs.push(high, stamp: stamp, oldestKept: oldestKept)
        lowest = lows.push(low, stamp: stamp, oldestKept: oldestKept)
    }
}

/// Values in arrival order with every value that can no longer be the window's
/// extreme removed, so the front is always the extreme. A ring of `capacity`
/// (value, bar stamp) pairs: the window never holds more than `capacity` bars.
private struct MonotonicQueue: Sendable, Codable {
    let capacity: Int
    let keepsMaximum: Bool
    var values: ContiguousArray<Double>
    var stamps: ContiguousArray<Int>
    var head = 0
    var count = 0

    init(capacity: Int, keepsMaximum: Bool) {
        self.capacity = capacity
        self.keepsMaximum = keepsMaximum
        values = ContiguousArray(repeating: 0, count: capacity)
        stamps = ContiguousArray(repeating: 0, count: capacity)
    }

    /// Adds bar `stamp`'s value, drops bars older than `oldestKept`, and returns
    /// the extreme of the window.
    mutating func push(_ x: Double, stamp: Int, oldestKept: Int) -> Double {
        // Stamps advance by one per push, so at most the front can have expired.
        if count > 0 && stamps[head] < oldestKept {
            head = head + 1 == capacity ? 0 : head + 1
            count -= 1
        }
        while count > 0 {
            var back = head + count - 1
            if back >= capacity { back -= capacity }
            let dominated = keepsMaximum ? values[back] <= x : values[back] >= x
            guard dominated else { break }
            count -= 1
        }
        var tail = head + count
        if tail >= capacity { tail -= capacity }
        values[tail] = x
        stamps[tail] = stamp
        count += 1
        return values[head]
    }
}
