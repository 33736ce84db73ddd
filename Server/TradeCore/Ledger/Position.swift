/// A net position in one instrument, long (quantity > 0) or short (< 0).
///
/// `costBasis` is the signed exact sum of quantity × entry price of what is
/// still open. Reducing a position releases the matching share of it
/// (rounded half-even at 1e-16, the remainder stays in the basis), so
///     realized + (quantity × mark − costBasis) + fees
/// accounts for every unit of cash that moved — the ledger identity is exact.
public struct Position: Sendable, Codable, Hashable {
    public var quantity: Quantity = .zero
    public var costBasis: Money = .zero

    public init() {}

    public var isFlat: Bool { quantity.isZero }

    /// Average entry price (for display; the books keep the exact basis).
    public var averageEntryPrice: Double {
        quantity.isZero ? 0 : costBasis.doubleValue / quantity.doubleValue
    }

    public func unrealizedPnL(at mark: Price) -> Money {
        Money(notionalOf: quantity, at: mark) - costBasis
    }

    /// Applies a signed quantity change at a price; returns the realized PnL
    /// (before fees) of the part that closed existing exposure.
    public mutating func apply(signedQuantity delta: Quantity, at price: Price) -> Money {
        guard !delta.isZero else { return .zero }
        let sameDirection = quantity.isZero || (quantity.raw > 0) == (delta.raw > 0)
        if sameDirection {
            quantity += delta
            costBasis += Money(notionalOf: delta, at: price)
            return .zero
        }
        // Opposite direction: close up to the whole position, then open the rest.
        let closing = Quantity(raw: delta.raw > 0 ? min(delta.raw, -quantity.raw) : max(delta.raw, -quantity.raw))
        let released: Money
        if closing.magnitude == quantity.magnitude {
            released = costBasis
        } else {
            released = Money(raw: divideRoundingHalfEven(costBasis.raw * Int128(closing.magnitude.raw),
                                                        Int128(quantity.magnitude.raw)))
        }
        let realized = -Money(notionalOf: closing, at: price) - released
        quantity += closing
        costBasis -= released
        let opening = delta - closing
        if !opening.isZero {
            quantity += opening
            costBasis += Money(notionalOf: opening, at: price)
        }
        return realized
    }
}
