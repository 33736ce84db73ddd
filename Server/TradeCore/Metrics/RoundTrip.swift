/// A position from flat back to flat (or to a flip) in one symbol, with its
/// net result: realized PnL minus every fee paid on the way.
public struct RoundTrip: Sendable, Hashable {
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

/// Rebuilds round trips from a fill list by replaying the fills through
/// `Position` — the same exact arithmetic the ledger used.
public enum RoundTripBuilder {
    public static func build(fills: [Fill], symbolCount: Int) -> (closed: [RoundTrip], open: [RoundTrip]) {
        var positions = Array(repeating: Position(), count: symbolCount)
        var current: [RoundTrip?] = Array(repeating: nil, count: symbolCount)
        var closed: [RoundTrip] = []
        for fill in fills {
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
                if current[s] == nil {
                    current[s] = RoundTrip(symbol: s, direction: part.raw > 0 ? 1 : -1, entryTime: fill.time,
                                           exitTime: fill.time, entryBarIndex: fill.barIndex, exitBarIndex: fill.barIndex,
                                           maxQuantity: .zero, grossPnL: .zero, fees: .zero)
                }
                let realized = positions[s].apply(signedQuantity: part, at: fill.price)
                current[s]!.grossPnL += realized
                current[s]!.fees += share
                current[s]!.maxQuantity = max(current[s]!.maxQuantity, positions[s].quantity.magnitude)
                current[s]!.exitTime = fill.time
                current[s]!.exitBarIndex = fill.barIndex
                if positions[s].isFlat {
                    closed.append(current[s]!)
                    current[s] = nil
                }
                remaining -= part
            }
        }
        return (closed, current.compactMap { $0 })
    }
}
