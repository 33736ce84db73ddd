import Foundation

/// A point in time on the command line: Unix milliseconds, or an ISO-8601 UTC
/// date ("2025-01-05") or date-time ("2025-01-05T12:30:00Z", "2025-01-05 12:30").
public enum TimeText {
    public static func parse(_ text: String) -> Date? {
        if let ms = Int64(text) { return Date(timeIntervalSince1970: Double(ms) / 1000) }
        var candidate = text.replacingOccurrences(of: " ", with: "T")
        if candidate.count == 10 { candidate += "T00:00:00Z" }
        if candidate.count == 16 { candidate += ":00Z" }
        if !candidate.hasSuffix("Z") && !candidate.contains("+") { candidate += "Z" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.date(from: candidate)
    }
}
