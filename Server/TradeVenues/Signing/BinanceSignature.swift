/// Binance's request signing: HMAC-SHA256 of the *total params* — the query
/// string concatenated with the request body, exactly as sent, without the
/// `signature` parameter — keyed by the API secret, hex-encoded (compared
/// case-insensitively, as Binance's docs say HMAC signatures are).
public enum BinanceSignature {
    public static func sign(_ totalParams: String, secret: String) -> String { HMACHex.sha256(totalParams, secret: secret) }

    /// The signed text and the signature of a request: `signature=` is taken out
    /// of whichever part carries it, the rest kept byte for byte.
    public static func split(query: String, body: String) -> (signed: String, signature: String?) {
        var signature: String?
        func strip(_ part: String) -> String {
            let fields = part.split(separator: "&", omittingEmptySubsequences: false)
            var kept: [Substring] = []
            for f in fields {
                if f.hasPrefix("signature=") { signature = String(f.dropFirst("signature=".count)) } else { kept.append(f) }
            }
            return kept.joined(separator: "&")
        }
        return (strip(query) + strip(body), signature)
    }
}
