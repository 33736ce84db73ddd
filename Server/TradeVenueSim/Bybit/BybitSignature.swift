import Crypto
import Foundation

/// Bybit v5's request signing: HMAC-SHA256, hex, of
/// `timestamp + apiKey + recvWindow + payload`, where the payload is the query
/// string of a GET and the raw JSON body of a POST, keyed by the API secret.
public enum BybitSignature {
    public static func sign(timestamp: String, apiKey: String, recvWindow: String, payload: String, secret: String) -> String {
        let text = timestamp + apiKey + recvWindow + payload
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
