import Foundation

/// The full parameter set of the engine (every model, the resolver, risk,
/// exits) as a flat map of dotted names to numbers, e.g.
/// `"models.aggressive.daily_loss_limit": 700`.
///
/// Flat on purpose: a diff, a bound and a step limit are all per name, and a
/// canonical text form is trivial — keys sorted, numbers in one spelling — so
/// equal sets are equal bytes and versions can be compared by eye or by tool.
public struct ParameterSet: Sendable, Hashable, CustomStringConvertible {
    public private(set) var values: [String: Double]

    public init(_ values: [String: Double] = [:]) { self.values = values }

    public subscript(name: String) -> Double? {
        get { values[name] }
        set { values[name] = newValue }
    }

    /// Names in canonical (sorted) order.
    public var names: [String] { values.keys.sorted() }

    public var count: Int { values.count }

    /// `{"a.b":700,"a.c":0.25}`: keys sorted, no spaces, numbers as `canonicalNumber` spells them.
    public var canonicalJSON: String {
        "{" + names.map { "\(Self.quote($0)):\(Self.canonicalNumber(values[$0]!))" }.joined(separator: ",") + "}"
    }

    public var description: String { canonicalJSON }

    /// Parses a JSON object of names to finite numbers (any JSON spelling).
    public init(json: String) throws(TradeStoreError) {
        do {
            values = try JSONDecoder().decode([String: Double].self, from: Data(json.utf8))
        } catch {
            throw .invalid("a parameter set must be a JSON object of names to numbers: \(error)")
        }
    }

    /// Whole numbers below 2^53 without a fraction ("700"), anything else as the
    /// shortest text that reads back to the same `Double` ("0.25", "1e-05").
    static func canonicalNumber(_ value: Double) -> String {
        if value == value.rounded(), abs(value) < 9_007_199_254_740_992 {
            return String(Int64(value))
        }
        return "\(value)"
    }

    static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case _ where scalar.value < 0x20: out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}

/// One name's change between two versions; `from` is nil for a name that is
/// new, `to` nil for one that was dropped.
public struct ParameterDiff: Sendable, Hashable, CustomStringConvertible {
    public var name: String
    public var from: Double?
    public var to: Double?

    public init(name: String, from: Double?, to: Double?) {
        self.name = name
        self.from = from
        self.to = to
    }

    public var description: String {
        "\(name): \(from.map(ParameterSet.canonicalNumber) ?? "absent") → \(to.map(ParameterSet.canonicalNumber) ?? "absent")"
    }

    /// The names whose values differ from `old` to `new`, sorted.
    public static func between(_ old: ParameterSet, _ new: ParameterSet) -> [ParameterDiff] {
        Set(old.values.keys).union(new.values.keys).sorted().compactMap { name in
            old[name] == new[name] ? nil : ParameterDiff(name: name, from: old[name], to: new[name])
        }
    }

    /// `[{"name":"a","from":1,"to":2}]`, canonical like `ParameterSet.canonicalJSON`.
    static func json(_ diffs: [ParameterDiff]) -> String {
        "[" + diffs.map { d in
            "{\"name\":\(ParameterSet.quote(d.name)),\"from\":\(d.from.map(ParameterSet.canonicalNumber) ?? "null"),"
                + "\"to\":\(d.to.map(ParameterSet.canonicalNumber) ?? "null")}"
        }.joined(separator: ",") + "]"
    }

    private struct Stored: Decodable { var name: String; var from: Double?; var to: Double? }

    static func parse(_ json: String) throws -> [ParameterDiff] {
        try JSONDecoder().decode([Stored].self, from: Data(json.utf8)).map { ParameterDiff(name: $0.name, from: $0.from, to: $0.to) }
    }
}
