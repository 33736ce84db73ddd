public enum Liquidity: String, Sendable, Codable, Hashable {
    case maker = "MAKER", taker = "TAKER"
}

/// One execution. `price` is already on the tick; `fee` is in quote currency.
/// The order (and its client order id) is found by `orderID`; a fill carries no
/// strings, so the fill log costs no reference counting.
public struct Fill: Sendable, Codable, Hashable {
    public var orderID: Int64
    public var symbol: Int
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var fee: Money
    public var liquidity: Liquidity
    /// Open time (Unix ms) and symbol bar index of the bar the fill happened in.
    public var time: Int64
    public var barIndex: Int

    public init(orderID: Int64, symbol: Int, side: OrderSide, price: Price,
                quantity: Quantity, fee: Money, liquidity: Liquidity, time: Int64, barIndex: Int) {
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.liquidity = liquidity
        self.time = time
        self.barIndex = barIndex
    }

    /// The signed quantity this fill adds to a position (+ for buys).
    public var signedQuantity: Quantity { side == .buy ? quantity : -quantity }
    public var notional: Money { Money(notionalOf: quantity, at: price) }
}
