import TradeCore

/// An execution and the order's state after it (no copy of the whole order:
/// its strings would cost reference counting on every fill).
public struct VenueExecution: Sendable, Codable, Equatable {
    public var fill: Fill
    public var status: OrderStatus
    public var filledQuantity: Quantity

    public init(fill: Fill, status: OrderStatus, filledQuantity: Quantity) {
        self.fill = fill
        self.status = status
        self.filledQuantity = filledQuantity
    }
}

/// What a venue says about one of the engine's orders. These are engine
/// inputs: a simulated venue hands them back from the call that caused them,
/// a remote one delivers them later (its acknowledgements, user-data stream,
/// REST confirmations), and the engine books both the same way.
public enum VenueReport: Sendable, Codable, Equatable {
    /// The venue holds the order under its own id.
    case acknowledged(orderID: Int64, venueOrderID: String)
    /// Part or all of the order traded.
    case filled(VenueExecution)
    /// The order left the book unfilled (or partly filled), by our cancel or the venue's.
    case cancelled(orderID: Int64, reason: String)
    /// The venue refused the order after the engine's gate passed it.
    case rejected(orderID: Int64, reason: String)

    public var orderID: Int64 {
        switch self {
        case .acknowledged(let id, _), .cancelled(let id, _), .rejected(let id, _): return id
        case .filled(let e): return e.fill.orderID
        }
    }
}

/// Where the engine's orders go: the paper broker (in process, matching
/// against the run's own bars), and — through the same three calls — a venue
/// adapter that puts them on an exchange. The engine keeps its own book of
/// open orders; a venue only carries orders out and reports back.
///
/// Calls append any reports they cause to `reports` (the caller's reused
/// buffer), in the order they happened; a remote venue appends nothing and
/// its reports reach the engine later through `TradingEngine.handle(.venue(_:))`.
public protocol ExecutionVenue: Sendable, Codable {
    /// A bar of `symbol` closed (the engine's clock moved): a simulated venue matches its
    /// working orders against it; a remote venue's market moves on its own.
    mutating func marketMoved(symbol: Int, bar: Candle, barIndex: Int, into reports: inout [VenueReport])
    /// Takes an order the engine's gate accepted, decided on `signalBar`.
    mutating func submit(_ order: Order, signalBar: Candle, barIndex: Int, into reports: inout [VenueReport])
    /// Cancels one order by its id — never all of them.
    mutating func cancel(orderID: Int64, reason: String, into reports: inout [VenueReport])
}

/// Everything that changes an engine's state, as one value: a journal entry
/// replays as the same input through `TradingEngine.handle(_:)`.
public enum EngineInput: Sendable, Equatable {
    /// A closed bar of the base timeframe.
    case candle(symbol: Int, candle: Candle, barIndex: Int)
    /// An acknowledgement, fill, cancel or rejection from the venue.
    case venue(VenueReport)
    /// Pause, resume, halt or flatten.
    case operatorAction(OperatorAction)
}
