/// The three trading models. The raw value is the model's index in every
/// per-model array; `rank` is its place in the veto hierarchy (higher wins a
/// conflict): big-picture over balanced over aggressive.
public enum ModelID: Int, CaseIterable, Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    case aggressive = 0, balanced = 1, bigPicture = 2

    /// Stable names, used on the command line, in config files, logs and reports.
    public var name: String {
        switch self {
        case .aggressive: return "aggressive"
        case .balanced: return "balanced"
        case .bigPicture: return "big-picture"
        }
    }

    public init?(name: String) {
        guard let m = ModelID.allCases.first(where: { $0.name == name }) else { return nil }
        self = m
    }

    public var rank: Int { rawValue }
    public var description: String { name }
    public static func < (a: ModelID, b: ModelID) -> Bool { a.rawValue < b.rawValue }
}

/// Which way a signal or a position points.
public enum Direction: Int8, Sendable, Codable, Hashable, CustomStringConvertible {
    case long = 1, short = -1

    @inlinable public var sign: Double { Double(rawValue) }
    public var opposite: Direction { self == .long ? .short : .long }
    public var name: String { self == .long ? "LONG" : "SHORT" }
    public var description: String { name }
    /// The order side that opens a position in this direction.
    public var entrySide: OrderSide { self == .long ? .buy : .sell }
}
