import TradeCore

/// The checks every `TunableStrategy.adopt(parameterValues:)` makes before it
/// changes anything: the set is complete (exactly the names of `bounds`), every
/// value is finite, within its bounds, and whole where it must be.
enum ParameterCheck {
    static func validate(_ values: [String: Double], against bounds: [String: ParameterBounds],
                         strategy: String) throws(EngineError) {
        let unknown = values.keys.filter { bounds[$0] == nil }.sorted()
        if !unknown.isEmpty {
            throw EngineError("\(strategy): unknown parameter(s) \(list(unknown))")
        }
        let missing = bounds.keys.filter { values[$0] == nil }.sorted()
        if !missing.isEmpty {
            throw EngineError("\(strategy): missing parameter(s) \(list(missing)) (a parameter set is complete)")
        }
        for name in values.keys.sorted() {
            let v = values[name]!, b = bounds[name]!
            guard v.isFinite else { throw EngineError("\(name) must be a finite number, got \(v)") }
            guard v >= b.minimum && v <= b.maximum else {
                throw EngineError("\(name) must be in [\(b.minimum), \(b.maximum)], got \(v)")
            }
            if b.isInteger && v.rounded() != v { throw EngineError("\(name) must be a whole number, got \(v)") }
        }
    }

    private static func list(_ names: [String]) -> String {
        names.count <= 5 ? names.joined(separator: ", ")
                         : names.prefix(5).joined(separator: ", ") + " and \(names.count - 5) more"
    }
}
