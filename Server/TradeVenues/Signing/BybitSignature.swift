/// Bybit v5's request signing: HMAC-SHA256, hex, of
/// `timestamp + apiKey + recvWindow + payload`, where the payload is the query
/// string of a GET and the raw JSON body of a POST, keyed by the API secret.
public enum BybitSignature {
    public static func sign(timestamp: String, apiKey: String, recvWindow: String, payload: String, secret: String) -> String {
        HMACHex.sha256(timestamp + apiKey + recvWindow + payload, secret: secret)
    }
}
