import Foundation

/// One REST call to a venue before signing: which endpoint (a name for its breaker
/// and metrics), method, path and parameters in order. The dialect turns it into
/// the bytes on the wire (`OrderDialect.encode`).
public struct VenueCall: Sendable, Equatable {
    public var endpoint: String
    public var method: String
    public var path: String
    public var params: [Param]
    /// Whether the call needs the key and a signature.
    public var signed: Bool

    public struct Param: Sendable, Equatable {
        public var name: String
        public var value: String
        public init(_ name: String, _ value: String) {
            self.name = name
            self.value = value
        }
    }

    public init(endpoint: String, method: String, path: String, params: [Param] = [], signed: Bool = true) {
        self.endpoint = endpoint
        self.method = method
        self.path = path
        self.params = params
        self.signed = signed
    }

    /// `a=1&b=2`, each value percent-encoded as a query needs (our values are ids, symbols and decimals).
    public static func queryString(_ params: [Param]) -> String {
        params.map { "\($0.name)=\(encode($0.value))" }.joined(separator: "&")
    }

    static func encode(_ value: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return value.addingPercentEncoding(withAllowedCharacters: allowed) ?? value
    }
}

/// A signed request, ready for the HTTP client.
public struct VenueHTTPRequest: Sendable, Equatable {
    public var method: String
    /// Path and query, as sent.
    public var target: String
    public var body: String
    public var headers: [String: String]

    public init(method: String, target: String, body: String = "", headers: [String: String] = [:]) {
        self.method = method
        self.target = target
        self.body = body
        self.headers = headers
    }
}

/// A venue's answer as the gateway hands it to the dialect.
public struct VenueHTTPAnswer: Sendable {
    public var status: Int
    public var headers: [(String, String)]
    public var body: Data

    public init(status: Int, headers: [(String, String)], body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    public func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
}
