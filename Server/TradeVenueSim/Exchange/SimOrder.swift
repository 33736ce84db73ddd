/// An order at the simulated venue, in the venue's own terms.
public struct SimOrder: Sendable, Equatable {
    public enum Side: String, Sendable { case buy = "BUY", sell = "SELL" }
    public enum Kind: String, Sendable { case market = "MARKET", limit = "LIMIT", limitMaker = "LIMIT_MAKER" }
    public enum TimeInForce: String, Sendable { case gtc = "GTC", ioc = "IOC", fok = "FOK" }
    public enum Status: String, Sendable {
        case new = "NEW", partiallyFilled = "PARTIALLY_FILLED", filled = "FILLED", canceled = "CANCELED", expired = "EXPIRED"
        public var isOpen: Bool { self == .new || self == .partiallyFilled }
    }

    public var id: Int64
    public var clientID: String
    public var account: String
    public var symbol: Int
    public var side: Side
    public var kind: Kind
    public var timeInForce: TimeInForce?
    /// The limit price (nil for market orders).
    public var price: Decimal8?
    public var quantity: Decimal8
    public var executed = Decimal8.zero
    /// Quote spent or received so far (Σ price × quantity of the fills).
    public var cumulativeQuote = Decimal8.zero
    /// Fees paid so far (in the asset received: base for buys, quote for sells).
    public var cumulativeFee = Decimal8.zero
    public var status = Status.new
    /// Wall times (Unix ms): placed, last changed.
    public var created: Int64
    public var updated: Int64
    /// What the order still holds of the account's balance (quote for buys at the limit price, base for sells).
    public var locked = Decimal8.zero

    public var remaining: Decimal8 { quantity - executed }
}

/// One execution at the simulated venue.
public struct SimTrade: Sendable, Equatable {
    public var id: Int64
    public var orderID: Int64
    public var account: String
    public var symbol: Int
    public var side: SimOrder.Side
    public var price: Decimal8
    public var quantity: Decimal8
    public var quote: Decimal8
    /// The fee, in `feeAsset`: the asset received (base for buys, quote for sells), as Binance charges without BNB.
    public var fee: Decimal8
    public var feeAsset: String
    public var maker: Bool
    /// Wall time of the execution (Unix ms) and the market time it happened at.
    public var time: Int64
    public var marketTime: Int64
}

/// Why the venue refused a request: each venue maps these onto its own codes and messages.
public enum VenueRejection: Error, Sendable, Equatable {
    case unknownSymbol
    case filterFailure(String)
    case insufficientBalance
    case duplicateClientOrderID
    case unknownOrder
    case wouldTakeLiquidity
    case noPrice
}
