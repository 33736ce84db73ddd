import Foundation

/// Maps a domain of values onto a pixel range, linearly.
struct LinearScale {
    var domain: (Double, Double)
    var range: (Double, Double)

    init(domain: (Double, Double), range: (Double, Double)) {
        var (lo, hi) = domain
        if !(lo.isFinite && hi.isFinite) { (lo, hi) = (0, 1) }
        if lo == hi { (lo, hi) = lo == 0 ? (-1, 1) : (lo - abs(lo) * 0.05, hi + abs(hi) * 0.05) }
        self.domain = (lo, hi)
        self.range = range
    }

    func callAsFunction(_ v: Double) -> Double {
        range.0 + (v - domain.0) / (domain.1 - domain.0) * (range.1 - range.0)
    }

    /// The domain of `values` (finite ones), padded by `pad` of its span on both sides.
    static func extent<S: Sequence>(_ values: S, pad: Double = 0, including: Double? = nil) -> (Double, Double) where S.Element == Double {
        var lo = Double.infinity, hi = -Double.infinity
        for v in values where v.isFinite { lo = min(lo, v); hi = max(hi, v) }
        if let including { lo = min(lo, including); hi = max(hi, including) }
        guard lo <= hi else { return (0, 1) }
        let span = hi - lo
        return (lo - span * pad, hi + span * pad)
    }

    /// "Nice" tick values (1, 2 or 5 × 10^k apart), about `count` of them, inside the domain.
    func ticks(_ count: Int = 5) -> [Double] {
        let (lo, hi) = domain
        let raw = (hi - lo) / Double(max(count, 1))
        let magnitude = pow(10, (log10(raw)).rounded(.down))
        let step = [1.0, 2, 5, 10].map { $0 * magnitude }.first { $0 >= raw } ?? raw
        var out: [Double] = []
        let first = (lo / step).rounded(.up)
        while out.count < 50 {
            let t = (first + Double(out.count)) * step   // multiples of the step, not a running sum (no drift)
            guard t <= hi + step * 1e-9 else { break }
            out.append(abs(t) < step * 1e-9 ? 0 : t)
        }
        return out
    }
}

/// Tick positions and labels for a time axis (Unix ms, UTC): whole hours,
/// days, weeks or months, whichever gives about `count` ticks.
enum TimeTicks {
    static func ticks(from lo: Int64, to hi: Int64, count: Int = 6) -> [(Int64, String)] {
        let span = max(hi - lo, 1)
        let hour: Int64 = 3_600_000, day: Int64 = 86_400_000
        let steps: [Int64] = [hour, 2 * hour, 6 * hour, 12 * hour, day, 2 * day, 7 * day, 14 * day]
        if let step = steps.first(where: { span / $0 <= Int64(count) }) {
            var t = (lo + step - 1) / step * step
            if step == 7 * day || step == 14 * day {   // weeks start on Mondays (1970-01-01 was a Thursday)
                t = ((lo - 4 * day) + step - 1) / step * step + 4 * day
            }
            var out: [(Int64, String)] = []
            while t <= hi, out.count < 40 {
                out.append((t, label(t, withTime: step < day)))
                t += step
            }
            return out
        }
        // Months: first of each month, thinned to about `count`.
        var months: [Int64] = []
        var (y, m) = ReportFormat.yearMonth(lo)
        while true {
            let t = ReportFormat.monthStart(year: y, month: m)
            if t > hi { break }
            if t >= lo { months.append(t) }
            m += 1
            if m > 12 { m = 1; y += 1 }
        }
        let stride = max(1, (months.count + count - 1) / count)
        return months.enumerated().filter { $0.offset % stride == 0 }.map { ($0.element, label($0.element, withTime: false)) }
    }

    static func label(_ t: Int64, withTime: Bool) -> String {
        let iso = ReportFormat.iso(t)
        return withTime ? String(iso.dropFirst(5).prefix(11)).replacingOccurrences(of: "T", with: " ") : String(iso.prefix(10))
    }
}
