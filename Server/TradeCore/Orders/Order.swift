public enum OrderSide: String, Sendable, Codable, Hashable {
    case buy = "BUY", sell = "SELL"

    /// +1 for buys, −1 for sells: the sign a fill's quantity has on a position.
    @inlinable public var sign: Int64 { self == .buy ? 1 : -1 }
    public var opposite: OrderSide { self == .buy ? .sell : .buy }
}

/// How an order may fill. `stop` is a stop-market order: it becomes a market
/// order once the bar trades through the trigger price.
public enum OrderType: Sendable, Codable, Hashable {
    case market
    case limit(Price)
    case stop(Price)

    public var name: String {
        switch self {
        case .market: return "MARKET"
        case .limit: return "LIMIT"
        case .stop: return "STOP"
        }
    }
}

public enum OrderStatus: String, Sendable, Codable, Hashable {
    case open = "OPEN"
    case partiallyFilled = "PARTIALLY_FILLED"
    case filled = "FILLED"
    case cancelled = "CANCELLED"
    case rejected = "REJECTED"

    public var isTerminal: Bool { self == .filled || self == .cancelled || self == .rejected }
}

/// Who caused an order: the strategy's own decision, or an operator's command
/// (a halt or flatten closing positions). Records and queries attribute by it.
public enum OrderOrigin: String, Sendable, Codable, Hashable {
    case strategy
    case `operator`
}

/// What a strategy asks for. The engine assigns the ids, rounds to the
/// instrument and checks it before anything reaches a broker.
public struct OrderIntent: Sendable, Codable, Hashable {
    public var symbol: Int
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    /// Optional caller-chosen id; submitting the same id again is idempotent.
    public var clientOrderID: String?
    /// Why the strategy wants this order (kept with the order and its fills).
    public var reason: String
    public var origin: OrderOrigin

    public init(symbol: Int, side: OrderSide, type: OrderType = .market, quantity: Quantity,
                clientOrderID: String? = nil, reason: String = "", origin: OrderOrigin = .strategy) {
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.clientOrderID = clientOrderID
        self.reason = reason
        self.origin = origin
    }
}

/// An order the engine accepted. `quantity` is already rounded to the lot.
public struct Order: Sendable, Codable, Hashable {
    public var id: Int64
    public var clientOrderID: String
    public var symbol: Int
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    public var filledQuantity: Quantity = .zero
    public var status: OrderStatus = .open
    public var reason: String
    public var origin: OrderOrigin = .strategy
    /// Event time (Unix ms) and symbol bar index at which it was submitted.
    public var submittedAt: Int64
    public var submittedBarIndex: Int
    /// Set when the order is rejected or cancelled.
    public var statusMessage: String = ""

    public var remainingQuantity: Quantity { quantity - filledQuantity }

    public init(id: Int64, clientOrderID: String, symbol: Int, side: OrderSide, type: OrderType,
                quantity: Quantity, reason: String, origin: OrderOrigin = .strategy, submittedAt: Int64, submittedBarIndex: Int) {
        self.id = id
        self.origin = origin
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.reason = reason
        self.submittedAt = submittedAt
        self.submittedBarIndex = submittedBarIndex
    }
}

// Snapshots and journals written before orders carried an origin decode as the strategy's.
extension OrderIntent {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(symbol: try c.decode(Int.self, forKey: .symbol), side: try c.decode(OrderSide.self, forKey: .side),
                  type: try c.decode(OrderType.self, forKey: .type), quantity: try c.decode(Quantity.self, forKey: .quantity),
                  clientOrderID: try c.decodeIfPresent(String.self, forKey: .clientOrderID), reason: try c.decode(String.self, forKey: .reason),
                  origin: try c.decodeIfPresent(OrderOrigin.self, forKey: .origin) ?? .strategy)
    }
}

extension Order {
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(id: try c.decode(Int64.self, forKey: .id), clientOrderID: try c.decode(String.self, forKey: .clientOrderID),
                  symbol: try c.decode(Int.self, forKey: .symbol), side: try c.decode(OrderSide.self, forKey: .side),
                  type: try c.decode(OrderType.self, forKey: .type), quantity: try c.decode(Quantity.self, forKey: .quantity),
                  reason: try c.decode(String.self, forKey: .reason),
                  origin: try c.decodeIfPresent(OrderOrigin.self, forKey: .origin) ?? .strategy,
                  submittedAt: try c.decode(Int64.self, forKey: .submittedAt), submittedBarIndex: try c.decode(Int.self, forKey: .submittedBarIndex))
        filledQuantity = try c.decode(Quantity.self, forKey: .filledQuantity)
        status = try c.decode(OrderStatus.self, forKey: .status)
        statusMessage = try c.decode(String.self, forKey: .statusMessage)
    }
}
