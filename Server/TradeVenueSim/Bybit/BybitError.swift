/// A refusal as Bybit v5 answers it: HTTP 200 with a non-zero `retCode` and
/// its `retMsg` (Bybit's codes and wording).
public struct BybitError: Error, Sendable, Equatable {
    public var code: Int
    public var message: String

    public init(_ code: Int, _ message: String) {
        self.code = code
        self.message = message
    }

    static func parameter(_ what: String) -> BybitError { BybitError(10001, "params error: \(what)") }
    static let timestamp = BybitError(10002, "invalid request, please check your server timestamp or recv_window param")
    static let invalidKey = BybitError(10003, "API key is invalid.")
    static let badSignature = BybitError(10004, "error sign! origin_string is not correct")
    static let tooManyVisits = BybitError(10006, "Too many visits!")
    static let insufficientBalance = BybitError(110007, "Insufficient available balance.")
    static let orderNotFound = BybitError(110001, "Order does not exist.")
    static let duplicateLinkID = BybitError(110072, "OrderLinkedID is duplicate")
    static let unknownSymbol = BybitError(10001, "params error: symbol invalid")

    /// The venue-neutral refusals in Bybit's words.
    static func from(_ r: VenueRejection) -> BybitError {
        switch r {
        case .unknownSymbol: return .unknownSymbol
        case .filterFailure("LOT_SIZE"): return BybitError(170137, "Order quantity has too many decimals.")
        case .filterFailure("PRICE_FILTER"): return BybitError(170134, "Order price has too many decimals.")
        case .filterFailure: return BybitError(170140, "Order value exceeded lower limit.")
        case .insufficientBalance: return .insufficientBalance
        case .duplicateClientOrderID: return .duplicateLinkID
        case .unknownOrder: return .orderNotFound
        case .wouldTakeLiquidity: return BybitError(170218, "The LIMIT-MAKER order is rejected due to invalid price.")
        case .noPrice: return .parameter("no last price yet")
        }
    }
}
