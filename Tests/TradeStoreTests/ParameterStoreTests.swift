import Dispatch
import Foundation
import Testing
@testable import TradeStore

private let schema = ParameterSchema([
    "models.aggressive.daily_loss_limit": ParameterSpec(minimum: 0, maximum: 5_000),
    "models.aggressive.ema_fast": ParameterSpec(minimum: 2, maximum: 200, minimumStep: 1, isInteger: true),
    "models.balanced.confidence_floor": ParameterSpec(minimum: 0, maximum: 1, minimumStep: 0.05),
    "resolver.pile_up_limit": ParameterSpec(minimum: 1, maximum: 10, minimumStep: 1, isInteger: true),
    "risk.kelly_fraction": ParameterSpec(minimum: 0, maximum: 1),
    "risk.var_limit": ParameterSpec(minimum: 0, maximum: 0.2, minimumStep: 0.01),
    "exits.trailing_atr": ParameterSpec(minimum: 0.5, maximum: 10),
])

private let initial = ParameterSet([
    "models.aggressive.daily_loss_limit": 700, "models.aggressive.ema_fast": 12,
    "models.balanced.confidence_floor": 0.55, "resolver.pile_up_limit": 3, "risk.kelly_fraction": 0.25,
    "risk.var_limit": 0, "exits.trailing_atr": 2.5,
])

private let admin = ParameterAuthor(name: "CN=alice", role: .admin)
private let ops = ParameterAuthor(name: "CN=bob", role: .operator)
private let t0: Int64 = 1_735_689_600_000

/// A store with version 1 = `initial`.
private func seeded(schema s: ParameterSchema = schema) throws -> (TradeStore, ParameterStore) {
    let store = try makeStore()
    let parameters = store.parameters(schema: s)
    try parameters.createInitialVersion(initial, by: admin, reason: "launch values", now: t0)
    return (store, parameters)
}

/// The refusal's problems, or [] if `body` did not throw a guardrail error.
private func refusal(_ body: () throws -> Void) -> [String] {
    do { try body(); return [] } catch let error as TradeStoreError where error.kind == .guardrail {
        #expect(error.description.contains("nothing was stored"))
        return error.details
    } catch { Issue.record("unexpected \(error)"); return [] }
}

@Suite struct ParameterStoreTests {
    @Test func aChangeIsANewVersionWithAuthorTimeReasonAndDiff() throws {
        let (store, parameters) = try seeded()
        let v2 = try parameters.change(["models.aggressive.daily_loss_limit": 800, "exits.trailing_atr": 2.75],
                                       by: ops, reason: "volatility is up", now: t0 + 1)
        #expect(v2.version == 2 && v2.createdAt == t0 + 1 && v2.author == ops && v2.reason == "volatility is up")
        #expect(v2.diff == [ParameterDiff(name: "exits.trailing_atr", from: 2.5, to: 2.75),
                            ParameterDiff(name: "models.aggressive.daily_loss_limit", from: 700, to: 800)])
        #expect(v2.parameters["risk.kelly_fraction"] == 0.25 && v2.parameters.count == initial.count)
        #expect(try parameters.current() == v2)
        #expect(try parameters.version(1)?.parameters == initial)
        // Stored as canonical JSON: sorted names, whole numbers without a fraction.
        let text = try store.read { db in try String.fetchOne(db, sql: "SELECT parameters FROM parameter_versions WHERE version = 2") }
        #expect(text == #"{"exits.trailing_atr":2.75,"models.aggressive.daily_loss_limit":800,"models.aggressive.ema_fast":12,"models.balanced.confidence_floor":0.55,"resolver.pile_up_limit":3,"risk.kelly_fraction":0.25,"risk.var_limit":0}"#)
        #expect(try parameters.versions().map(\.version) == [2, 1])
        #expect(try parameters.versions(before: 2, limit: 1).map(\.version) == [1])
    }

    @Test func twentyPercentIsTheLimitPerStep() throws {
        let (_, parameters) = try seeded()
        try parameters.change(["models.aggressive.daily_loss_limit": 840], by: ops, reason: "+20%", now: t0 + 1)
        #expect(refusal { try parameters.change(["models.aggressive.daily_loss_limit": 1_009], by: ops, reason: "+20.1%", now: t0 + 2) }
                == ["models.aggressive.daily_loss_limit: 840 → 1009 is a 20.1% change; at most ±20% per step unless an admin forces it"])
        try parameters.change(["models.aggressive.daily_loss_limit": 672], by: ops, reason: "-20%", now: t0 + 3)
        #expect(try parameters.current()?.parameters["models.aggressive.daily_loss_limit"] == 672)
        // The minimum step lets small values move: 3 → 4 is 33 %, one step of 1 is allowed; 3 → 5 is not.
        try parameters.change(["resolver.pile_up_limit": 4], by: ops, reason: "one more", now: t0 + 4)
        #expect(refusal { try parameters.change(["resolver.pile_up_limit": 6], by: ops, reason: "two more", now: t0 + 5) }.count == 1)
        // A value of 0 can move by its minimum step.
        try parameters.change(["risk.var_limit": 0.01], by: ops, reason: "start a VaR limit", now: t0 + 6)
        #expect(refusal { try parameters.change(["risk.var_limit": 0.05], by: ops, reason: "too far", now: t0 + 7) }.count == 1)
    }

    @Test func onlyAnAdminMayForceAndBoundsHoldEvenThen() throws {
        let (_, parameters) = try seeded()
        let big = ["models.aggressive.daily_loss_limit": 2_000.0]
        #expect(refusal { try parameters.change(big, by: ops, reason: "x3", now: t0 + 1, force: true) }
                == ["only an admin may force a change past the step limit (CN=bob is operator)"])
        let forced = try parameters.change(big, by: admin, reason: "new capital", now: t0 + 2, force: true)
        #expect(forced.forced && forced.version == 2)
        #expect(refusal { try parameters.change(["models.aggressive.daily_loss_limit": 9_000], by: admin, reason: "x4.5",
                                                now: t0 + 3, force: true) }
                == ["models.aggressive.daily_loss_limit = 9000 is above its maximum 5000"])
    }

    @Test func aChangeIsAllOrNothingAndListsEveryProblem() throws {
        let (_, parameters) = try seeded()
        let problems = refusal {
            try parameters.change(["models.aggressive.daily_loss_limit": 750,       // fine on its own
                                   "models.agressive.daily_loss_limit": 750,        // misspelt
                                   "models.aggressive.ema_fast": 12.5,              // not whole
                                   "risk.kelly_fraction": -0.1,                     // below 0, and a step too far
                                   "exits.trailing_atr": .nan],
                                  by: ops, reason: " ", now: t0 + 1)
        }
        #expect(Set(problems) == [
            "a reason is required",
            "exits.trailing_atr = nan is not a finite number",
            "models.aggressive.ema_fast = 12.5 must be a whole number",
            "unknown parameter 'models.agressive.daily_loss_limit'",
            "risk.kelly_fraction = -0.1 is below its minimum 0",
            "risk.kelly_fraction: 0.25 → -0.1 is a 140% change; at most ±20% per step unless an admin forces it",
        ])
        #expect(try parameters.current()?.version == 1)
        #expect(refusal { try parameters.change(["risk.kelly_fraction": 0.25], by: ops, reason: "same", now: t0 + 2) }
                == ["the change sets every value to what version 1 already has: nothing to store"])
    }

    @Test func theInitialVersionMustBeCompleteAndOnlyOnce() throws {
        let store = try makeStore()
        let parameters = store.parameters(schema: schema)
        var partial = initial
        partial["risk.var_limit"] = nil
        partial["exits.trailing_atr"] = 20
        #expect(Set(refusal { try parameters.createInitialVersion(partial, by: admin, reason: "launch", now: t0) }) == [
            "exits.trailing_atr = 20 is above its maximum 10", "risk.var_limit is missing from the set"])
        #expect { try parameters.change(["risk.var_limit": 0], by: admin, reason: "x", now: t0) }
            throws: { ($0 as? TradeStoreError)?.kind == .conflict }
        try parameters.createInitialVersion(initial, by: admin, reason: "launch", now: t0)
        #expect { try parameters.createInitialVersion(initial, by: admin, reason: "again", now: t0) }
            throws: { ($0 as? TradeStoreError)?.kind == .conflict }
    }

    @Test func basedOnMakesAChangeCompareAndSet() throws {
        let (_, parameters) = try seeded()
        try parameters.change(["risk.kelly_fraction": 0.2], by: ops, reason: "a", now: t0 + 1, basedOn: 1)
        #expect { try parameters.change(["risk.kelly_fraction": 0.3], by: ops, reason: "b", now: t0 + 2, basedOn: 1) }
            throws: { error in
                let e = error as? TradeStoreError
                return e?.kind == .conflict && e?.description.contains("current version is 2") == true
            }
    }

    @Test func rollbackRestoresAnEarlierVersionAsANewOne() throws {
        let (_, parameters) = try seeded()
        try parameters.change(["risk.kelly_fraction": 0.3], by: ops, reason: "more size", now: t0 + 1)
        try parameters.change(["models.aggressive.daily_loss_limit": 4_000], by: admin, reason: "bad idea", now: t0 + 2, force: true)
        // Default: the version before the current one. The step limit does not apply.
        let v4 = try parameters.rollback(by: admin, reason: "losses", now: t0 + 3)
        #expect(v4.version == 4 && v4.rollbackOf == 2 && !v4.forced)
        #expect(v4.parameters == (try parameters.version(2))!.parameters)
        #expect(v4.diff == [ParameterDiff(name: "models.aggressive.daily_loss_limit", from: 4_000, to: 700)])
        let v5 = try parameters.rollback(to: 1, by: admin, reason: "back to launch", now: t0 + 4)
        #expect(v5.parameters == initial && v5.rollbackOf == 1)
        for target in [5, 6, 0] as [Int64] {
            #expect { try parameters.rollback(to: target, by: admin, reason: "x", now: t0 + 5) }
                throws: { ($0 as? TradeStoreError)?.kind == .notFound }
        }
        // Version 1 has the same values as version 5 now.
        #expect(refusal { try parameters.rollback(to: 1, by: admin, reason: "again", now: t0 + 6) }.count == 1)
        #expect(try parameters.versions().map(\.version) == [5, 4, 3, 2, 1])
    }

    @Test func rollbackWithNothingBeforeIsRefused() throws {
        let (_, parameters) = try seeded()
        #expect { try parameters.rollback(by: admin, reason: "x", now: t0) } throws: { error in
            (error as? TradeStoreError)?.description.contains("no earlier version to roll back to") == true
        }
    }

    @Test func aNewerSchemaIsHonouredByChangesAndRollbacks() throws {
        let (store, old) = try seeded()
        try old.change(["exits.trailing_atr": 3], by: ops, reason: "wider", now: t0 + 1)
        var specs = schema.specs
        specs["exits.trailing_atr"] = ParameterSpec(minimum: 2.8, maximum: 10)
        specs["exits.time_stop_bars"] = ParameterSpec(minimum: 1, maximum: 1_000, isInteger: true)
        let parameters = store.parameters(schema: ParameterSchema(specs))
        #expect(refusal { try parameters.change(["risk.kelly_fraction": 0.26], by: ops, reason: "x", now: t0 + 2) }
                == ["exits.time_stop_bars is new in this build and not in version 2: give its value"])
        let v3 = try parameters.change(["exits.time_stop_bars": 240], by: ops, reason: "add time stop", now: t0 + 3)
        #expect(v3.diff == [ParameterDiff(name: "exits.time_stop_bars", from: nil, to: 240)])
        // Version 1 breaks the new bounds and lacks the new name.
        #expect(Set(refusal { try parameters.rollback(to: 1, by: admin, reason: "x", now: t0 + 4) }) == [
            "version 1: exits.trailing_atr = 2.5 is below its minimum 2.8",
            "version 1 lacks exits.time_stop_bars, which this build needs"])
    }

    @Test func versionsAreImmutable() throws {
        let (store, _) = try seeded()
        #expect(throws: TradeStoreError.self) { try store.write { db in try db.execute(sql: "UPDATE parameter_versions SET reason = 'x'") } }
        #expect(throws: TradeStoreError.self) { try store.write { db in try db.execute(sql: "DELETE FROM parameter_versions") } }
    }

    /// Two connections (as two processes would have) change parameters at once:
    /// the version sequence has no holes or duplicates, and each version's diff
    /// starts from the value of the version really before it.
    @Test func concurrentWritersKeepTheVersionSequenceIntact() throws {
        let path = try TempFolder().file("params.sqlite")
        let first = try TradeStore(path: path)
        try first.parameters(schema: schema).createInitialVersion(initial, by: admin, reason: "launch", now: t0)
        let stores = [first, try TradeStore(path: path)]
        let perWriter = 25
        let failures = Failures()
        DispatchQueue.concurrentPerform(iterations: 2) { writer in
            let parameters = stores[writer].parameters(schema: schema)
            for i in 0..<perWriter {
                do {
                    let current = try parameters.current()!.parameters["models.aggressive.daily_loss_limit"]!
                    let step = writer == 0 ? 1.0 : -1.0
                    try parameters.change(["models.aggressive.daily_loss_limit": current + step],
                                          by: ParameterAuthor(name: "writer-\(writer)", role: .operator),
                                          reason: "step \(i)", now: t0 + Int64(i))
                } catch {
                    failures.add("\(error)")
                }
            }
        }
        #expect(failures.all.isEmpty)
        let versions = try first.parameters(schema: schema).versions(limit: 1_000).reversed()
        #expect(versions.map(\.version) == Array(1...Int64(1 + 2 * perWriter)))
        for (before, after) in zip(versions, versions.dropFirst()) {
            let name = "models.aggressive.daily_loss_limit"
            #expect(after.diff.first?.from == before.parameters[name])
            #expect(after.diff.first?.to == after.parameters[name])
        }
        #expect(try first.integrityProblems().isEmpty)
    }

    @Test func concurrentChangesBasedOnOneVersionLetExactlyOneWin() throws {
        let path = try TempFolder().file("cas.sqlite")
        let first = try TradeStore(path: path)
        try first.parameters(schema: schema).createInitialVersion(initial, by: admin, reason: "launch", now: t0)
        let stores = [first, try TradeStore(path: path), try TradeStore(path: path), try TradeStore(path: path)]
        let outcomes = Failures()
        DispatchQueue.concurrentPerform(iterations: stores.count) { i in
            do {
                try stores[i].parameters(schema: schema).change(["risk.kelly_fraction": 0.25 + 0.01 * Double(i + 1)],
                                                                 by: ops, reason: "writer \(i)", now: t0, basedOn: 1)
                outcomes.add("ok")
            } catch {
                outcomes.add((error as? TradeStoreError)?.kind == .conflict ? "conflict" : "\(error)")
            }
        }
        #expect(outcomes.all.sorted() == ["conflict", "conflict", "conflict", "ok"])
        #expect(try first.parameters(schema: schema).current()?.version == 2)
    }
}

@Suite struct ParameterSetTests {
    @Test func canonicalJSONRoundTripsExactly() throws {
        let set = ParameterSet(["b": 0.1, "a.x": 700, "c": -3, "d": 1e-05, "e": 1e300, "f": 0.30000000000000004, "g": -0.0])
        #expect(set.canonicalJSON == #"{"a.x":700,"b":0.1,"c":-3,"d":1e-05,"e":1e+300,"f":0.30000000000000004,"g":0}"#)
        let back = try ParameterSet(json: set.canonicalJSON)
        #expect(back.canonicalJSON == set.canonicalJSON)
        for name in set.names where name != "g" { #expect(back[name]!.bitPattern == set[name]!.bitPattern) }
        #expect(throws: TradeStoreError.self) { try ParameterSet(json: #"{"a": "x"}"#) }
    }

    @Test func namesAreDottedLowerSnakeCase() {
        #expect(ParameterSchema.isValidName("models.aggressive.daily_loss_limit"))
        for bad in ["", "Models.x", "a..b", "a.", "a-b", "a b"] { #expect(!ParameterSchema.isValidName(bad)) }
    }
}

/// Collects strings from concurrent closures.
final class Failures: @unchecked Sendable {
    private let lock = NSLock()
    private var items: [String] = []
    func add(_ s: String) { lock.lock(); items.append(s); lock.unlock() }
    var all: [String] { lock.lock(); defer { lock.unlock() }; return items }
}
