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
public struct RoundTripTracker: Sendable, Codable {
    private var positions: [Position]
    private var current: [RoundTrip?]

    public init(symbolCount: Int) {
        positions = Array(repeating: Position(), count: symbolCount)
        current = Array(repeating: nil, count: symbolCount)
    }

    /// Trips still open.
    public var open: [RoundTrip] { current.compactMap { $0 } }

    /// Books one fill; calls `closed` for every trip it ends (a flip ends one and starts another).
    public mutating func add(_ fill: Fill, closed: (RoundTrip) -> Void) {
        let s = fill.symbol
        var remaining = fill.signedQuantity
        while !remaining.isZero {
            let held = positions[s].quantity
            // The part of this fill that belongs to the current trip.
            var part = remaining
            if !held.isZero && (held.raw > 0) != (remaining.raw > 0) && remaining.magnitude > held.magnitude {
                part = -held
            }
            let share = Money(raw: part.magnitude == fill.quantity
                              ? fill.fee.raw
                              : divideRoundingHalfEven(fill.fee.raw * Int128(part.magnitude.raw), Int128(fill.quantity.raw)))
            var trip = current[s] ?? RoundTrip(symbol: s, direction: part.raw > 0 ? 1 : -1, entryTime: fill.time,
                                               exitTime: fill.time, entryBarIndex: fill.barIndex, exitBarIndex: fill.barIndex,
                                               maxQuantity: .zero, grossPnL: .zero, fees: .zero)
            trip.grossPnL += positions[s].apply(signedQuantity: part, at: fill.price)
            trip.fees += share
            trip.maxQuantity = max(trip.maxQuantity, positions[s].quantity.magnitude)
            trip.exitTime = fill.time
            trip.exitBarIndex = fill.barIndex
            if positions[s].isFlat {
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
    public static func build(fills: [Fill], symbolCount: Int) -> (closed: [RoundTrip], open: [RoundTrip]) {
        var tracker = RoundTripTracker(symbolCount: symbolCount)
        var closed: [RoundTrip] = []
        for fill in fills { tracker.add(fill) { closed.append($0) } }
        return (closed, tracker.open)
    }
}
