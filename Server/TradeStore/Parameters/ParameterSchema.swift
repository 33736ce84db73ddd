/// What each parameter may be: its bounds, whether it is whole, and the
/// smallest step always allowed.
public struct ParameterSpec: Sendable, Hashable {
    public var minimum: Double
    public var maximum: Double
    /// A change of at most this much is allowed even where ±20 % is less (a
    /// period of 3 may become 4; a value of 0 may move at all).
    public var minimumStep: Double
    /// Periods, counts, bar numbers: values must be whole.
    public var isInteger: Bool

    public init(minimum: Double, maximum: Double, minimumStep: Double = 0, isInteger: Bool = false) {
        precondition(minimum.isFinite && maximum.isFinite && minimum <= maximum, "bounds must be finite and ordered")
        precondition(minimumStep >= 0, "minimumStep must be ≥ 0")
        self.minimum = minimum
        self.maximum = maximum
        self.minimumStep = minimumStep
        self.isInteger = isInteger
    }
}

/// Every parameter the engine knows, with its spec: the guardrails a change is
/// checked against. It belongs to the build (code defines which parameters
/// exist), so the store takes it as an argument rather than storing it.
public struct ParameterSchema: Sendable {
    public let specs: [String: ParameterSpec]
    /// The largest relative change per version without an admin's force: 20 %.
    public let maximumStepFraction: Double

    public init(_ specs: [String: ParameterSpec], maximumStepFraction: Double = 0.2) {
        for name in specs.keys { precondition(Self.isValidName(name), "parameter name '\(name)' is not dotted lower_snake_case") }
        self.specs = specs
        self.maximumStepFraction = maximumStepFraction
    }

    /// `models.aggressive.daily_loss_limit`: lower-case words of letters, digits and `_`, joined by dots.
    public static func isValidName(_ name: String) -> Bool {
        let words = name.split(separator: ".", omittingEmptySubsequences: false)
        return !words.isEmpty && words.allSatisfy { word in
            !word.isEmpty && word.allSatisfy { $0 == "_" || ("a"..."z").contains($0) || ("0"..."9").contains($0) }
        }
    }

    /// The problems of a value for `name` on its own (unknown name, bounds, wholeness).
    func problems(name: String, value: Double) -> [String] {
        guard let spec = specs[name] else {
            return ["unknown parameter '\(name)'" + (Self.isValidName(name) ? "" : " (names are dotted lower_snake_case)")]
        }
        let shown = ParameterSet.canonicalNumber(value)
        guard value.isFinite else { return ["\(name) = \(shown) is not a finite number"] }
        var problems: [String] = []
        if value < spec.minimum { problems.append("\(name) = \(shown) is below its minimum \(ParameterSet.canonicalNumber(spec.minimum))") }
        if value > spec.maximum { problems.append("\(name) = \(shown) is above its maximum \(ParameterSet.canonicalNumber(spec.maximum))") }
        if spec.isInteger, value != value.rounded() { problems.append("\(name) = \(shown) must be a whole number") }
        return problems
    }

    /// The step problem of moving `name` from `old` to `new`, if the move is larger
    /// than ±`maximumStepFraction` of `old` and than the spec's minimum step.
    func stepProblem(name: String, from old: Double, to new: Double) -> String? {
        let change = abs(new - old)
        let allowed = max(abs(old) * maximumStepFraction, specs[name]?.minimumStep ?? 0)
        // A hair of tolerance so exactly ±20 % of a value like 0.35 is not refused by rounding.
        guard change > allowed * (1 + 1e-12) else { return nil }
        let percent = old == 0 ? "a change from 0" : "a \(Self.percent(change / abs(old))) change"
        return "\(name): \(ParameterSet.canonicalNumber(old)) → \(ParameterSet.canonicalNumber(new)) is \(percent); "
            + "at most ±\(Self.percent(maximumStepFraction)) per step unless an admin forces it"
    }

    private static func percent(_ fraction: Double) -> String {
        let p = (fraction * 1000).rounded() / 10
        return (p == p.rounded() ? String(Int(p)) : String(p)) + "%"
    }
}
