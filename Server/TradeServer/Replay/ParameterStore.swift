import Foundation

/// Versioned model parameters. Every change — a set or a rollback — appends a
/// new version, so the history is complete and a rollback is itself undoable.
/// A run uses the version that was active when it started.
struct ParameterStore {
    private(set) var versions: [ParameterSetRecord]
    let models: [ModelDefinition]

    init(models: [ModelDefinition], now: Date) {
        self.models = models
        versions = [ParameterSetRecord(version: 1, parameters: models.flatMap(\.defaultValues), createdAt: now,
                                       createdBy: "tradeengine", comment: "defaults", restoredFrom: 0)]
    }

    var active: ParameterSetRecord { versions[versions.count - 1] }

    func version(_ v: Int64) -> ParameterSetRecord? {
        guard v >= 1 && v <= Int64(versions.count) else { return nil }
        return versions[Int(v - 1)]
    }

    /// Values of one model in the active set, by name.
    func values(model: String, in set: ParameterSetRecord? = nil) -> [String: ParameterValue.Value] {
        var out: [String: ParameterValue.Value] = [:]
        for p in (set ?? active).parameters where p.model == model { out[p.name] = p.value }
        return out
    }

    mutating func set(_ changes: [ParameterValue], comment: String, by caller: String, now: Date) throws(HostError) -> ParameterSetRecord {
        guard !changes.isEmpty else { throw .invalidArgument("give at least one parameter to change") }
        var parameters = active.parameters
        var seen = Set<String>()
        for change in changes {
            guard let model = models.first(where: { $0.name == change.model }) else {
                throw .invalidArgument("unknown model '\(change.model)'; models: \(models.map(\.name).joined(separator: ", "))")
            }
            guard let spec = model.parameters.first(where: { $0.name == change.name }) else {
                throw .invalidArgument("\(change.model) has no parameter '\(change.name)'; it has: \(model.parameters.map(\.name).joined(separator: ", "))")
            }
            guard seen.insert("\(change.model).\(change.name)").inserted else {
                throw .invalidArgument("\(change.model).\(change.name) is given twice")
            }
            var value = change.value
            // A whole number given for a decimal parameter ("notional=2000") means that number.
            if case .number = spec.defaultValue, case .integer(let n) = value { value = .number(Double(n)) }
            if let why = spec.check(value) { throw .invalidArgument("\(change.model).\(change.name) \(why)") }
            let i = parameters.firstIndex { $0.model == change.model && $0.name == change.name }!
            parameters[i].value = value
        }
        let record = ParameterSetRecord(version: Int64(versions.count + 1), parameters: parameters, createdAt: now,
                                        createdBy: caller, comment: comment, restoredFrom: 0)
        versions.append(record)
        return record
    }

    mutating func rollback(to version: Int64, comment: String, by caller: String, now: Date) throws(HostError) -> ParameterSetRecord {
        guard let target = self.version(version) else {
            throw .notFound("there is no parameter version \(version); versions are 1…\(versions.count)")
        }
        guard version < active.version else {
            throw .failedPrecondition("version \(version) is the active one; roll back to an earlier version (1…\(active.version - 1))")
        }
        let record = ParameterSetRecord(version: Int64(versions.count + 1), parameters: target.parameters, createdAt: now,
                                        createdBy: caller, comment: comment, restoredFrom: version)
        versions.append(record)
        return record
    }
}
