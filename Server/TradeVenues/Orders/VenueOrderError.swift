/// Why a venue call did not give an answer we can act on, sorted by what the
/// caller may do about it. `message` keeps the venue's own words (its code and
/// text), never a key or a signature.
public struct VenueOrderError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: String, Sendable, Equatable {
        /// The venue refused the order or request for good (balance, filters, parameters): do not resend.
        case rejected
        /// The venue does not know the order (by the id asked for).
        case unknownOrder
        /// The client order id is taken (by an open order on Binance, by any order on Bybit).
        case duplicateClientOrderID
        /// Too many requests: wait `retryAfterMs` (the venue's word, or our estimate).
        case rateLimited
        /// The venue has banned this IP or key for a while (Binance's 418): wait, do not call.
        case banned
        /// Our timestamp is outside the venue's receive window: sync the clock first.
        case clockSkew
        /// The key, its permissions or the signature were refused.
        case unauthorized
        /// No answer, or a 5xx: the request may or may not have taken effect.
        case outcomeUnknown
        /// The endpoint's breaker is open: nothing was sent.
        case breakerOpen
        /// The answer was not what the venue's API documents: nothing in it was used.
        case malformed
    }

    public var kind: Kind
    public var message: String
    /// The venue's code (Binance's `code`, Bybit's `retCode`), or the HTTP status; 0 when neither.
    public var code: Int
    public var retryAfterMs: Int64?

    public init(_ kind: Kind, _ message: String, code: Int = 0, retryAfterMs: Int64? = nil) {
        self.kind = kind
        self.message = message
        self.code = code
        self.retryAfterMs = retryAfterMs
    }

    public var description: String { code == 0 ? "\(kind.rawValue): \(message)" : "\(kind.rawValue) (\(code)): \(message)" }
}
