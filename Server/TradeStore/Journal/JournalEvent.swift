import TradeCore

/// An input that changes the engine's state, as it is journaled before the
/// engine acknowledges it or acts on it outside.
///
/// Replaying these events, in sequence order, through the same deterministic
/// core from the latest snapshot restores the engine exactly: positions, open
/// orders, budgets, cooldowns, breakers and statistics all follow from them.
/// Outputs (signals, fills the paper broker makes during replay) are derived
/// again rather than read back; only what came from outside is an event.
public enum JournalEvent: Sendable, Hashable {
    /// A base-timeframe candle the engine accepted for `symbol` (its index in
    /// the run's instruments) as the symbol's `barIndex`-th bar.
    case candleAccepted(symbol: Int, candle: Candle, barIndex: Int)
    /// An order that passed the gate and is about to go to a broker.
    case orderSubmitted(OrderSubmission)
    /// The venue confirmed it holds the order.
    case orderAcknowledged(OrderAcknowledgement)
    /// An execution reported by the venue.
    case orderFilled(clientOrderID: String, fill: Fill)
    /// The order was cancelled (by us or the venue).
    case orderCancelled(OrderClosure)
    /// The venue refused the order.
    case orderRejected(OrderClosure)
    /// An operator's command (start, stop, pause, halt, flatten, …) with its arguments.
    case operatorCommand(OperatorCommand)
    /// The engine switched to parameter version `version` (at this point in the stream).
    case parameterChange(version: Int64)
    /// An operator-supplied context value (for example a macro regime or a news flag).
    case contextUpdate(ContextUpdate)
    /// What a remote venue said about one of our orders — an *input*, applied on replay
    /// (the paper broker's answers are outputs, journaled as `orderFilled` and the others).
    case venueReport(VenueReportEntry)

    public var kind: JournalEventKind {
        switch self {
        case .candleAccepted: return .candleAccepted
        case .orderSubmitted: return .orderSubmitted
        case .orderAcknowledged: return .orderAcknowledged
        case .orderFilled: return .orderFilled
        case .orderCancelled: return .orderCancelled
        case .orderRejected: return .orderRejected
        case .operatorCommand: return .operatorCommand
        case .parameterChange: return .parameterChange
        case .contextUpdate: return .contextUpdate
        case .venueReport: return .venueReport
        }
    }
}

/// The stored kind code of an event (the journal's `kind` column), so the
/// journal can be filtered by kind without decoding payloads. Codes are
/// permanent: never renumber one.
public enum JournalEventKind: UInt8, Sendable, CaseIterable {
    case candleAccepted = 1
    case orderSubmitted = 2
    case orderAcknowledged = 3
    case orderFilled = 4
    case orderCancelled = 5
    case orderRejected = 6
    case operatorCommand = 7
    case parameterChange = 8
    case contextUpdate = 9
    case venueReport = 10
}

/// A remote venue's report on one order, as journaled: which order, what happened,
/// and — for an execution — the fill (its fee in the quote currency) and the order's
/// cumulative filled quantity after it.
public struct VenueReportEntry: Sendable, Hashable {
    public enum Kind: UInt8, Sendable {
        case acknowledged = 0, filled = 1, cancelled = 2, rejected = 3
    }

    public var kind: Kind
    public var orderID: Int64
    public var clientOrderID: String
    /// The venue's id of the order (acknowledged), or of the trade (filled); "" otherwise.
    public var venueID: String
    /// The venue's words (cancelled, rejected); "" otherwise.
    public var reason: String
    public var fill: Fill?
    public var filledQuantity: Quantity

    public init(kind: Kind, orderID: Int64, clientOrderID: String, venueID: String = "", reason: String = "", fill: Fill? = nil,
                filledQuantity: Quantity = .zero) {
        self.kind = kind
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.venueID = venueID
        self.reason = reason
        self.fill = fill
        self.filledQuantity = filledQuantity
    }
}

/// An order as the gate accepted it: ids, the rounded intent, and why.
public struct OrderSubmission: Sendable, Hashable {
    public var orderID: Int64
    public var clientOrderID: String
    public var symbol: Int
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    public var reason: String

    public init(orderID: Int64, clientOrderID: String, symbol: Int, side: OrderSide, type: OrderType,
                quantity: Quantity, reason: String) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.reason = reason
    }

    public init(_ order: Order) {
        self.init(orderID: order.id, clientOrderID: order.clientOrderID, symbol: order.symbol, side: order.side,
                  type: order.type, quantity: order.quantity, reason: order.reason)
    }
}

public struct OrderAcknowledgement: Sendable, Hashable {
    public var orderID: Int64
    public var clientOrderID: String
    /// The venue's own id for the order ("" for the paper broker).
    public var venueOrderID: String

    public init(orderID: Int64, clientOrderID: String, venueOrderID: String) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.venueOrderID = venueOrderID
    }
}

/// The end of an order that did not fill: cancelled or rejected, and why.
public struct OrderClosure: Sendable, Hashable {
    public var orderID: Int64
    public var clientOrderID: String
    public var reason: String

    public init(orderID: Int64, clientOrderID: String, reason: String) {
        self.orderID = orderID
        self.clientOrderID = clientOrderID
        self.reason = reason
    }
}

public struct OperatorCommand: Sendable, Hashable {
    public var name: String
    /// Encoded sorted by name, so equal commands always encode to equal bytes.
    public var arguments: [String: String]

    public init(name: String, arguments: [String: String] = [:]) {
        self.name = name
        self.arguments = arguments
    }
}

public struct ContextUpdate: Sendable, Hashable {
    public var key: String
    public var value: String

    public init(key: String, value: String) {
        self.key = key
        self.value = value
    }
}

/// One journaled event and its place in the stream.
public struct JournalEntry: Sendable, Hashable {
    /// 1, 2, 3, … without holes; assigned by the single writer (the engine).
    public var sequence: Int64
    /// The event's own time (Unix ms): a candle's open time, a command's arrival.
    public var time: Int64
    public var event: JournalEvent

    public init(sequence: Int64, time: Int64, event: JournalEvent) {
        self.sequence = sequence
        self.time = time
        self.event = event
    }
}
