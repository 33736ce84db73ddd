import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore

/// Parameter versions live in the engine's database (`ParameterStore`: bounds,
/// ±20 % per step unless an admin forces it, immutable versions, rollback as
/// a new version). A running engine adopts a new version right away, between
/// two candles — its next bar — journaled as a `.parameterChange`, whole or
/// not at all.
extension EngineHost {
    public func setParameters(_ changes: [ParameterValue], comment: String, by caller: String, force: Bool) async throws(HostError) -> ParameterSetRecord {
        guard !changes.isEmpty else { throw .invalidArgument("give at least one parameter to change") }
        guard !comment.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw .invalidArgument("a comment is required: say why (it is kept with the version)")
        }
        var flat: [String: Double] = [:]
        for change in changes {
            let name = "\(change.model).\(change.name)"
            guard flat[name] == nil else { throw .invalidArgument("\(name) is given twice") }
            switch change.value {
            case .number(let x): flat[name] = x
            case .integer(let i): flat[name] = Double(i)
            case .flag(let b): flat[name] = b ? 1 : 0
            }
        }
        let version = try stored { try parameterStore.change(flat, by: ParameterAuthor(name: caller, role: .admin), reason: comment,
                                                            now: clock.nowMs, force: force) }
        log(.info, "parameters v\(version.version) by \(caller)\(force ? " (forced)" : ""): \(version.diff.map(\.description).joined(separator: ", "))")
        try adoptIntoRun(version)
        flushEvents()
        return record(version)
    }

    public func rollback(to version: Int64?, comment: String, by caller: String) async throws(HostError) -> ParameterSetRecord {
        let reason = comment.trimmingCharacters(in: .whitespaces).isEmpty ? "rollback by \(caller)" : comment
        let restored = try stored { try parameterStore.rollback(to: version, by: ParameterAuthor(name: caller, role: .admin),
                                                               reason: reason, now: clock.nowMs) }
        log(.warning, "parameters rolled back to v\(restored.rollbackOf ?? 0) as v\(restored.version) by \(caller)")
        try adoptIntoRun(restored)
        flushEvents()
        return record(restored)
    }

    public func parameters(version: Int64?) throws(HostError) -> ParameterSetRecord {
        if let version {
            guard let v = try stored({ try parameterStore.version(version) }) else {
                let last = (try? parameterStore.current())??.version ?? 0
                throw .notFound("there is no parameter version \(version); versions are 1…\(last)")
            }
            return record(v)
        }
        return record(try currentParameters())
    }

    public func parameterHistory() -> [ParameterSetRecord] {
        var out: [ParameterSetRecord] = []
        var before: Int64?
        while let page = try? parameterStore.versions(before: before, limit: HistoryQuery.maximumPageSize), !page.isEmpty {
            out += page.map { record($0) }
            before = page.last!.version
        }
        return out
    }

    func currentParameters() throws(HostError) -> ParameterVersion {
        guard let v = try stored({ try parameterStore.current() }) else {
            throw .unavailable("the database has no parameter version")
        }
        return v
    }

    /// The running engine switches to `version` at its next bar (journaled).
    private func adoptIntoRun(_ version: ParameterVersion) throws(HostError) {
        guard let run, isActive else { return }
        do {
            try run.hosted.adopt(version: version.version, values: version.parameters.values)
            log(.info, "run \(run.id) adopted parameters v\(version.version)")
        } catch {
            // Stored but not adopted: say so; the run keeps its version.
            throw .failedPrecondition("version \(version.version) is stored, but run \(run.id) could not adopt it and keeps v\(run.hosted.parameterVersion): \(error)")
        }
    }

    /// A store call; its refusal (guardrails, unknown version) becomes the matching host error.
    func stored<T>(_ body: () throws -> T) throws(HostError) -> T {
        do { return try body() } catch let error as TradeStoreError {
            switch error.kind {
            case .guardrail, .invalidArgument: throw .invalidArgument(error.description)
            case .notFound: throw .notFound(error.description)
            case .conflict: throw .failedPrecondition(error.description)
            default: throw .unavailable(error.description)
            }
        } catch {
            throw .unavailable("\(error)")
        }
    }

    /// A version as the API shows it: (model, name) = the name's first word and the rest.
    func record(_ v: ParameterVersion) -> ParameterSetRecord {
        func split(_ name: String) -> (String, String) {
            guard let dot = name.firstIndex(of: ".") else { return ("", name) }
            return (String(name[..<dot]), String(name[name.index(after: dot)...]))
        }
        let parameters = v.parameters.names.map { name -> ParameterValue in
            let (model, rest) = split(name)
            let x = v.parameters[name]!
            let whole = parameterStore.schema.specs[name]?.isInteger == true && abs(x) < 9e15
            return ParameterValue(model: model, name: rest, value: whole ? .integer(Int64(x)) : .number(x))
        }
        var record = ParameterSetRecord(version: v.version, parameters: parameters,
                                        createdAt: Date(timeIntervalSince1970: Double(v.createdAt) / 1000),
                                        createdBy: v.author.name, comment: v.reason, restoredFrom: v.rollbackOf ?? 0)
        record.forced = v.forced
        record.changes = v.diff.map { d in
            let (model, rest) = split(d.name)
            return ParameterChangeRecord(model: model, name: rest, from: d.from, to: d.to)
        }
        return record
    }
}
