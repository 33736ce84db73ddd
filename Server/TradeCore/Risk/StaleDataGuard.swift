/// Freezes entries for a symbol whose feed has gone quiet.
///
/// A symbol is stale at time t when `maxSilentIntervals` or more of its
/// candles are missing up to t (other symbols' bars move time on).
/// When its feed resumes after such a gap, entries stay frozen for
/// `recoveryBars` bars, counting the first one after the gap: the indicators
/// just bridged a hole and the first prints after an outage are the least
/// reliable. Exits are never frozen.
public struct StaleDataGuard: Sendable, Codable {
    public let intervalMilliseconds: Int64
    public private(set) var maxSilentIntervals: Int
    public private(set) var recoveryBars: Int
    private var lastTime: [Int64]
    private var recoveryLeft: [Int]
    /// The largest gap (intervals) after which each symbol is recovering.
    private var lastGap: [Int64]

    public init(symbolCount: Int, interval: Timeframe = .m1, maxSilentIntervals: Int = 3, recoveryBars: Int = 15) {
        intervalMilliseconds = interval.milliseconds
        self.maxSilentIntervals = maxSilentIntervals
        self.recoveryBars = recoveryBars
        lastTime = Array(repeating: .min, count: symbolCount)
        recoveryLeft = Array(repeating: 0, count: symbolCount)
        lastGap = Array(repeating: 0, count: symbolCount)
    }

    /// New thresholds from the next candle; a recovery under way keeps the
    /// bars it has left.
    public mutating func adopt(maxSilentIntervals: Int, recoveryBars: Int) {
        self.maxSilentIntervals = maxSilentIntervals
        self.recoveryBars = recoveryBars
    }

    /// A candle of `symbol` opened at `time`.
    public mutating func observe(symbol: Int, time: Int64) {
        let last = lastTime[symbol]
        lastTime[symbol] = time
        if last != .min {
            let missing = (time - last) / intervalMilliseconds - 1
            if missing >= Int64(maxSilentIntervals) {
                recoveryLeft[symbol] = recoveryBars
                lastGap[symbol] = missing
                return
            }
        }
        if recoveryLeft[symbol] > 0 { recoveryLeft[symbol] -= 1 }
    }

    /// Why entries in `symbol` are frozen at `now`: the number of intervals
    /// without a candle (silent now, or the gap it is recovering from), or nil.
    public func frozen(symbol: Int, now: Int64) -> Int64? {
        let last = lastTime[symbol]
        guard last != .min else { return nil }
        let silent = (now - last) / intervalMilliseconds
        if silent >= Int64(maxSilentIntervals) { return silent }
        return recoveryLeft[symbol] > 0 ? lastGap[symbol] : nil
    }
}
