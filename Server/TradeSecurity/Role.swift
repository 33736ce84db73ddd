/// What a client certificate allows. Each role includes the ones below it, so
/// authorization is a single comparison: `callerRole >= requiredRole`.
public enum Role: Int, Sendable, Comparable, CaseIterable, CustomStringConvertible {
    /// Queries and streams.
    case viewer = 1
    /// Plus start/stop/pause/resume/halt/flatten/context.
    case `operator` = 2
    /// Plus parameters, rollback and certificate operations.
    case admin = 3

    public static func < (a: Role, b: Role) -> Bool { a.rawValue < b.rawValue }

    /// The name used in certificates (subject OU), files and on the command line.
    public var name: String {
        switch self {
        case .viewer: return "viewer"
        case .operator: return "operator"
        case .admin: return "admin"
        }
    }

    public var description: String { name }

    public init?(name: String) {
        guard let role = Role.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = role
    }

    /// The SAN URI that carries the role: `tradeengine://role/<name>`.
    public var uri: String { Self.uriPrefix + name }

    public static let uriPrefix = "tradeengine://role/"

    public init?(uri: String) {
        guard uri.hasPrefix(Self.uriPrefix) else { return nil }
        self.init(name: String(uri.dropFirst(Self.uriPrefix.count)))
    }
}
