import TradeCore

/// The simulated venue's state and its matching engine: accounts, orders and
/// trades over a replayed market. A value type with no clock of its own: every
/// call says what wall time it is, and `advance(toWall:)` first matches the
/// resting orders against the candles that closed since the last call, so the
/// same calls at the same times give the same fills.
///
/// Matching, stated once:
/// - a market order, and the marketable part of a limit order, fills at once
///   at the last traded price (taker), at most `participation` of the last
///   closed candle's volume; what is left of a market or IOC order expires
///   (as Binance's EXPIRED), what is left of a GTC limit rests;
/// - a resting limit fills (maker, at its price) on a later candle that traded
///   through it (low below a buy, high above a sell), again at most
///   `participation` of that candle's volume per order — so big orders fill
///   partially over several candles;
/// - LIMIT_MAKER that would take is refused; fees are `makerBps`/`takerBps`
///   of what is received (base for buys, quote for sells).
public struct SimulatedExchange: Sendable {
    public enum ClientIDPolicy: Sendable {
        /// Binance: a client order id may not repeat one of an open order.
        case uniqueAmongOpen
        /// Bybit: a client order id (orderLinkId) may never repeat.
        case uniqueForever
    }

    public private(set) var market: ReplayedMarket
    public private(set) var accounts: [String: SimAccount]
    /// Every order ever accepted, by id − 1.
    public private(set) var orders: [SimOrder] = []
    public private(set) var trades: [SimTrade] = []
    /// What the private streams push: every order change and the balances after it.
    public private(set) var events = AccountEventLog()
    public var participation: Double = 0.1
    public var makerBps: Int64 = 10
    public var takerBps: Int64 = 10
    public let clientIDPolicy: ClientIDPolicy
    /// Candles already matched against, per symbol.
    private var matchedCandles: [Int]
    private var openIDs: [Int64] = []
    private var clientIDs: [String: [String: Int64]] = [:]   // account → client id → latest order id

    public init(market: ReplayedMarket, accounts: [SimAccount], clientIDPolicy: ClientIDPolicy) {
        self.market = market
        self.accounts = Dictionary(uniqueKeysWithValues: accounts.map { ($0.key, $0) })
        self.clientIDPolicy = clientIDPolicy
        matchedCandles = market.series.indices.map { market.closedCount($0, at: market.start) }
    }

    /// What a client asks for.
    public struct OrderRequest: Sendable {
        public var symbol: Int
        public var side: SimOrder.Side
        public var kind: SimOrder.Kind
        public var timeInForce: SimOrder.TimeInForce?
        public var quantity: Decimal8
        public var price: Decimal8?
        public var clientID: String

        public init(symbol: Int, side: SimOrder.Side, kind: SimOrder.Kind, timeInForce: SimOrder.TimeInForce?,
                    quantity: Decimal8, price: Decimal8?, clientID: String) {
            self.symbol = symbol; self.side = side; self.kind = kind; self.timeInForce = timeInForce
            self.quantity = quantity; self.price = price; self.clientID = clientID
        }
    }

    /// A client order id the venue makes up when the client gives none.
    public func nextClientID() -> String { "sim\(orders.count + 1)" }

    // MARK: - Orders

    /// Places an order at wall time `wall`: filters, balance, client id, then
    /// the immediate fill (if any). Nothing changes when it is refused.
    public mutating func place(_ r: OrderRequest, account key: String, wall: Int64) throws(VenueRejection) -> (SimOrder, [SimTrade]) {
        advance(toWall: wall)
        guard market.series.indices.contains(r.symbol) else { throw .unknownSymbol }
        let rules = market.series[r.symbol].rules
        try Self.checkFilters(r, rules)
        let closed = market.closedCount(r.symbol, at: market.marketTime(atWall: wall))
        guard let last = market.lastPrice(r.symbol, closed: closed) else { throw .noPrice }
        if r.kind == .market, (last * r.quantity) < rules.minNotional { throw .filterFailure("NOTIONAL") }
        if let open = clientIDs[key]?[r.clientID] {
            if clientIDPolicy == .uniqueForever || orders[Int(open) - 1].status.isOpen { throw .duplicateClientOrderID }
        }
        let marketable = r.kind == .market || (r.side == .buy ? r.price! >= last : r.price! <= last)
        if r.kind == .limitMaker && marketable { throw .wouldTakeLiquidity }
        // The balance the order needs: quote at its limit (or the last price) for a buy, base for a sell.
        var account = accounts[key]!
        let (asset, need) = r.side == .buy ? (rules.quoteAsset, (r.price ?? last) * r.quantity) : (rules.baseAsset, r.quantity)
        guard account[asset].free >= need else { throw .insufficientBalance }

        let id = Int64(orders.count + 1)
        var order = SimOrder(id: id, clientID: r.clientID, account: key, symbol: r.symbol, side: r.side, kind: r.kind,
                             timeInForce: r.kind == .market ? nil : (r.timeInForce ?? .gtc), price: r.price, quantity: r.quantity,
                             created: wall, updated: wall)
        account[asset].free -= need
        account[asset].locked += need
        order.locked = need
        accounts[key] = account
        record(order, .new, nil, wall: wall)
        var fills: [SimTrade] = []
        if marketable, closed > 0 {
            let cap = Self.cap(volume: market.series[r.symbol].candles[closed - 1].volume, participation: participation, step: rules.stepSize)
            let quantity = min(order.remaining, cap)
            if !quantity.isZero {
                fills.append(execute(&order, quantity: quantity, price: last, maker: false, wall: wall,
                                     marketTime: market.marketTime(atWall: wall)))
            }
        }
        if order.status.isOpen, order.kind == .market || order.timeInForce == .ioc || order.timeInForce == .fok {
            release(&order, status: .expired, wall: wall)
        }
        orders.append(order)
        if order.status.isOpen { openIDs.append(id) }
        clientIDs[key, default: [:]][r.clientID] = id
        return (order, fills)
    }

    /// Cancels an open order of `key` by its id or client id.
    public mutating func cancel(account key: String, symbol: Int, id: Int64?, clientID: String?, wall: Int64) throws(VenueRejection) -> SimOrder {
        advance(toWall: wall)
        guard let found = order(account: key, symbol: symbol, id: id, clientID: clientID), found.status.isOpen else { throw .unknownOrder }
        var o = found
        release(&o, status: .canceled, wall: wall)
        orders[Int(o.id) - 1] = o
        openIDs.removeAll { $0 == o.id }
        return o
    }

    /// An order of `key` on `symbol` by id, or by client id (its latest use).
    public func order(account key: String, symbol: Int, id: Int64?, clientID: String?) -> SimOrder? {
        let found: Int64? = id ?? clientID.flatMap { clientIDs[key]?[$0] }
        guard let found, found >= 1, found <= Int64(orders.count) else { return nil }
        let o = orders[Int(found) - 1]
        return o.account == key && o.symbol == symbol ? o : nil
    }

    public func openOrders(account key: String, symbol: Int?) -> [SimOrder] {
        openIDs.map { orders[Int($0) - 1] }.filter { $0.account == key && (symbol == nil || $0.symbol == symbol) }
    }

    public func trades(account key: String, symbol: Int) -> [SimTrade] {
        trades.filter { $0.account == key && $0.symbol == symbol }
    }

    public func account(_ key: String) -> SimAccount? { accounts[key] }

    // MARK: - Matching

    /// Moves a reader-paced market one bar on and matches the candle that closed; false at the end of the data.
    public mutating func stepMarket(wall: Int64) -> Bool {
        guard market.step() else { return false }
        advance(toWall: wall)
        return true
    }

    /// Matches resting orders against every candle that closed by wall time `wall`, in time order.
    public mutating func advance(toWall wall: Int64) {
        let now = market.marketTime(atWall: wall)
        for s in market.series.indices {
            let closed = market.closedCount(s, at: now)
            while matchedCandles[s] < closed {
                let k = matchedCandles[s]
                matchedCandles[s] += 1
                match(symbol: s, candle: market.series[s].candles[k], wall: wall)
            }
        }
    }

    /// A resting order's fill is stamped with the wall time its candle closed on (at a wall-paced market),
    /// or the time of the call that matched it (a reader-paced market has no such time).
    private mutating func match(symbol s: Int, candle: Candle, wall now: Int64) {
        let rules = market.series[s].rules
        let closeTime = candle.openTime + ReplayedMarket.barMilliseconds
        let wall = market.wallTime(atMarket: closeTime) ?? now
        let cap = Self.cap(volume: candle.volume, participation: participation, step: rules.stepSize)
        let low = Decimal8(exactly: candle.low), high = Decimal8(exactly: candle.high)
        for id in openIDs {
            var o = orders[Int(id) - 1]
            guard o.symbol == s, let price = o.price else { continue }
            let through = o.side == .buy ? low < price : high > price
            guard through else { continue }
            let quantity = min(o.remaining, cap)
            guard !quantity.isZero else { continue }
            _ = execute(&o, quantity: quantity, price: price, maker: true, wall: wall, marketTime: closeTime)
            orders[Int(id) - 1] = o
        }
        openIDs.removeAll { !orders[Int($0) - 1].status.isOpen }
    }

    /// Books one fill: the order, the account, the trade list.
    private mutating func execute(_ o: inout SimOrder, quantity: Decimal8, price: Decimal8, maker: Bool, wall: Int64, marketTime: Int64) -> SimTrade {
        let rules = market.series[o.symbol].rules
        let quote = price * quantity
        var account = accounts[o.account]!
        let bps = maker ? makerBps : takerBps
        let fee: Decimal8, feeAsset: String
        switch o.side {
        case .buy:
            // The reservation was at the limit (or the last price for a market order): release that share, pay the fill.
            let reserved = quantity == o.remaining ? o.locked : min(o.locked, (o.price ?? price) * quantity)
            account[rules.quoteAsset].locked -= reserved
            account[rules.quoteAsset].free += reserved - quote
            fee = quantity.basisPoints(bps); feeAsset = rules.baseAsset
            account[rules.baseAsset].free += quantity - fee
            o.locked -= reserved
        case .sell:
            account[rules.baseAsset].locked -= quantity
            fee = quote.basisPoints(bps); feeAsset = rules.quoteAsset
            account[rules.quoteAsset].free += quote - fee
            o.locked -= quantity
        }
        accounts[o.account] = account
        o.executed += quantity
        o.cumulativeQuote += quote
        o.cumulativeFee += fee
        o.status = o.remaining.isZero ? .filled : .partiallyFilled
        o.updated = wall
        if o.status == .filled, !o.locked.isZero { release(&o, status: .filled, wall: wall) }
        let trade = SimTrade(id: Int64(trades.count + 1), orderID: o.id, account: o.account, symbol: o.symbol, side: o.side,
                             price: price, quantity: quantity, quote: quote, fee: fee, feeAsset: feeAsset, maker: maker,
                             time: wall, marketTime: marketTime)
        trades.append(trade)
        record(o, .trade, trade, wall: wall)
        return trade
    }

    /// Logs an order's change and the balances it moved, for the private streams.
    private mutating func record(_ o: SimOrder, _ execution: AccountEvent.Execution, _ trade: SimTrade?, wall: Int64) {
        let rules = market.series[o.symbol].rules
        let account = accounts[o.account]!
        events.append(account: o.account, wall: wall, .order(o, execution, trade))
        events.append(account: o.account, wall: wall, .balances([rules.baseAsset: account[rules.baseAsset],
                                                                 rules.quoteAsset: account[rules.quoteAsset]]))
    }

    /// Ends an order, giving back what it still held.
    private mutating func release(_ o: inout SimOrder, status: SimOrder.Status, wall: Int64) {
        let rules = market.series[o.symbol].rules
        let asset = o.side == .buy ? rules.quoteAsset : rules.baseAsset
        var account = accounts[o.account]!
        account[asset].locked -= o.locked
        account[asset].free += o.locked
        accounts[o.account] = account
        o.locked = .zero
        o.status = status
        o.updated = wall
        switch status {
        case .canceled: record(o, .canceled, nil, wall: wall)
        case .expired: record(o, .expired, nil, wall: wall)
        default: break   // a filled order giving back what its limit over-reserved: its last trade said it all
        }
    }

    /// The most one order takes of a candle: `participation` of its volume, on the step.
    static func cap(volume: Double, participation: Double, step: Decimal8) -> Decimal8 {
        Decimal8(exactly: volume * participation).floored(to: step)
    }

    static func checkFilters(_ r: OrderRequest, _ rules: SymbolRules) throws(VenueRejection) {
        guard r.quantity >= rules.minQuantity, r.quantity <= rules.maxQuantity, r.quantity.isMultiple(of: rules.stepSize) else {
            throw .filterFailure("LOT_SIZE")
        }
        if r.kind != .market {
            guard let p = r.price, p >= rules.minPrice, p <= rules.maxPrice, p.isMultiple(of: rules.tickSize) else {
                throw .filterFailure("PRICE_FILTER")
            }
            let notional = p * r.quantity
            guard notional >= rules.minNotional, notional <= rules.maxNotional else { throw .filterFailure("NOTIONAL") }
        }
    }
}

