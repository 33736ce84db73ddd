/// A position from flat back to flat (or to a flip) in one symbol, with its
/// net result: realized PnL minus every fee paid on the way.
public struct RoundTrip: Sendable, Hashable, Codable {
    public var symbol: Int
    /// +1 long, −1 short.
    public var direction: Int
    public var entryTime: Int64
    public var exitTime: Int64
    public var entryBarIndex: Int
    public var exitBarIndex: Int
    /// Largest absolute size held during the trip.
    public var maxQuantity: Quantity
    public var grossPnL: Money
    public var fees: Money
    public var netPnL: Money { grossPnL - fees }
}

/// Follows fills as they come and says when a round trip closes, replaying
/// them through `Position` — the same exact arithmetic the ledger used.
///
/// A trip also ends when a reducing fill leaves less than one lot (`dust`): a venue
/// that took a buy's fee in coins leaves a remainder no order can sell. The dust stays
/// in the position (the arithmetic stays exact) and rides into the next trip.
public struct RoundTripTracker: Sendable, Codable {
    private var positions: [Position]
    private var current: [RoundTrip?]
    private var dust: [Quantity]

    /// `lots`: each symbol's lot size (the smallest sellable step); none means any remainder keeps a trip open.
    public init(symbolCount: Int, lots: [Quantity]? = nil) {
        positions = Array(repeating: Position(), count: symbolCount)
        current = Array(repeating: nil, count: symbolCount)
        dust = lots ?? Array(repeating: Quantity(raw: 1), count: symbolCount)
        precondition(dust.count == symbolCount, "one lot size per symbol")
    }

    private enum CodingKeys: String, CodingKey { case positions, current, dust }

    /// Snapshots from before dust: a trip ended only at flat.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        positions = try c.decode([Position].self, forKey: .positions)
        current = try c.decode([RoundTrip?].self, forKey: .current)
        dust = try c.decodeIfPresent([Quantity].self, forKey: .dust) ?? Array(repeating: Quantity(raw: 1), count: positions.count)
    }

    /// Trips still open.
    public var open: [RoundTrip] { current.compactMap { $0 } }

    /// Books one fill; calls `closed` for every trip it ends (a flip ends one and starts another).
    public mutating func add(_ fill: Fill, closed: (RoundTrip) -> Void) {
        let s = fill.symbol
        let change = fill.positionChange   // a fee taken in the base asset never reached the position
        var remaining = change
        while !remaining.isZero {
            let held = positions[s].quantity
            // The part of this fill that belongs to the current trip.
            var part = remaining
            if !held.isZero && (held.raw > 0) != (remaining.raw > 0) && remaining.magnitude > held.magnitude {
                part = -held
            }
            let share = Money(raw: part.magnitude == change.magnitude
                              ? fill.fee.raw
                              : divideRoundingHalfEven(fill.fee.raw * Int128(part.magnitude.raw), Int128(change.magnitude.raw)))
            var trip = current[s] ?? RoundTrip(symbol: s, direction: part.raw > 0 ? 1 : -1, entryTime: fill.time,
                                               exitTime: fill.time, entryBarIndex: fill.barIndex, exitBarIndex: fill.barIndex,
                                               maxQuantity: .zero, grossPnL: .zero, fees: .zero)
            let reduces = !held.isZero && (held.raw > 0) != (part.raw > 0)
            trip.grossPnL += positions[s].apply(signedQuantity: part, at: fill.price)
            trip.fees += share
            trip.maxQuantity = max(trip.maxQuantity, positions[s].quantity.magnitude)
            trip.exitTime = fill.time
            trip.exitBarIndex = fill.barIndex
            if positions[s].isFlat || (reduces && positions[s].quantity.magnitude < dust[s]) {
                closed(trip)
                current[s] = nil
            } else {
                current[s] = trip
            }
            remaining -= part
        }
    }
}

/// Round trips of a whole fill list at once.
public enum RoundTripBuilder {
    public static func build(fills: [Fill], symbolCount: Int, lots: [Quantity]? = nil) -> (closed: [RoundTrip], open: [RoundTrip]) {
        var tracker = RoundTripTracker(symbolCount: symbolCount, lots: lots)
        var closed: [RoundTrip] = []
        for fill in fills { tracker.add(fill) { closed.append($0) } }
        return (closed, tracker.open)
    }
}
