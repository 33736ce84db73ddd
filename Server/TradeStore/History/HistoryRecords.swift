import TradeCore

// The rows of the history lists. Symbols and models are names here, not run
// indices: history outlives runs and is read by people and other programs.
// `id` is assigned by the store (nil before a record is stored); `time` (Unix ms,
// event time) orders every list and is what time filters apply to. `run` (all
// lists but the audit log) is read from the store: the run whose batch wrote the
// row (`StoreBatch.run`), 0 for rows written outside runs; set it by writing, not
// by assigning.

/// An order and its latest state; saved again (by client order id) as it changes.
public struct OrderRecord: Sendable, Hashable {
    public var id: Int64?
    /// The run that wrote it (0: none); see the note at the top of the file.
    public internal(set) var run: Int64 = 0
    public var clientOrderID: String
    /// When it was submitted.
    public var time: Int64
    public var model: String
    public var symbol: String
    public var side: OrderSide
    public var type: OrderType
    public var quantity: Quantity
    public var filledQuantity: Quantity
    public var status: OrderStatus
    public var reason: String
    public var statusMessage: String
    /// When the state last changed.
    public var updatedAt: Int64
    /// The engine's own number for the order in its run (what the API and `cancel` use); 0 when not known.
    public var engineID: Int64

    public init(id: Int64? = nil, clientOrderID: String, time: Int64, model: String, symbol: String, side: OrderSide,
                type: OrderType, quantity: Quantity, filledQuantity: Quantity = .zero, status: OrderStatus = .open,
                reason: String = "", statusMessage: String = "", updatedAt: Int64? = nil, engineID: Int64 = 0) {
        self.id = id
        self.engineID = engineID
        self.clientOrderID = clientOrderID
        self.time = time
        self.model = model
        self.symbol = symbol
        self.side = side
        self.type = type
        self.quantity = quantity
        self.filledQuantity = filledQuantity
        self.status = status
        self.reason = reason
        self.statusMessage = statusMessage
        self.updatedAt = updatedAt ?? time
    }
}

public struct FillRecord: Sendable, Hashable {
    public var id: Int64?
    /// The run that wrote it (0: none); see the note at the top of the file.
    public internal(set) var run: Int64 = 0
    public var time: Int64
    public var model: String
    public var symbol: String
    public var clientOrderID: String
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var fee: Money
    public var liquidity: Liquidity
    /// The engine's number of the order it filled (0 when not known) and that order's reason.
    public var orderID: Int64
    public var reason: String
    /// Its place among the run's fills (1, 2, …; 0 when not known).
    public var number: Int64 = 0

    public init(id: Int64? = nil, time: Int64, model: String, symbol: String, clientOrderID: String, side: OrderSide,
                price: Price, quantity: Quantity, fee: Money, liquidity: Liquidity, orderID: Int64 = 0, reason: String = "") {
        self.id = id
        self.orderID = orderID
        self.reason = reason
        self.time = time
        self.model = model
        self.symbol = symbol
        self.clientOrderID = clientOrderID
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.liquidity = liquidity
    }
}

/// A closed round trip (flat → position → flat); `time` is the exit.
public struct TradeRecord: Sendable, Hashable {
    public var id: Int64?
    /// The run that wrote it (0: none); see the note at the top of the file.
    public internal(set) var run: Int64 = 0
    public var time: Int64
    public var model: String
    public var symbol: String
    /// +1 long, −1 short.
    public var direction: Int
    public var entryTime: Int64
    /// Largest size held.
    public var quantity: Quantity
    public var grossPnL: Money
    public var fees: Money
    public var netPnL: Money { grossPnL - fees }

    public init(id: Int64? = nil, time: Int64, model: String, symbol: String, direction: Int, entryTime: Int64,
                quantity: Quantity, grossPnL: Money, fees: Money) {
        self.id = id
        self.time = time
        self.model = model
        self.symbol = symbol
        self.direction = direction
        self.entryTime = entryTime
        self.quantity = quantity
        self.grossPnL = grossPnL
        self.fees = fees
    }

    /// A round trip of the run, named.
    public init(_ trip: RoundTrip, model: String, symbol: String) {
        self.init(time: trip.exitTime, model: model, symbol: symbol, direction: trip.direction,
                  entryTime: trip.entryTime, quantity: trip.maxQuantity, grossPnL: trip.grossPnL, fees: trip.fees)
    }
}

public enum SignalDirection: String, Sendable, Hashable, CaseIterable { case long, short, flat }

/// What became of a signal: the resolver and risk engine's verdict, or why its
/// order was not placed.
public enum SignalOutcome: String, Sendable, Hashable, CaseIterable {
    case accepted, resized, vetoed
    /// Accepted, but the order gate refused the order.
    case rejected
    /// Not acted on: the operator had paused or halted entries.
    case blocked
}

/// A model's signal with its verdict: "no trade" is data too.
public struct SignalRecord: Sendable, Hashable {
    public var id: Int64?
    /// The run that wrote it (0: none); see the note at the top of the file.
    public internal(set) var run: Int64 = 0
    public var time: Int64
    public var model: String
    public var symbol: String
    public var direction: SignalDirection
    public var confidence: Double
    public var outcome: SignalOutcome
    /// The rule that resized or vetoed it ("" when accepted as is).
    public var rule: String
    /// Why, in words and numbers.
    public var reasons: String
    /// What was sent (zero when nothing was) and the engine's number of that order (0: none).
    public var quantity: Quantity
    public var orderID: Int64
    /// Its place among the run's signals (1, 2, …; 0 when not known).
    public var number: Int64 = 0

    public init(id: Int64? = nil, time: Int64, model: String, symbol: String, direction: SignalDirection,
                confidence: Double, outcome: SignalOutcome, rule: String = "", reasons: String = "",
                quantity: Quantity = .zero, orderID: Int64 = 0) {
        self.id = id
        self.quantity = quantity
        self.orderID = orderID
        self.time = time
        self.model = model
        self.symbol = symbol
        self.direction = direction
        self.confidence = confidence
        self.outcome = outcome
        self.rule = rule
        self.reasons = reasons
    }
}

/// A circuit breaker changing state; `model`/`symbol` are "" when it applies to all.
public struct BreakerTransition: Sendable, Hashable {
    public var id: Int64?
    /// The run that wrote it (0: none); see the note at the top of the file.
    public internal(set) var run: Int64 = 0
    public var time: Int64
    public var model: String
    public var symbol: String
    public var breaker: String
    public var from: String
    public var to: String
    public var reason: String

    public init(id: Int64? = nil, time: Int64, model: String = "", symbol: String = "", breaker: String,
                from: String, to: String, reason: String) {
        self.id = id
        self.time = time
        self.model = model
        self.symbol = symbol
        self.breaker = breaker
        self.from = from
        self.to = to
        self.reason = reason
    }
}

/// One operator action as the control plane saw it.
public struct AuditEntry: Sendable, Hashable {
    public var id: Int64?
    public var time: Int64
    /// The caller's identity (certificate subject).
    public var caller: String
    public var role: String
    /// The RPC or command, e.g. "Control/Rollback".
    public var method: String
    /// What was asked, summarised.
    public var request: String
    /// "ok" or the error returned.
    public var outcome: String

    public init(id: Int64? = nil, time: Int64, caller: String, role: String, method: String, request: String,
                outcome: String) {
        self.id = id
        self.time = time
        self.caller = caller
        self.role = role
        self.method = method
        self.request = request
        self.outcome = outcome
    }
}
