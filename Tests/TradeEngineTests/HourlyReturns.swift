/// The arithmetic both limit auditors recompute from hourly closes (keyed by
/// hour number), independently of the engine's `ReturnHistory`.
enum HourlyReturns {
    /// Simple returns of the `window` hours ending at `lastHour`, where both closes exist.
    static func returns(_ closes: [Int64: Double], lastHour: Int64, window: Int) -> [Int64: Double] {
        var out: [Int64: Double] = [:]
        for h in (lastHour - Int64(window) + 1)...lastHour {
            if let c = closes[h], let p = closes[h - 1] { out[h] = c / p - 1 }
        }
        return out
    }

    /// Pearson correlation over the hours both have; nil below `minObservations` or for a flat series.
    static func correlation(_ x: [Int64: Double], _ y: [Int64: Double], minObservations: Int) -> Double? {
        let common = x.keys.filter { y[$0] != nil }.sorted()
        guard common.count >= minObservations else { return nil }
        let xs = common.map { x[$0]! }, ys = common.map { y[$0]! }
        let mx = xs.reduce(0, +) / Double(xs.count), my = ys.reduce(0, +) / Double(ys.count)
        var sxy = 0.0, sxx = 0.0, syy = 0.0
        for (u, v) in zip(xs, ys) { sxy += (u - mx) * (v - my); sxx += (u - mx) * (u - mx); syy += (v - my) * (v - my) }
        return sxx > 0 && syy > 0 ? sxy / (sxx * syy).squareRoot() : nil
    }
}
