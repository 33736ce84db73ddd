import TradeCore

/// Candles of any interval built from the 1-minute ones, aligned to UTC
/// multiples of the interval (what Binance's and Bybit's klines are): the REST
/// klines and the streams build them the same way.
public struct KlineBucket: Sendable, Equatable {
    /// The interval's candle: first open, highest high, lowest low, last close, summed volume.
    public var candle: Candle
    /// Σ volume × close (the files have no quote volume).
    public var quoteVolume: Double

    public var openTime: Int64 { candle.openTime }

    /// Buckets of `span` ms over `candles` (in time order), in time order.
    public static func aggregate(_ candles: ArraySlice<Candle>, span: Int64) -> [KlineBucket] {
        var out: [KlineBucket] = []
        for c in candles {
            let open = c.openTime - ((c.openTime % span) + span) % span
            if var last = out.last, last.openTime == open {
                last.candle.high = max(last.candle.high, c.high)
                last.candle.low = min(last.candle.low, c.low)
                last.candle.close = c.close
                last.candle.volume += c.volume
                last.quoteVolume += c.volume * c.close
                out[out.count - 1] = last
            } else {
                out.append(KlineBucket(candle: Candle(openTime: open, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume),
                                       quoteVolume: c.volume * c.close))
            }
        }
        return out
    }
}
