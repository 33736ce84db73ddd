import TradeCore

/// A venue across the network (an exchange behind an `OrderGateway`). The engine's
/// calls only record what the venue is to be told — place this order, cancel that
/// one (by id, never all) — and its answers come back later as reports
/// (`TradingEngine.handle(.venue(_:))`), each journaled before it is applied. A value
/// type like the paper broker, so a run on it is a function of its journal: the
/// instructions are outputs of the inputs, taken and sent after the commit that
/// journaled them.
public struct RemoteVenue: ExecutionVenue, Equatable {
    public enum Instruction: Sendable, Codable, Equatable {
        case place(Order)
        case cancel(orderID: Int64, reason: String)
    }

    /// Said by the engine and not yet taken by the sender, oldest first.
    public private(set) var pending: [Instruction] = []

    public init() {}

    public mutating func marketMoved(symbol: Int, bar: Candle, barIndex: Int, into reports: inout [VenueReport]) {}

    public mutating func submit(_ order: Order, signalBar: Candle, barIndex: Int, into reports: inout [VenueReport]) {
        pending.append(.place(order))
    }

    public mutating func cancel(orderID: Int64, reason: String, into reports: inout [VenueReport]) {
        pending.append(.cancel(orderID: orderID, reason: reason))
    }

    mutating func takePending() -> [Instruction] {
        defer { pending.removeAll() }
        return pending
    }
}

extension TradingEngine where V == RemoteVenue {
    /// What the venue is to be told since the last call, in order; the caller sends it after
    /// the commit that journaled the orders.
    public mutating func takeVenueInstructions() -> [RemoteVenue.Instruction] { venue.takePending() }
}
