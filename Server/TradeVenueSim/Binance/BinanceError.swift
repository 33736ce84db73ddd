import Foundation

/// An error as Binance answers it: an HTTP status and `{"code": …, "msg": …}`,
/// with Binance's codes and its wording.
public struct BinanceError: Error, Sendable, Equatable {
    public var status: Int
    public var code: Int
    public var message: String

    public init(status: Int = 400, code: Int, _ message: String) {
        self.status = status
        self.code = code
        self.message = message
    }

    public var body: [String: Any] { ["code": code, "msg": message] }

    static func mandatory(_ name: String) -> BinanceError {
        BinanceError(code: -1102, "Mandatory parameter '\(name)' was not sent, was empty/null, or malformed.")
    }
    static func illegal(_ name: String, _ value: String) -> BinanceError {
        BinanceError(code: -1100, "Illegal characters found in parameter '\(name)'; legal range is '\(value)'.")
    }
    static let badSignature = BinanceError(code: -1022, "Signature for this request is not valid.")
    static let outsideRecvWindow = BinanceError(code: -1021, "Timestamp for this request is outside of the recvWindow.")
    static let aheadOfServer = BinanceError(code: -1021, "Timestamp for this request was 1000ms ahead of the server's time.")
    static let recvWindowTooLarge = BinanceError(code: -1131, "recvWindow must be less than 60000")
    static let apiKeyFormat = BinanceError(status: 401, code: -2014, "API-key format invalid.")
    static let invalidKey = BinanceError(status: 401, code: -2015, "Invalid API-key, IP, or permissions for action.")
    static let invalidSymbol = BinanceError(code: -1121, "Invalid symbol.")
    static let invalidInterval = BinanceError(code: -1120, "Invalid interval.")
    static let unknownOrderCancel = BinanceError(code: -2011, "Unknown order sent.")
    static let orderDoesNotExist = BinanceError(code: -2013, "Order does not exist.")
    static let insufficientBalance = BinanceError(code: -2010, "Account has insufficient balance for requested action.")
    static let duplicateOrder = BinanceError(code: -2010, "Duplicate order sent.")
    static let wouldTake = BinanceError(code: -2010, "Order would immediately match and take.")
    static func filter(_ name: String) -> BinanceError { BinanceError(code: -1013, "Filter failure: \(name)") }

    /// The venue-neutral refusals in Binance's words (`cancel` picks -2011 over -2013 for unknown orders).
    static func from(_ r: VenueRejection, cancel: Bool = false) -> BinanceError {
        switch r {
        case .unknownSymbol: return .invalidSymbol
        case .filterFailure(let name): return .filter(name)
        case .insufficientBalance: return .insufficientBalance
        case .duplicateClientOrderID: return .duplicateOrder
        case .unknownOrder: return cancel ? .unknownOrderCancel : .orderDoesNotExist
        case .wouldTakeLiquidity: return .wouldTake
        case .noPrice: return BinanceError(code: -1013, "Filter failure: MARKET_LOT_SIZE")
        }
    }
}
