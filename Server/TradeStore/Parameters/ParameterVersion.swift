/// Who changes parameters. Only an admin may force a change past the step limit.
public enum ParameterRole: String, Sendable, Hashable, CaseIterable {
    case viewer, `operator`, admin
    /// The engine itself (the evolver's guarded changes).
    case system
}

public struct ParameterAuthor: Sendable, Hashable {
    /// The caller's identity (certificate subject, or "evolver").
    public var name: String
    public var role: ParameterRole

    public init(name: String, role: ParameterRole) {
        self.name = name
        self.role = role
    }
}

/// One immutable version of the full parameter set.
public struct ParameterVersion: Sendable, Hashable {
    /// 1, 2, 3, … without holes.
    public var version: Int64
    /// Unix ms, as given by the caller (the store reads no clock).
    public var createdAt: Int64
    public var author: ParameterAuthor
    public var reason: String
    public var parameters: ParameterSet
    /// What changed from the previous version (empty for the first).
    public var diff: [ParameterDiff]
    /// Set when this version restores an earlier one: that version's number.
    public var rollbackOf: Int64?
    /// True when an admin forced it past the step limit.
    public var forced: Bool
}
