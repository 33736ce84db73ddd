import Foundation

/// Opaque page tokens. Today a token is the offset of the next item, encoded so
/// clients treat it as opaque and the encoding can change (to a keyset cursor,
/// say, when the store backs the lists) without breaking them.
enum PageToken {
    private static let prefix = "te1:"

    static func encode(_ offset: Int) -> String {
        Data((prefix + String(offset)).utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> Int? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8),
              text.hasPrefix(prefix), let offset = Int(text.dropFirst(prefix.count)), offset >= 0 else { return nil }
        return offset
    }
}
