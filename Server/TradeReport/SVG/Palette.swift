/// The report's colours: one per role, chosen to read on white and in grey.
enum Palette {
    static let strategy = "#1f6feb"
    static let benchmark = "#8b949e"
    static let gain = "#1a7f37"
    static let loss = "#cf222e"
    static let drawdown = "#cf222e"
    static let price = "#57606a"
    static let fan = "#1f6feb"
    /// Series colours in order (models, parameters, methods).
    static let series = ["#1f6feb", "#bf8700", "#8250df", "#1a7f37", "#cf222e", "#0a7ea4", "#953800"]

    static func series(_ i: Int) -> String { series[i % series.count] }

    /// A diverging colour for `v` in [-1, 1]: red for losses, white at 0, green for gains.
    static func diverging(_ v: Double) -> String {
        let t = max(-1, min(1, v.isFinite ? v : 0))
        let (r, g, b): (Double, Double, Double) = t >= 0 ? (26, 127, 55) : (207, 34, 46)
        let a = abs(t)
        func mix(_ c: Double) -> Int { Int((255 + (c - 255) * a).rounded()) }
        return "rgb(\(mix(r)),\(mix(g)),\(mix(b)))"
    }
}

/// Thins a long curve for drawing: per bucket of consecutive points its first,
/// lowest, highest and last point, in time order, so peaks and troughs (and
/// with them drawdowns) survive. A million-step equity curve draws as ≤ 4 × `buckets` points.
enum Downsample {
    static func minMax(x: [Double], y: [Double], buckets: Int = 700) -> [(Double, Double)] {
        let n = min(x.count, y.count)
        guard n > buckets * 4 else { return (0..<n).map { (x[$0], y[$0]) } }
        var out: [(Double, Double)] = []
        out.reserveCapacity(buckets * 4)
        for b in 0..<buckets {
            let lo = b * n / buckets, hi = (b + 1) * n / buckets
            guard lo < hi else { continue }
            var iMin = lo, iMax = lo
            for i in lo..<hi {
                if y[i] < y[iMin] { iMin = i }
                if y[i] > y[iMax] { iMax = i }
            }
            for i in Set([lo, iMin, iMax, hi - 1]).sorted() { out.append((x[i], y[i])) }
        }
        return out
    }
}
