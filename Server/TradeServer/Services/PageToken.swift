import Foundation

/// Opaque page tokens: the offset of the next item and, for lists read from the
/// store, the store's keyset cursor after the last item returned, so the next page
/// is found by index and costs the same at item 10 as at item 10 million. Encoded
/// so clients treat them as opaque and the encoding can change without breaking them.
enum PageToken {
    private static let offsetOnly = "te1:"
    private static let withCursor = "te2:"

    static func encode(_ offset: Int, cursor: String? = nil) -> String {
        let text = cursor.map { withCursor + String(offset) + ":" + $0 } ?? offsetOnly + String(offset)
        return Data(text.utf8).base64EncodedString()
    }

    static func decode(_ token: String) -> (offset: Int, cursor: String?)? {
        guard let data = Data(base64Encoded: token), let text = String(data: data, encoding: .utf8) else { return nil }
        if text.hasPrefix(offsetOnly), let offset = Int(text.dropFirst(offsetOnly.count)), offset >= 0 { return (offset, nil) }
        guard text.hasPrefix(withCursor) else { return nil }
        let rest = text.dropFirst(withCursor.count)
        guard let colon = rest.firstIndex(of: ":"), let offset = Int(rest[..<colon]), offset >= 0 else { return nil }
        let cursor = String(rest[rest.index(after: colon)...])
        return cursor.isEmpty ? nil : (offset, cursor)
    }
}
