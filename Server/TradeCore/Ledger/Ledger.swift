/// Cash, positions and running totals of one account, in exact money.
///
/// Identity, checked by tests at every bar:
///     cash + Σ quantity × mark == initialCash + realizedPnL − feesPaid + Σ unrealized
/// Both sides are exact integers, so equality is exact, not approximate.
public struct Ledger: Sendable, Codable {
    public let initialCash: Money
    public private(set) var cash: Money
    public private(set) var positions: [Position]
    public private(set) var realizedPnL: Money = .zero
    public private(set) var feesPaid: Money = .zero
    /// Cash in `Double`, kept beside the exact value so marking an equity curve
    /// point costs no 128-bit conversions in the hot loop.
    public private(set) var cashApprox: Double
    /// How many positions are open; when none is, equity is just cash.
    public private(set) var openPositionCount = 0

    public init(initialCash: Money, symbolCount: Int) {
        self.initialCash = initialCash
        self.cash = initialCash
        self.cashApprox = initialCash.doubleValue
        self.positions = Array(repeating: Position(), count: symbolCount)
    }

    /// Books a fill: cash moves by the exact notional and fee; the position and
    /// realized PnL follow. Returns the realized PnL (before fees) of the fill.
    ///
    /// A fee taken in the base asset is withheld from the position instead of cash:
    /// cash pays the whole notional, the position gets the quantity less the fee
    /// (at the fill price), and the fee's value — exactly that notional's difference —
    /// counts in `feesPaid`, so the identity above still holds to the unit.
    @discardableResult
    public mutating func apply(_ fill: Fill) -> Money {
        cash -= Money(notionalOf: fill.signedQuantity, at: fill.price)
        cash -= fill.cashFee
        feesPaid += fill.fee
        let wasFlat = positions[fill.symbol].isFlat
        let realized = positions[fill.symbol].apply(signedQuantity: fill.positionChange, at: fill.price)
        let isFlat = positions[fill.symbol].isFlat
        if wasFlat != isFlat { openPositionCount += isFlat ? -1 : 1 }
        realizedPnL += realized
        cashApprox = cash.doubleValue
        return realized
    }

    /// Exact equity: cash plus every position at its mark.
    public func equity(marks: [Price]) -> Money {
        var total = cash
        for (i, p) in positions.enumerated() where !p.isFlat {
            total += Money(notionalOf: p.quantity, at: marks[i])
        }
        return total
    }

    /// The same equity reached the other way round, from realized and
    /// unrealized PnL; tests compare the two.
    public func equityFromPnL(marks: [Price]) -> Money {
        var unrealized = Money.zero
        for (i, p) in positions.enumerated() { unrealized += p.unrealizedPnL(at: marks[i]) }
        return initialCash + realizedPnL - feesPaid + unrealized
    }

    /// Gross notional of open positions at the marks.
    public func grossExposure(marks: [Price]) -> Money {
        var total = Money.zero
        for (i, p) in positions.enumerated() where !p.isFlat {
            let n = Money(notionalOf: p.quantity, at: marks[i])
            total += n.raw < 0 ? -n : n
        }
        return total
    }
}
