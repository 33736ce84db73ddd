/// The entry families. Each has an explicit rule validator (`EntryRules`) and
/// a weighting of the indicator categories (`CategoryWeights`); each can be
/// switched on and off per model.
public enum SignalFamily: Int, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    /// A burst of volume with a fast move: follow it.
    case momentumBurst = 0
    /// Price stretched far from its mean (RSI, Bollinger, z-score): fade it.
    case meanReversion = 1
    /// Price resumes an aligned, strong trend (EMA alignment with ADX).
    case trendFollowing = 2
    /// The big-picture model's trade in the direction of its posture.
    case postureTrend = 3

    public var name: String {
        switch self {
        case .momentumBurst: return "momentum_burst"
        case .meanReversion: return "mean_reversion"
        case .trendFollowing: return "trend_following"
        case .postureTrend: return "posture_trend"
        }
    }

    public init?(name: String) {
        guard let f = SignalFamily.allCases.first(where: { $0.name == name }) else { return nil }
        self = f
    }

    public var description: String { name }
}

/// A set of families as a bit mask: tested on every bar, so no `Set` hashing.
public struct FamilySet: Sendable, Codable, Equatable {
    public private(set) var bits: UInt8

    public init(_ families: [SignalFamily] = []) {
        bits = 0
        for f in families { bits |= 1 << UInt8(f.rawValue) }
    }

    @inlinable public func contains(_ f: SignalFamily) -> Bool { bits & (1 << UInt8(f.rawValue)) != 0 }
    public mutating func insert(_ f: SignalFamily) { bits |= 1 << UInt8(f.rawValue) }
    public mutating func remove(_ f: SignalFamily) { bits &= ~(1 << UInt8(f.rawValue)) }
    public var families: [SignalFamily] { SignalFamily.allCases.filter(contains) }
}
