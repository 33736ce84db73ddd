import X509

/// Certificate serial numbers as people and the deny list write them: lower-case
/// hex without separators. Input may use upper case and colons
/// (`AB:CD:…`, as other tools print them).
public enum SerialNumberText {
    public static func format(_ serial: Certificate.SerialNumber) -> String {
        format(Array(serial.bytes))
    }

    public static func format(_ bytes: [UInt8]) -> String {
        // DER integers may carry a leading zero byte to stay positive; it is not part of the number.
        var digits = bytes.drop { $0 == 0 }
        if digits.isEmpty { digits = [0] }
        return digits.map { byte in
            let s = String(byte, radix: 16)
            return s.count == 1 ? "0" + s : s
        }.joined()
    }

    /// The canonical form of a serial typed by a person, or nil if it is not hex.
    public static func normalize(_ text: String) -> String? {
        let cleaned = text.lowercased().filter { $0 != ":" && !$0.isWhitespace }
        guard !cleaned.isEmpty, cleaned.allSatisfy(\.isHexDigit) else { return nil }
        let trimmed = cleaned.drop { $0 == "0" }
        if trimmed.isEmpty { return "00" }
        return trimmed.count % 2 == 1 ? "0" + trimmed : String(trimmed)
    }
}
