import Foundation
import TradeCore
import TradeVenues

/// Locates `../shared` (read-only real data and reference values) beside the
/// package root. `TRADEENGINE_SHARED` overrides it.
public enum SharedData {
    public static let packageRoot: URL = {
        // Tests/TestSupport/SharedData.swift → package root
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    }()

    public static let root: URL = {
        if let env = ProcessInfo.processInfo.environment["TRADEENGINE_SHARED"], !env.isEmpty {
            return URL(fileURLWithPath: env)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    public static func data(_ name: String) -> String { root.appendingPathComponent("data/\(name)").path }
    public static func reference(_ name: String) -> String { root.appendingPathComponent("reference/\(name)").path }

    /// Text of a (possibly gzip-compressed) file.
    public static func text(_ path: String) throws -> String {
        String(decoding: try Gzip.readMaybeCompressed(path: path), as: UTF8.self)
    }

    /// Rows of a CSV file without its header, split on commas; for reference files.
    public static func csvRows(_ path: String) throws -> (header: [String], rows: [[Substring]]) {
        let text = try text(path)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        guard !lines.isEmpty else { return ([], []) }
        let header = lines.removeFirst().split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        return (header, lines.map { $0.split(separator: ",", omittingEmptySubsequences: false) })
    }

    /// Candles from a shared data file in our format (`ts,open,high,low,close,volume`).
    /// A minimal reader for tests that must not depend on the importer under test.
    public static func candles(_ name: String, limit: Int? = nil) throws -> [Candle] {
        let (_, rows) = try csvRows(data(name))
        let slice = limit.map { rows.prefix($0) } ?? rows[...]
        return slice.map { r in
            Candle(openTime: Int64(r[0])!, open: Double(r[1])!, high: Double(r[2])!,
                   low: Double(r[3])!, close: Double(r[4])!, volume: Double(r[5])!)
        }
    }
}

extension SharedData {
    /// Unix ms of a UTC date and hour (days-from-civil arithmetic, no calendar).
    public static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Int64 {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * ((month + 9) % 12) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        let days = era * 146_097 + dayOfEra - 719_468
        return Int64(days * 86_400 + hour * 3_600) * 1_000
    }
}
