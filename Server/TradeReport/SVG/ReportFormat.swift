import Foundation

/// How numbers and times read in the report. Fixed formats (no locale), so a
/// report's bytes depend only on its inputs.
enum ReportFormat {
    /// "2025-01-05T12:34:56Z", from the calendar arithmetic below rather than a
    /// date formatter per call (the report writes one for every trade marker).
    static func iso(_ ms: Int64) -> String {
        let day = floorDiv(ms, 86_400_000)
        let c = civil(day: Int(day))
        let seconds = (ms - day * 86_400_000) / 1000
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02dZ", c.year, c.month, c.day,
                      Int(seconds / 3600), Int(seconds / 60 % 60), Int(seconds % 60))
    }

    static func minute(_ ms: Int64) -> String { String(iso(ms).prefix(16)).replacingOccurrences(of: "T", with: " ") }

    static func yearMonth(_ ms: Int64) -> (Int, Int) {
        let c = civil(day: Int(floorDiv(ms, 86_400_000)))
        return (c.year, c.month)
    }

    /// The calendar date of a day number (days since 1970-01-01), without a
    /// formatter: cheap enough for every step of a long equity curve
    /// (Howard Hinnant's civil_from_days).
    static func civil(day: Int) -> (year: Int, month: Int, day: Int) {
        let z = day + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func floorDiv(_ a: Int64, _ b: Int64) -> Int64 {
        let q = a / b
        return (a % b != 0 && (a < 0) != (b < 0)) ? q - 1 : q
    }

    /// Unix ms of 00:00 UTC on the first of a month.
    static func monthStart(year: Int, month: Int) -> Int64 {
        // Days from 1970-01-01 to year-month-01 (civil calendar, Howard Hinnant's algorithm).
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return Int64(era * 146_097 + doe - 719_468) * 86_400_000
    }

    /// 12,345.67 — money in USDT, two decimals, thousands grouped.
    static func money(_ x: Double, signed: Bool = false) -> String {
        guard x.isFinite else { return "–" }
        let s = String(format: "%.2f", abs(x))
        let parts = s.split(separator: ".")
        var whole = String(parts[0])
        var grouped = ""
        while whole.count > 3 {
            grouped = "," + whole.suffix(3) + grouped
            whole.removeLast(3)
        }
        let sign = x < 0 && s != "0.00" ? "−" : (signed && x > 0 ? "+" : "")
        return sign + whole + grouped + "." + parts[1]
    }

    /// A fraction as a percentage: 0.0123 → 1.23 %.
    static func percent(_ x: Double?, digits: Int = 2, signed: Bool = false) -> String {
        guard let x, x.isFinite else { return "–" }
        let s = String(format: "%.\(digits)f", abs(x * 100))
        let sign = x < 0 && Double(s) != 0 ? "−" : (signed && x > 0 ? "+" : "")
        return sign + s + " %"
    }

    static func number(_ x: Double?, digits: Int = 2) -> String {
        guard let x, x.isFinite else { return "–" }
        let s = String(format: "%.\(digits)f", abs(x))
        return (x < 0 && Double(s) != 0 ? "−" : "") + s
    }

    /// A parameter value as it was written: 16, 0.45, 1e-05.
    static func value(_ x: Double) -> String {
        guard x.isFinite else { return "–" }
        return x == x.rounded() && abs(x) < 1e15 ? String(Int64(x)) : String(format: "%g", x)
    }

    /// A tick label: short, with as many decimals as the step needs.
    static func tick(_ x: Double, step: Double) -> String {
        let digits = step >= 1 ? 0 : min(6, Int((-log10(step)).rounded(.up)))
        if abs(x) >= 10_000, step >= 1 { return money(x).replacingOccurrences(of: ".00", with: "") }
        return number(x, digits: digits)
    }
}
