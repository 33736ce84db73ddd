import Foundation

/// A request as a venue's routes see it: method, path, the raw query and body
/// (signatures are over them as sent), form parameters decoded from both, and
/// the headers (names lowercased).
public struct VenueRequest: Sendable {
    public var method: String
    public var path: String
    public var query: String
    public var body: String
    public var headers: [String: String]
    public let parameters: [String: String]

    public init(method: String, path: String, query: String, body: String, headers: [String: String] = [:]) {
        self.method = method
        self.path = path
        self.query = query
        self.body = body
        self.headers = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }) { a, _ in a }
        var p: [String: String] = [:]
        for part in [query, body] {
            for field in part.split(separator: "&") {
                let kv = field.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                guard let name = Self.decode(kv[0]), !name.isEmpty else { continue }
                p[name] = kv.count == 2 ? Self.decode(kv[1]) ?? "" : ""
            }
        }
        parameters = p
    }

    /// application/x-www-form-urlencoded decoding ('+' is a space).
    static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    public subscript(_ name: String) -> String? { parameters[name].flatMap { $0.isEmpty ? nil : $0 } }

    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What a venue's routes answer: status, extra headers, and a JSON body.
public struct VenueResponse: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: String
}
