import Crypto
import Foundation

/// HMAC-SHA256 of a text keyed by a secret, as lowercase hex: what both
/// venues sign with (they differ only in what text they sign). One code for
/// our order adapters signing and the simulator checking.
public enum HMACHex {
    public static func sha256(_ text: String, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(text.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
