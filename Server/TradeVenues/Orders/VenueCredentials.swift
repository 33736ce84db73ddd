import Foundation

/// An API key and its secret. The secret never leaves this value except into a
/// signature: printing, logging or interpolating credentials shows the key's
/// first four characters and nothing else.
public struct VenueCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    public let key: String
    let secret: String

    public init(key: String, secret: String) {
        self.key = key
        self.secret = secret
    }

    public var description: String { "API key \(key.prefix(4))… (secret redacted)" }
    public var debugDescription: String { description }

    /// `<PREFIX>_API_KEY` and `<PREFIX>_API_SECRET` (e.g. TRADEENGINE_BINANCE_API_KEY); nil when neither is set.
    public static func fromEnvironment(_ environment: [String: String], prefix: String) throws(VenueCredentialsError) -> VenueCredentials? {
        let key = environment["\(prefix)_API_KEY"], secret = environment["\(prefix)_API_SECRET"]
        switch (key, secret) {
        case (nil, nil): return nil
        case (let k?, let s?) where !k.isEmpty && !s.isEmpty: return VenueCredentials(key: k, secret: s)
        default: throw VenueCredentialsError("set both \(prefix)_API_KEY and \(prefix)_API_SECRET, or neither")
        }
    }

    /// A file of two lines, `key=…` and `secret=…`, readable by its owner only (mode 0600 or 0400):
    /// one others can read is refused before it is read.
    public static func read(file path: String) throws(VenueCredentialsError) -> VenueCredentials {
        let attributes: [FileAttributeKey: Any]
        do { attributes = try FileManager.default.attributesOfItem(atPath: path) } catch {
            throw VenueCredentialsError("cannot read the credentials file \(path)")
        }
        let mode = (attributes[.posixPermissions] as? NSNumber)?.intValue ?? 0o777
        guard mode & 0o077 == 0 else {
            throw VenueCredentialsError("\(path) can be read by others (mode \(String(mode, radix: 8))); make it 0600")
        }
        guard let data = FileManager.default.contents(atPath: path), let text = String(data: data, encoding: .utf8) else {
            throw VenueCredentialsError("cannot read the credentials file \(path)")
        }
        var key: String?, secret: String?
        for line in text.split(whereSeparator: \.isNewline) {
            let parts = line.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2 else { continue }
            switch parts[0] {
            case "key": key = parts[1]
            case "secret": secret = parts[1]
            default: throw VenueCredentialsError("\(path): unknown field '\(parts[0].prefix(20))' (only key= and secret=)")
            }
        }
        guard let key, let secret, !key.isEmpty, !secret.isEmpty else {
            throw VenueCredentialsError("\(path) must hold a key= line and a secret= line")
        }
        return VenueCredentials(key: key, secret: secret)
    }
}

public struct VenueCredentialsError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
