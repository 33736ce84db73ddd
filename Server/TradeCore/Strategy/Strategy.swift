/// What a strategy sees when a bar of one of its timeframes closes.
///
/// Everything here is known at the bar's close; nothing from the future. The
/// engine builds it on the stack for each call (no allocation).
public struct BarContext: Sendable, Codable {
    /// Index of the symbol in the run's instrument list.
    public var symbol: Int
    public var timeframe: Timeframe
    public var candle: Candle
    /// Index of this bar in the symbol's stream of this timeframe, counted from
    /// the first bar of the data (for the base timeframe: the data file's row).
    public var barIndex: Int
    /// Net position in the symbol, after every fill up to this bar.
    public var position: Quantity
    /// The symbol's lot size: orders trade whole lots.
    public var lot: Quantity
    /// Orders of this symbol still working at the broker.
    public var workingOrders: Int
    /// Account equity at this bar's close (Double: for sizing, not for books).
    public var equity: Double
    public var cash: Double
    /// The shared indicators and regime of this symbol and timeframe at this
    /// close — present when the strategy's `usesFeatures` is true.
    public var features: FeatureSnapshot?

    public init(symbol: Int, timeframe: Timeframe, candle: Candle, barIndex: Int, position: Quantity,
                lot: Quantity = Quantity(raw: 1), workingOrders: Int, equity: Double, cash: Double,
                features: FeatureSnapshot? = nil) {
        self.lot = lot
        self.symbol = symbol
        self.timeframe = timeframe
        self.candle = candle
        self.barIndex = barIndex
        self.position = position
        self.workingOrders = workingOrders
        self.equity = equity
        self.cash = cash
        self.features = features
    }

    /// The position in whole lots (toward zero): what an order can close. Below one lot
    /// is dust — what a buy's fee taken in coins leaves — and counts as flat.
    public var tradablePosition: Quantity { Quantity(raw: position.raw / lot.raw * lot.raw) }

    private enum CodingKeys: String, CodingKey {
        case symbol, timeframe, candle, barIndex, position, lot, workingOrders, equity, cash, features
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(symbol: try c.decode(Int.self, forKey: .symbol), timeframe: try c.decode(Timeframe.self, forKey: .timeframe),
                  candle: try c.decode(Candle.self, forKey: .candle), barIndex: try c.decode(Int.self, forKey: .barIndex),
                  position: try c.decode(Quantity.self, forKey: .position),
                  lot: try c.decodeIfPresent(Quantity.self, forKey: .lot) ?? Quantity(raw: 1),
                  workingOrders: try c.decode(Int.self, forKey: .workingOrders), equity: try c.decode(Double.self, forKey: .equity),
                  cash: try c.decode(Double.self, forKey: .cash), features: try c.decodeIfPresent(FeatureSnapshot.self, forKey: .features))
    }
}

/// Where a strategy puts the orders it wants; the engine drains it after every
/// call. Its storage is reused, so emitting orders does not allocate per bar.
public struct OrderOutbox: Sendable, Codable {
    public private(set) var intents: [OrderIntent] = []

    public init() { intents.reserveCapacity(8) }

    public mutating func submit(_ intent: OrderIntent) { intents.append(intent) }
    public mutating func removeAll() { intents.removeAll(keepingCapacity: true) }
    public var isEmpty: Bool { intents.isEmpty }
}

/// A trading strategy: a deterministic function of the bars and fills it is
/// shown. It never reads a clock, a file or an unseeded random source; the
/// engine is the only thing that calls it, from one thread, in time order.
public protocol Strategy {
    /// Short stable name, used in reports and on the command line.
    var name: String { get }
    /// The timeframes whose closed bars this strategy wants to see, per symbol.
    /// The base timeframe of the data is always delivered first within a step.
    var timeframes: [Timeframe] { get }
    /// Whether the engine should compute `MarketFeatures` (indicators and regime)
    /// for each subscribed timeframe and pass them in `BarContext.features`.
    var usesFeatures: Bool { get }
    /// Called when a bar of a subscribed timeframe has closed.
    mutating func onBar(_ bar: BarContext, orders: inout OrderOutbox)
    /// Called for every execution of this strategy's orders, before the bar's `onBar`.
    mutating func onFill(_ fill: Fill)
    /// Called when one of its orders is rejected, with the reason.
    mutating func onReject(_ order: Order)
    /// Called when one of its working orders is cancelled (by a cancel, or by the venue).
    mutating func onCancel(_ order: Order)
    /// Called once a base bar of `symbol` has been delivered completely: after
    /// `onBar` for the base timeframe and for every higher timeframe the bar
    /// closed. A strategy that decides from several timeframes at once (or from
    /// several symbols at one time) decides here; orders it writes go through the
    /// same gate as those from `onBar`. `time` is the base bar's open time.
    mutating func onBarsDelivered(symbol: Int, time: Int64, orders: inout OrderOutbox)
    /// Called when the operator acts (between two events). For a halt or a
    /// flatten the strategy closes the positions itself, so its own books stay
    /// right; `exposure[s]` is the symbol's position after every working order.
    /// While entries are blocked the engine also refuses, as a backstop, any
    /// order that would open or grow a position.
    mutating func onOperator(_ action: OperatorAction, exposure: [Quantity], orders: inout OrderOutbox)
    /// The model inside this strategy that sent `order` (one of its own), for
    /// records and queries; the strategy's own name when it is a single model.
    func model(of order: Order) -> String
    /// What the strategy records beyond its orders and fills (its resolver's
    /// decisions, its models' trades, breakers and budgets), for the host's
    /// history, queries, health and alerts; nil when its orders are its record.
    var records: (any StrategyRecords)? { get }
    /// Lets go of records a hosted run has stored (its signal log and closed trades),
    /// and of what it keeps per order for orders numbered below `id` (all done).
    /// Nothing it decides with may be dropped: a run that forgets after every batch
    /// must decide exactly as one that never does.
    mutating func forgetStoredRecords(ordersBefore id: Int64)
}

extension Strategy {
    public var usesFeatures: Bool { false }
    public mutating func onFill(_ fill: Fill) {}
    public mutating func onReject(_ order: Order) {}
    public mutating func onCancel(_ order: Order) {}
    public mutating func onBarsDelivered(symbol: Int, time: Int64, orders: inout OrderOutbox) {}

    /// The operator's orders (a halt's or flatten's closes) are the operator's; the rest the strategy's.
    public func model(of order: Order) -> String { order.origin == .operator ? "operator" : name }

    /// A strategy whose orders are its only record.
    public var records: (any StrategyRecords)? { nil }
    public mutating func forgetStoredRecords(ordersBefore id: Int64) {}

    /// By default a halt or flatten closes each affected position with one
    /// market order; pause and resume need nothing from the strategy.
    public mutating func onOperator(_ action: OperatorAction, exposure: [Quantity], orders: inout OrderOutbox) {
        for s in action.symbolsToClose(symbolCount: exposure.count) where !exposure[s].isZero {
            orders.submit(OrderIntent(symbol: s, side: exposure[s].raw > 0 ? .sell : .buy,
                                      quantity: exposure[s].magnitude, reason: action.orderReason, origin: .operator))
        }
    }
}
