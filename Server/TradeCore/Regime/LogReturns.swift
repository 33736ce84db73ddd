#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Log returns of closes, for the HMM.
public enum LogReturns {
    /// `log(close_t / close_{t−1})` for each pair of consecutive candles whose
    /// open times are exactly `barMilliseconds` apart.
    ///
    /// A pair further apart spans missing bars (exchange outages: the BTC 1h
    /// file has 29 such gaps, up to 33 h), so its return covers several bars and
    /// would read as a volatility spike; it is skipped, not split. The segments
    /// on either side are then simply concatenated: the HMM treats the first
    /// bar after a gap as the next step of the chain — a small approximation
    /// (a few missing hours against state durations of days).
    public static func of(_ candles: some Collection<Candle>, barMilliseconds: Int64) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(candles.count)
        var previous: Candle?
        for c in candles {
            if let p = previous, c.openTime - p.openTime == barMilliseconds {
                out.append(log(c.close / p.close))
            }
            previous = c
        }
        return out
    }
}
