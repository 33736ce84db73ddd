/// The bar lengths the engine knows. 1m is the base feed; the others are built
/// from it by `CandleAggregator`, aligned to UTC (1d bars open at 00:00 UTC).
public enum Timeframe: Int, CaseIterable, Sendable, Codable, Comparable, Hashable, CustomStringConvertible {
    case m1, m5, m15, h1, h4, d1

    public static let minuteMs: Int64 = 60_000

    /// Length of one bar in milliseconds.
    @inlinable public var milliseconds: Int64 {
        switch self {
        case .m1: return 60_000
        case .m5: return 300_000
        case .m15: return 900_000
        case .h1: return 3_600_000
        case .h4: return 14_400_000
        case .d1: return 86_400_000
        }
    }

    public var name: String {
        switch self {
        case .m1: return "1m"
        case .m5: return "5m"
        case .m15: return "15m"
        case .h1: return "1h"
        case .h4: return "4h"
        case .d1: return "1d"
        }
    }

    public var description: String { name }

    /// Parses "1m", "5m", "15m", "1h", "4h", "1d".
    public init?(name: String) {
        guard let tf = Timeframe.allCases.first(where: { $0.name == name }) else { return nil }
        self = tf
    }

    /// Open time of the bar of this timeframe that contains `time` (Unix ms).
    @inlinable public func bucketStart(_ time: Int64) -> Int64 {
        let ms = milliseconds
        let r = time % ms
        return r >= 0 ? time - r : time - r - ms
    }

    public static func < (a: Timeframe, b: Timeframe) -> Bool { a.rawValue < b.rawValue }
}
