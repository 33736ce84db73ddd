import TradeCore

/// Puts the one-minute candles of several symbols, arriving from a stream and
/// from REST in any order, duplicated or with holes, into the order a backtest
/// of the same candles sees them: by open time, then by symbol index.
///
/// Per symbol it knows the open time through which it holds every candle the
/// venue has (`confirmedThrough`). A candle right after it extends the run; an
/// older one is a duplicate and dropped; a later one leaves a hole, which it
/// reports (`gap`) for the feed to fill from REST — it never invents a candle.
/// A minute is released only once every symbol is confirmed through it, so a
/// slow symbol cannot be overtaken. Pure and bounded by what is held back.
public struct CandleMerger: Sendable {
    public static let minute: Int64 = 60_000

    /// Per symbol: every candle up to and including this open time is known.
    public private(set) var confirmedThrough: [Int64]
    /// Candles confirmed but not yet released, per symbol, oldest first.
    private var held: [[Candle]]
    /// Candles past a hole, waiting for it to be filled, per symbol (sorted by time).
    private var pastGap: [[Candle]]
    /// The most candles held back per symbol before new ones are refused.
    public let capacity: Int

    /// `start`: the open time of the first candle wanted for every symbol.
    public init(symbolCount: Int, start: Int64, capacity: Int = 100_000) {
        precondition(start % Self.minute == 0, "the start must be on the minute grid")
        confirmedThrough = Array(repeating: start - Self.minute, count: symbolCount)
        held = Array(repeating: [], count: symbolCount)
        pastGap = Array(repeating: [], count: symbolCount)
        self.capacity = capacity
    }

    /// Resumes symbol `k` after `openTime` (the last candle the run already has).
    public mutating func resume(symbol k: Int, after openTime: Int64) {
        confirmedThrough[k] = max(confirmedThrough[k], openTime)
        held[k].removeAll { $0.openTime <= openTime }
        pastGap[k].removeAll { $0.openTime <= openTime }
    }

    public enum Outcome: Equatable, Sendable {
        case accepted
        case duplicate
        /// The candle is kept, but the candles opening in [from, to] are missing: fetch them.
        case gap(from: Int64, to: Int64)
        case full
    }

    /// Takes a closed candle of symbol `k`.
    @discardableResult
    public mutating func add(symbol k: Int, _ candle: Candle) -> Outcome {
        precondition(candle.openTime % Self.minute == 0, "candles are on the minute grid")
        let next = confirmedThrough[k] + Self.minute
        if candle.openTime < next { return .duplicate }
        if candle.openTime == next {
            guard held[k].count < capacity else { return .full }
            held[k].append(candle)
            confirmedThrough[k] = candle.openTime
            drainPastGap(k)
            return .accepted
        }
        guard pastGap[k].count < capacity else { return .full }
        if !pastGap[k].contains(where: { $0.openTime == candle.openTime }) {
            let at = pastGap[k].firstIndex { $0.openTime > candle.openTime } ?? pastGap[k].count
            pastGap[k].insert(candle, at: at)
        }
        return .gap(from: next, to: pastGap[k][0].openTime - Self.minute)
    }

    /// The venue was asked for symbol `k`'s candles through `openTime` and gave
    /// all it has (added before this call): any still missing do not exist there.
    public mutating func confirmNone(symbol k: Int, through openTime: Int64) {
        guard openTime > confirmedThrough[k] else { return }
        confirmedThrough[k] = openTime
        pastGap[k].removeAll { $0.openTime <= openTime }
        drainPastGap(k)
    }

    /// The hole still open for symbol `k`, if any.
    public func openGap(symbol k: Int) -> (from: Int64, to: Int64)? {
        guard let first = pastGap[k].first else { return nil }
        return (confirmedThrough[k] + Self.minute, first.openTime - Self.minute)
    }

    private mutating func drainPastGap(_ k: Int) {
        while let first = pastGap[k].first, first.openTime <= confirmedThrough[k] + Self.minute {
            pastGap[k].removeFirst()
            if first.openTime == confirmedThrough[k] + Self.minute {
                held[k].append(first)
                confirmedThrough[k] = first.openTime
            }
        }
    }

    /// The open time through which every symbol is confirmed.
    public var releasableThrough: Int64 { confirmedThrough.min() ?? .min }

    /// Candles held back in all.
    public var heldCount: Int { held.reduce(0) { $0 + $1.count } }

    /// Releases, in (open time, symbol) order, every candle through `releasableThrough`.
    public mutating func release(into out: (Int, Candle) -> Void) {
        let through = releasableThrough
        var index = Array(repeating: 0, count: held.count)
        while true {
            var best: Int?
            var bestTime = Int64.max
            for k in held.indices where index[k] < held[k].count {
                let t = held[k][index[k]].openTime
                if t <= through, t < bestTime { best = k; bestTime = t }
            }
            guard let k = best else { break }
            out(k, held[k][index[k]])
            index[k] += 1
        }
        for k in held.indices where index[k] > 0 { held[k].removeFirst(index[k]) }
    }
}
