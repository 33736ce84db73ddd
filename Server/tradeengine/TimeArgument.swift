import ArgumentParser
import Foundation

/// A point in time on the command line: Unix milliseconds, or an ISO-8601 UTC
/// date ("2025-01-05") or date-time ("2025-01-05T12:30:00Z", "2025-01-05 12:30").
enum TimeArgument {
    static func parse(_ text: String) throws -> Int64 {
        if let ms = Int64(text) { return ms }
        var candidate = text.replacingOccurrences(of: " ", with: "T")
        if candidate.count == 10 { candidate += "T00:00:00Z" }
        if candidate.count == 16 { candidate += ":00Z" }
        if !candidate.hasSuffix("Z") && !candidate.contains("+") { candidate += "Z" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        guard let date = f.date(from: candidate) else {
            throw ValidationError("cannot read time '\(text)': give Unix milliseconds or a UTC date such as 2025-01-05 or 2025-01-05T12:30:00Z")
        }
        return Int64((date.timeIntervalSince1970 * 1000).rounded())
    }

    /// Unix milliseconds as an ISO-8601 UTC date-time, e.g. 2025-01-03T04:05:00Z.
    static func format(_ milliseconds: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: Date(timeIntervalSince1970: Double(milliseconds) / 1000))
    }
}
