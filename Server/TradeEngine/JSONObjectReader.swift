import Foundation

/// Reads one JSON object strictly: every key must be known, every value of the
/// expected type. Typos in a config file are errors that name the key, never
/// silently ignored settings.
public struct JSONObjectReader {
    public let path: String
    private let object: [String: Any]
    private var used: Set<String> = []

    public init(data: Data, source: String) throws(EngineError) {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) }
        catch { throw EngineError("\(source): not valid JSON (\(error.localizedDescription))") }
        guard let object = parsed as? [String: Any] else { throw EngineError("\(source): the top level must be a JSON object") }
        self.init(object: object, path: source)
    }

    private init(object: [String: Any], path: String) {
        self.object = object
        self.path = path
    }

    private func name(_ key: String) -> String { "\(path).\(key)" }

    public mutating func double(_ key: String) throws(EngineError) -> Double? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let n = v as? NSNumber, !isBoolean(n) else {
            throw EngineError("\(name(key)) must be a number, got \(v)")
        }
        guard n.doubleValue.isFinite else { throw EngineError("\(name(key)) must be finite") }
        return n.doubleValue
    }

    public mutating func int(_ key: String) throws(EngineError) -> Int? {
        guard let d = try double(key) else { return nil }
        guard d == d.rounded(), abs(d) < 1e15 else { throw EngineError("\(name(key)) must be a whole number, got \(d)") }
        return Int(d)
    }

    public mutating func bool(_ key: String) throws(EngineError) -> Bool? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let n = v as? NSNumber, isBoolean(n) else {
            throw EngineError("\(name(key)) must be true or false, got \(v)")
        }
        return n.boolValue
    }

    public mutating func string(_ key: String) throws(EngineError) -> String? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let s = v as? String else { throw EngineError("\(name(key)) must be a string, got \(v)") }
        return s
    }

    /// A decimal given as a string ("0.01") or a number, for exact money.
    public mutating func decimalText(_ key: String) throws(EngineError) -> String? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        if let s = v as? String { return s }
        if let n = v as? NSNumber, !isBoolean(n) { return n.stringValue }
        throw EngineError("\(name(key)) must be a decimal string such as \"0.01\", got \(v)")
    }

    public mutating func object(_ key: String) throws(EngineError) -> JSONObjectReader? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let o = v as? [String: Any] else { throw EngineError("\(name(key)) must be an object") }
        return JSONObjectReader(object: o, path: name(key))
    }

    /// An array of objects, e.g. `[{"kind": "slack", "url": "…"}]`, each read strictly.
    public mutating func objects(_ key: String) throws(EngineError) -> [JSONObjectReader]? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let a = v as? [[String: Any]] else { throw EngineError("\(name(key)) must be an array of objects") }
        return a.enumerated().map { JSONObjectReader(object: $1, path: "\(name(key))[\($0)]") }
    }

    /// An array of strings, e.g. `["aggressive", "balanced"]`.
    public mutating func strings(_ key: String) throws(EngineError) -> [String]? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let a = v as? [Any], let strings = a as? [String] else {
            throw EngineError("\(name(key)) must be an array of strings, got \(v)")
        }
        return strings
    }

    /// An array of arrays of numbers, e.g. `[[1, 1], [2, 0.75]]`.
    public mutating func numberRows(_ key: String) throws(EngineError) -> [[Double]]? {
        guard let v = object[key] else { return nil }
        used.insert(key)
        guard let rows = v as? [[Any]] else { throw EngineError("\(name(key)) must be an array of arrays of numbers, got \(v)") }
        var out: [[Double]] = []
        for row in rows {
            var r: [Double] = []
            for x in row {
                guard let n = x as? NSNumber, !isBoolean(n), n.doubleValue.isFinite else {
                    throw EngineError("\(name(key)) must contain only numbers, got \(x)")
                }
                r.append(n.doubleValue)
            }
            out.append(r)
        }
        return out
    }

    /// Whether `key` was present and read.
    public func didRead(_ key: String) -> Bool { used.contains(key) && object[key] != nil }

    /// Every key of this object, for maps such as per-symbol settings.
    public var keys: [String] { object.keys.sorted() }

    /// JSON booleans arrive as NSNumber too; their Objective-C type is `c`.
    private func isBoolean(_ n: NSNumber) -> Bool { String(cString: n.objCType) == "c" }

    /// Fails on the first key that nothing asked for.
    public func rejectUnknownKeys() throws(EngineError) {
        if let unknown = object.keys.sorted().first(where: { !used.contains($0) }) {
            throw EngineError("\(name(unknown)) is not a known setting")
        }
    }
}
