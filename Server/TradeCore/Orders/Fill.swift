public enum Liquidity: String, Sendable, Codable, Hashable {
    case maker = "MAKER", taker = "TAKER"
}

/// One execution. `price` is already on the tick; `fee` is in quote currency.
/// The order (and its client order id) is found by `orderID`; a fill carries no
/// strings, so the fill log costs no reference counting.
///
/// A venue may charge the fee in the base asset instead (Binance and Bybit spot take
/// a buy's fee out of the coins bought): then `feeInBase` is that quantity, withheld
/// from the position, and `fee` is its value at the fill's price — counted as a fee,
/// but not taken from cash a second time.
public struct Fill: Sendable, Codable, Hashable {
    public var orderID: Int64
    public var symbol: Int
    public var side: OrderSide
    public var price: Price
    public var quantity: Quantity
    public var fee: Money
    /// The part of the fee the venue took in the base asset (zero when it was paid in quote).
    public var feeInBase: Quantity
    public var liquidity: Liquidity
    /// Open time (Unix ms) and symbol bar index of the bar the fill happened in.
    public var time: Int64
    public var barIndex: Int

    public init(orderID: Int64, symbol: Int, side: OrderSide, price: Price,
                quantity: Quantity, fee: Money, liquidity: Liquidity, time: Int64, barIndex: Int) {
        self.init(orderID: orderID, symbol: symbol, side: side, price: price, quantity: quantity, fee: fee,
                  feeInBase: .zero, liquidity: liquidity, time: time, barIndex: barIndex)
    }

    /// A fill whose fee the venue took in the base asset: `fee` becomes its exact value at `price`.
    public init(orderID: Int64, symbol: Int, side: OrderSide, price: Price, quantity: Quantity,
                feeInBase: Quantity, liquidity: Liquidity, time: Int64, barIndex: Int) {
        self.init(orderID: orderID, symbol: symbol, side: side, price: price, quantity: quantity,
                  fee: Money(notionalOf: feeInBase, at: price), feeInBase: feeInBase, liquidity: liquidity, time: time,
                  barIndex: barIndex)
    }

    private init(orderID: Int64, symbol: Int, side: OrderSide, price: Price, quantity: Quantity, fee: Money,
                 feeInBase: Quantity, liquidity: Liquidity, time: Int64, barIndex: Int) {
        self.orderID = orderID
        self.symbol = symbol
        self.side = side
        self.price = price
        self.quantity = quantity
        self.fee = fee
        self.feeInBase = feeInBase
        self.liquidity = liquidity
        self.time = time
        self.barIndex = barIndex
    }

    /// The signed quantity this fill trades (+ for buys): what moves cash.
    public var signedQuantity: Quantity { side == .buy ? quantity : -quantity }
    /// What the fill does to the position held: the traded quantity less any fee taken in the base asset.
    public var positionChange: Quantity { signedQuantity - feeInBase }
    /// The fee that leaves cash: all of it, unless the venue took it in the base asset.
    public var cashFee: Money { feeInBase.isZero ? fee : .zero }
    public var notional: Money { Money(notionalOf: quantity, at: price) }
}

extension Fill {
    private enum CodingKeys: String, CodingKey {
        case orderID, symbol, side, price, quantity, fee, feeInBase, liquidity, time, barIndex
    }

    /// Snapshots written before base-asset fees have no `feeInBase`: it was zero.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(orderID: try c.decode(Int64.self, forKey: .orderID), symbol: try c.decode(Int.self, forKey: .symbol),
                  side: try c.decode(OrderSide.self, forKey: .side), price: try c.decode(Price.self, forKey: .price),
                  quantity: try c.decode(Quantity.self, forKey: .quantity), fee: try c.decode(Money.self, forKey: .fee),
                  feeInBase: try c.decodeIfPresent(Quantity.self, forKey: .feeInBase) ?? .zero,
                  liquidity: try c.decode(Liquidity.self, forKey: .liquidity), time: try c.decode(Int64.self, forKey: .time),
                  barIndex: try c.decode(Int.self, forKey: .barIndex))
    }
}
