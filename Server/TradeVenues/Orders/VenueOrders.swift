import TradeCore

/// An order as we ask a venue for it, always under our own client order id
/// (Binance's `newClientOrderId`, Bybit's `orderLinkId`): the id we journal before
/// sending, and the only handle we ever query or cancel by.
public struct VenueOrderRequest: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case market
        case limit(Price, TimeInForce)
    }

    /// Good till cancelled; immediate or cancel; post-only (a maker order the venue refuses
    /// rather than let take liquidity — Binance's LIMIT_MAKER, Bybit's PostOnly).
    public enum TimeInForce: String, Sendable, Equatable { case gtc, ioc, postOnly }

    public var symbol: String
    public var side: OrderSide
    public var kind: Kind
    /// In the base asset, on the venue's lot.
    public var quantity: Quantity
    public var clientOrderID: String

    public init(symbol: String, side: OrderSide, kind: Kind, quantity: Quantity, clientOrderID: String) {
        self.symbol = symbol
        self.side = side
        self.kind = kind
        self.quantity = quantity
        self.clientOrderID = clientOrderID
    }
}

/// Where an order stands at the venue, in venue-neutral words.
public enum VenueOrderStatus: String, Sendable, Equatable {
    /// Accepted and working, nothing traded.
    case new
    case partiallyFilled
    case filled
    /// Left the book by a cancel (ours or the venue's), possibly after part traded.
    case cancelled
    /// Left the book by its own terms (IOC remainder, post-only that would take).
    case expired
    case rejected

    public var isOpen: Bool { self == .new || self == .partiallyFilled }
}

/// An order as the venue reports it.
public struct VenueOrderState: Sendable, Equatable {
    public var symbol: String
    public var clientOrderID: String
    public var venueOrderID: String
    public var side: OrderSide
    public var status: VenueOrderStatus
    public var quantity: Quantity
    public var filledQuantity: Quantity
    /// The venue's time of the last change (Unix ms; 0 when the answer gives none).
    public var updatedAt: Int64

    public init(symbol: String, clientOrderID: String, venueOrderID: String, side: OrderSide, status: VenueOrderStatus,
                quantity: Quantity, filledQuantity: Quantity, updatedAt: Int64) {
        self.symbol = symbol
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
        self.side = side
        self.status = status
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.updatedAt = updatedAt
    }
}

/// One execution at the venue.
public struct VenueTrade: Sendable, Equatable {
    public var symbol: String
    /// The venue's id of the trade: what makes a fill counted once, whichever way it arrived.
    public var tradeID: String
    public var venueOrderID: String
    /// Ours, when the venue says it (Bybit does; Binance's trade list names only its order id).
    public var clientOrderID: String?
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var fee: Money
    public var feeAsset: String
    public var isMaker: Bool
    public var time: Int64

    public init(symbol: String, tradeID: String, venueOrderID: String, clientOrderID: String?, side: OrderSide, price: Price,
                quantity: Quantity, fee: Money, feeAsset: String, isMaker: Bool, time: Int64) {
        self.symbol = symbol
        self.tradeID = tradeID
        self.venueOrderID = venueOrderID
        self.clientOrderID = clientOrderID
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.feeAsset = feeAsset
        self.isMaker = isMaker
        self.time = time
    }
}

/// One asset of the account.
public struct VenueBalance: Sendable, Equatable {
    public var asset: String
    public var free: Money
    public var locked: Money

    public init(asset: String, free: Money, locked: Money) {
        self.asset = asset
        self.free = free
        self.locked = locked
    }

    public var total: Money { free + locked }
}

/// What placing an order came to: the venue's state of it, and the trades its answer
/// already carried (Binance's FULL answer lists the fills of a market order; Bybit's
/// answer is an acknowledgement only).
public struct VenuePlacement: Sendable, Equatable {
    public var order: VenueOrderState
    public var trades: [VenueTrade]
    /// True when the send's answer was lost and the order was found by its client id instead.
    public var adopted: Bool

    public init(order: VenueOrderState, trades: [VenueTrade], adopted: Bool = false) {
        self.order = order
        self.trades = trades
        self.adopted = adopted
    }
}
