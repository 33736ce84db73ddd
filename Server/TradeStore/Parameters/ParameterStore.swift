import GRDB

extension TradeStore {
    /// Versioned parameter sets, checked against `schema`.
    public func parameters(schema: ParameterSchema) -> ParameterStore { ParameterStore(store: self, schema: schema) }
}

/// Versioned parameters with guardrails and rollback.
///
/// Every change creates a new immutable version holding the *full* set, its
/// author, time, reason and diff. A change is all-or-nothing: it is checked as a
/// whole and, if any rule fails, refused with every problem listed and nothing
/// stored. The rules:
/// - every name is known to the schema, and the result holds exactly the schema's names;
/// - every value is finite, within its bounds, and whole where the spec says so;
/// - no value moves more than ±20 % of its current value (or the spec's minimum
///   step) unless an admin sets `force`;
/// - a reason is given, and something actually changes.
///
/// Versions are numbered inside one IMMEDIATE transaction, so concurrent writers
/// (threads or processes) queue and each sees the other's result: the sequence
/// has no holes and no duplicates, and each diff is against the version really
/// before it. `basedOn` turns a change into compare-and-set for callers that
/// showed a user one version and must not overwrite a newer one.
///
/// The engine adopts a new version at a well-defined point (the next bar): it
/// reads `current()` there, journals `.parameterChange(version:)` and switches
/// as a whole — never half a set.
public struct ParameterStore: Sendable {
    let store: TradeStore
    public let schema: ParameterSchema

    /// The newest version, or nil before the first.
    public func current() throws(TradeStoreError) -> ParameterVersion? {
        try store.read { db in try Self.latest(db) }
    }

    public func version(_ number: Int64) throws(TradeStoreError) -> ParameterVersion? {
        try store.read { db in
            try Row.fetchOne(db, sql: "SELECT * FROM parameter_versions WHERE version = ?", arguments: [number]).map(Self.decode)
        }
    }

    /// Up to `limit` versions, newest first, older than `before` when given.
    public func versions(before: Int64? = nil, limit: Int = 100) throws(TradeStoreError) -> [ParameterVersion] {
        guard (1...HistoryQuery.maximumPageSize).contains(limit) else {
            throw .invalid("limit must be between 1 and \(HistoryQuery.maximumPageSize), got \(limit)")
        }
        return try store.read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM parameter_versions WHERE version < ? ORDER BY version DESC LIMIT ?",
                             arguments: [before ?? Int64.max, limit]).map(Self.decode)
        }
    }

    /// Stores version 1: the complete set, checked against bounds (there is no
    /// previous value to limit steps). Refused if any version exists.
    @discardableResult
    public func createInitialVersion(_ parameters: ParameterSet, by author: ParameterAuthor, reason: String,
                                     now: Int64) throws(TradeStoreError) -> ParameterVersion {
        try store.write { db in
            if let existing = try Self.latest(db) {
                throw TradeStoreError(.conflict, "parameters already have version \(existing.version); change them instead")
            }
            var problems = Self.authorProblems(author, reason)
            problems += parameters.names.flatMap { schema.problems(name: $0, value: parameters[$0]!) }
            problems += schema.specs.keys.sorted().filter { parameters[$0] == nil }.map { "\($0) is missing from the set" }
            try Self.refuseIfAny(problems)
            return try Self.insert(ParameterVersion(version: 1, createdAt: now, author: author, reason: reason,
                                                    parameters: parameters, diff: [], rollbackOf: nil, forced: false), db)
        }
    }

    /// Applies `changes` (name → new value) on top of the current version as a new
    /// version. Names of the schema that the current version lacks (added by a
    /// newer build) must be given here; names it has that the schema no longer
    /// knows are dropped, and the diff says so.
    ///
    /// - Parameters:
    ///   - force: lifts the ±20 % step limit; only for `.admin` authors. Bounds always hold.
    ///   - basedOn: if set, the change is refused (`.conflict`) unless it is still the current version.
    @discardableResult
    public func change(_ changes: [String: Double], by author: ParameterAuthor, reason: String, now: Int64,
                       force: Bool = false, basedOn: Int64? = nil) throws(TradeStoreError) -> ParameterVersion {
        try store.write { db in
            guard let current = try Self.latest(db) else {
                throw TradeStoreError(.conflict, "there are no parameters yet: create the initial version first")
            }
            if let basedOn, basedOn != current.version {
                throw TradeStoreError(.conflict, "this change was based on version \(basedOn), but the current version is "
                    + "\(current.version) (by \(current.author.name): \(current.reason)); review it and retry")
            }
            var problems = Self.authorProblems(author, reason)
            if force && author.role != .admin {
                problems.append("only an admin may force a change past the step limit (\(author.name) is \(author.role.rawValue))")
            }
            var next = ParameterSet()
            for name in schema.specs.keys {
                if let value = changes[name] ?? current.parameters[name] { next[name] = value }
                else { problems.append("\(name) is new in this build and not in version \(current.version): give its value") }
            }
            for name in changes.keys.sorted() {
                let value = changes[name]!
                problems += schema.problems(name: name, value: value)
                if !force, let old = current.parameters[name], schema.specs[name] != nil, value.isFinite,
                   let step = schema.stepProblem(name: name, from: old, to: value) {
                    problems.append(step)
                }
            }
            let diff = ParameterDiff.between(current.parameters, next)
            if problems.isEmpty && diff.isEmpty {
                problems.append("the change sets every value to what version \(current.version) already has: nothing to store")
            }
            try Self.refuseIfAny(problems)
            return try Self.insert(ParameterVersion(version: current.version + 1, createdAt: now, author: author,
                                                    reason: reason, parameters: next, diff: diff, rollbackOf: nil,
                                                    forced: force), db)
        }
    }

    /// Restores version `target` (default: the one before the current) as a new
    /// version that records `rollbackOf`. The step limit does not apply — the
    /// target was accepted once — but the target must still satisfy this build's
    /// schema (names and bounds), or the rollback is refused.
    @discardableResult
    public func rollback(to target: Int64? = nil, by author: ParameterAuthor, reason: String,
                         now: Int64) throws(TradeStoreError) -> ParameterVersion {
        try store.write { db in
            guard let current = try Self.latest(db) else {
                throw TradeStoreError(.conflict, "there are no parameters yet: nothing to roll back")
            }
            let number = target ?? current.version - 1
            guard number >= 1, number < current.version else {
                throw TradeStoreError(.notFound, current.version == 1
                    ? "there is only version 1 (the active one): no earlier version to roll back to"
                    : "cannot roll back to version \(number): choose one of 1…\(current.version - 1)")
            }
            let old = try Row.fetchOne(db, sql: "SELECT * FROM parameter_versions WHERE version = ?", arguments: [number])
                .map(Self.decode)!
            var problems = Self.authorProblems(author, reason)
            problems += old.parameters.names.flatMap { schema.problems(name: $0, value: old.parameters[$0]!) }
                .map { "version \(number): \($0)" }
            problems += schema.specs.keys.sorted().filter { old.parameters[$0] == nil }
                .map { "version \(number) lacks \($0), which this build needs" }
            let diff = ParameterDiff.between(current.parameters, old.parameters)
            if problems.isEmpty && diff.isEmpty {
                problems.append("version \(number) has the same values as the current version \(current.version): nothing to roll back")
            }
            try Self.refuseIfAny(problems, rollback: true)
            return try Self.insert(ParameterVersion(version: current.version + 1, createdAt: now, author: author,
                                                    reason: reason, parameters: old.parameters, diff: diff,
                                                    rollbackOf: number, forced: false), db)
        }
    }

    // MARK: - Internals

    private static func authorProblems(_ author: ParameterAuthor, _ reason: String) -> [String] {
        var problems: [String] = []
        if author.name.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("the author's name is empty") }
        if reason.trimmingCharacters(in: .whitespaces).isEmpty { problems.append("a reason is required") }
        return problems
    }

    private static func refuseIfAny(_ problems: [String], rollback: Bool = false) throws(TradeStoreError) {
        guard !problems.isEmpty else { return }
        throw TradeStoreError(.guardrail, "parameter \(rollback ? "rollback" : "change") refused, nothing was stored: "
            + problems.joined(separator: "; "), details: problems)
    }

    private static func latest(_ db: Database) throws -> ParameterVersion? {
        try Row.fetchOne(db, sql: "SELECT * FROM parameter_versions ORDER BY version DESC LIMIT 1").map(decode)
    }

    private static func insert(_ v: ParameterVersion, _ db: Database) throws -> ParameterVersion {
        try db.execute(sql: """
            INSERT INTO parameter_versions (version, created_at, author, role, reason, parameters, diff, rollback_of, forced)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [v.version, v.createdAt, v.author.name, v.author.role.rawValue, v.reason,
                             v.parameters.canonicalJSON, ParameterDiff.json(v.diff), v.rollbackOf, v.forced])
        return v
    }

    private static func decode(_ row: Row) throws -> ParameterVersion {
        let role: String = row["role"]
        return ParameterVersion(
            version: row["version"], createdAt: row["created_at"],
            author: ParameterAuthor(name: row["author"], role: try Codes.decode(ParameterRole.self, role)),
            reason: row["reason"], parameters: try ParameterSet(json: row["parameters"]),
            diff: try ParameterDiff.parse(row["diff"]), rollbackOf: row["rollback_of"], forced: row["forced"])
    }
}
