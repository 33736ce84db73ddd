import Foundation
import TradeCore

/// The fields of a venue's JSON object, read strictly: a field that is missing or
/// not what the venue's API documents makes the whole answer malformed, so
/// nothing half-read is ever acted on. Numbers may come as strings or numbers.
struct OrderJSON {
    let fields: [String: Any]
    /// What this object is, for the error ("binance order").
    let what: String

    init(_ value: Any?, _ what: String) throws(VenueOrderError) {
        guard let object = value as? [String: Any] else { throw .init(.malformed, "\(what) is not a JSON object") }
        fields = object
        self.what = what
    }

    static func parse(_ body: Data, _ what: String) throws(VenueOrderError) -> Any {
        do { return try JSONSerialization.jsonObject(with: body, options: [.fragmentsAllowed]) } catch {
            throw .init(.malformed, "\(what) is not JSON: \(String(decoding: body.prefix(200), as: UTF8.self))")
        }
    }

    func has(_ key: String) -> Bool { fields[key] != nil && !(fields[key] is NSNull) }

    func string(_ key: String) throws(VenueOrderError) -> String {
        switch fields[key] {
        case let s as String: return s
        case let n as NSNumber: return n.stringValue
        default: throw missing(key)
        }
    }

    func integer(_ key: String) throws(VenueOrderError) -> Int64 {
        let text = try string(key)
        guard let i = Int64(text) else { throw invalid(key, text) }
        return i
    }

    func bool(_ key: String) throws(VenueOrderError) -> Bool {
        switch fields[key] {
        case let b as Bool: return b
        case let s as String where s == "true" || s == "false": return s == "true"
        default: throw missing(key)
        }
    }

    func quantity(_ key: String) throws(VenueOrderError) -> Quantity {
        let text = try string(key)
        guard let q = Quantity(text) else { throw invalid(key, text) }
        return q
    }

    func price(_ key: String) throws(VenueOrderError) -> Price {
        let text = try string(key)
        guard let p = Price(text) else { throw invalid(key, text) }
        return p
    }

    func money(_ key: String) throws(VenueOrderError) -> Money {
        let text = try string(key)
        guard let m = Money(text) else { throw invalid(key, text) }
        return m
    }

    func array(_ key: String) throws(VenueOrderError) -> [Any] {
        guard let a = fields[key] as? [Any] else { throw missing(key) }
        return a
    }

    func object(_ key: String) throws(VenueOrderError) -> OrderJSON { try OrderJSON(fields[key], "\(what).\(key)") }

    private func missing(_ key: String) -> VenueOrderError { .init(.malformed, "\(what) has no valid \(key)") }
    private func invalid(_ key: String, _ text: String) -> VenueOrderError {
        .init(.malformed, "\(what).\(key) is not a valid number: \(text.prefix(40))")
    }
}
