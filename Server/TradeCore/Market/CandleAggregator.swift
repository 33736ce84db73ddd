/// Builds closed higher-timeframe candles (5m … 1d, UTC-aligned) from a
/// time-ordered stream of base candles (normally 1m), one input at a time.
///
/// **Emitted only when closed.** A bucket's candle is emitted either
/// - when the base candle that ends the bucket arrives (`openTime + base == bucket end`),
///   immediately, so a strategy acts at the bar's true close and not one minute later; or
/// - when a base candle of a later bucket arrives: the bucket's tail fell in a gap,
///   so nothing more can come for it.
///
/// A bucket that is still open is never emitted (there is no flush: at the end of
/// data the last bucket simply never closed), and a bucket without any base candle
/// emits nothing — gaps stay gaps, no candle is invented. A bucket with holes is
/// built from the candles it has: O = first open, H = max high, L = min low,
/// C = last close, V = sum of volumes; its `openTime` is the bucket start even when
/// the bucket's first minutes are missing.
///
/// **Cost.** O(1) per input and target; no allocation after `init`: buckets live in
/// a fixed array mutated in place, and `add` hands results to a non-escaping closure.
///
/// **Volume is summed exactly** in integer units of 1e-8 (the precision exchanges
/// publish, see `fixedPointScale`), not as a running `Double` sum: adding sixty
/// rounded doubles drifts by an ulp or two, while the integer sum converted once
/// gives the same `Double` as the exchange's own higher-timeframe candle (Binance's
/// 1h candles equal the aggregated 1m candles in every field, volume included).
/// That holds while a bucket's volume stays below 2^53 units (about 90 million whole
/// units of the base asset); above it the result is within one rounding.
public struct CandleAggregator: Sendable, Codable {
    /// The interval of the input candles.
    public let base: Timeframe
    /// The timeframes built, ascending; only those longer than `base`.
    public let targets: [Timeframe]

    private var buckets: [Bucket]
    private var lastOpenTime = Int64.min

    /// - Parameters:
    ///   - base: interval of the candles passed to `add` (1m, or e.g. 1h to build 4h/1d
    ///     from an hourly file).
    ///   - targets: timeframes to build; those not longer than `base` are skipped, since
    ///     they cannot be built from it. Every longer timeframe is a whole multiple of
    ///     every shorter one, so buckets always contain whole base candles.
    public init(base: Timeframe = .m1, targets: [Timeframe] = Timeframe.allCases) {
        self.base = base
        self.targets = Set(targets).filter { $0 > base }.sorted()
        buckets = self.targets.map { Bucket(timeframe: $0) }
    }

    /// Feeds the next base candle and calls `emit` for every higher-timeframe candle
    /// that this candle closes: per target in ascending timeframe order, an earlier
    /// bucket ended by a gap before the bucket this candle completes.
    ///
    /// - Precondition: `candle.openTime` is later than the previous candle's and on
    ///   the `base` grid (as `CandleFileReader` guarantees); anything else is a bug in
    ///   the feed, and aggregating it would silently produce wrong bars.
    public mutating func add(_ candle: Candle, emit: (Timeframe, Candle) -> Void) {
        precondition(candle.openTime > lastOpenTime, "candles must be fed in increasing time order")
        precondition(base.bucketStart(candle.openTime) == candle.openTime, "candle is not on the \(base.name) grid")
        lastOpenTime = candle.openTime
        let closeTime = candle.openTime + base.milliseconds
        let volumeUnits = Bucket.volumeUnits(candle.volume)
        for i in buckets.indices {
            buckets[i].add(candle, closeTime: closeTime, volumeUnits: volumeUnits, emit: emit)
        }
    }
}

/// One target timeframe's candle under construction.
private struct Bucket: Sendable, Codable {
    let timeframe: Timeframe
    /// The candle so far; `openTime` is the bucket start. Meaningful only if `isOpen`.
    var bar = Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0)
    var volume: Int128 = 0
    var isOpen = false

    init(timeframe: Timeframe) { self.timeframe = timeframe }

    /// Volume in 1e-8 units, rounded to nearest: exact for a volume printed with at
    /// most 8 decimals and below 90 million.
    /// Through `Int64` whenever it fits (always, for real volumes): the generic
    /// `Int128(Double)` conversion is not specialised across modules and costs
    /// more than the rest of the aggregation.
    @inline(__always)
    static func volumeUnits(_ volume: Double) -> Int128 {
        let units = (volume * Double(fixedPointScale)).rounded(.toNearestOrEven)
        if abs(units) < 9.2e18 { return Int128(Int64(units)) }
        return Int128(units)
    }

    /// `Double(units)` through `Int64` when it fits, for the same reason.
    @inline(__always)
    static func double(_ units: Int128) -> Double {
        if let small = Int64(exactly: units) { return Double(small) }
        return Double(units)
    }

    @inline(__always)
    mutating func add(_ candle: Candle, closeTime: Int64, volumeUnits: Int128, emit: (Timeframe, Candle) -> Void) {
        let start = timeframe.bucketStart(candle.openTime)
        if isOpen, start != bar.openTime {
            close(emit)   // the rest of the previous bucket is a gap
        }
        if isOpen {
            bar.high = max(bar.high, candle.high)
            bar.low = min(bar.low, candle.low)
            bar.close = candle.close
            volume += volumeUnits
        } else {
            bar = Candle(openTime: start, open: candle.open, high: candle.high, low: candle.low,
                         close: candle.close, volume: 0)
            volume = volumeUnits
            isOpen = true
        }
        if closeTime == start + timeframe.milliseconds {
            close(emit)
        }
    }

    private mutating func close(_ emit: (Timeframe, Candle) -> Void) {
        bar.volume = Self.double(volume) / Double(fixedPointScale)
        isOpen = false
        emit(timeframe, bar)
    }
}
