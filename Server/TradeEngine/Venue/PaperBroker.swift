import TradeCore

/// A simulated exchange that fills orders against bars.
///
/// Rules (all deterministic):
/// - Orders submitted while bar t is being decided are first matched against bar
///   t+1 — except market orders under the `close` convention, which fill at once
///   at bar t's close.
/// - Market: at the bar's open (`next-open`) or close (`close`), plus slippage.
/// - Limit (maker fee, no slippage): buy fills when low ≤ limit, at
///   min(open, limit); sell when high ≥ limit, at max(open, limit) — a bar that
///   opens through the limit fills at the better open.
/// - Stop (stop-market, taker): buy triggers when high ≥ stop and fills at
///   max(open, stop) plus slippage; sell triggers when low ≤ stop at
///   min(open, stop) minus slippage. Once triggered it stays a market order.
/// - Slippage is adverse: price × (fixed bps + volatility share × last completed
///   bar's (high − low) / close), rounded away from the taker to the tick.
/// - Volume: with `maxVolumeParticipation` set, at most that share of a bar's
///   volume fills per bar (rounded down to the lot); the rest carries on.
public struct PaperBroker: ExecutionVenue {
    public let configuration: PaperBrokerConfiguration
    public let instruments: [Instrument]
    /// Working orders, in submission order (matching order is submission order).
    public private(set) var working: [Order] = []
    /// Stop orders that have triggered and now fill as market orders.
    private var triggered: Set<Int64> = []
    /// The last completed bar per symbol; its (high − low) / close scales slippage.
    /// Kept whole and divided only at a fill, not on every bar.
    private var lastBar: [Candle]

    public init(configuration: PaperBrokerConfiguration, instruments: [Instrument]) {
        self.configuration = configuration
        self.instruments = instruments
        self.lastBar = Array(repeating: Candle(openTime: 0, open: 0, high: 0, low: 0, close: 0, volume: 0),
                             count: instruments.count)
        working.reserveCapacity(16)
    }


    /// Matches working orders of `symbol` against the bar that has just closed,
    /// then records the bar's range for later slippage. Executions are appended
    /// to `executions` in order (the caller reuses the buffer: no allocation).
    public mutating func marketMoved(symbol: Int, bar: Candle, barIndex: Int, into executions: inout [VenueReport]) {
        if !working.isEmpty {
            var i = 0
            while i < working.count {
                if working[i].symbol == symbol, let price = triggerPrice(for: working[i], bar: bar) {
                    if fill(index: i, at: price.price, liquidity: price.liquidity, bar: bar,
                            barIndex: barIndex, into: &executions) {
                        working.remove(at: i)
                        continue
                    }
                }
                i += 1
            }
        }
        lastBar[symbol] = bar
    }

    /// Accepts an order. Under `close`, a market order fills at once at the
    /// signal bar's close (as far as the bar's volume allows); otherwise, and
    /// for any remainder, it waits for the next bar.
    public mutating func submit(_ order: Order, signalBar: Candle, barIndex: Int,
                                into executions: inout [VenueReport]) {
        working.append(order)
        if configuration.fillConvention == .close, case .market = order.type {
            let price = slipped(Price(signalBar.close), side: order.side, symbol: order.symbol)
            if fill(index: working.count - 1, at: price, liquidity: .taker, bar: signalBar,
                    barIndex: barIndex, into: &executions) {
                working.removeLast()
            }
        }
    }

    /// Cancels a working order by id; an id it does not hold (filled already, or never
    /// given) is refused as a venue refuses an unknown order.
    public mutating func cancel(orderID: Int64, reason: String, into reports: inout [VenueReport]) {
        guard let i = working.firstIndex(where: { $0.id == orderID }) else {
            reports.append(.rejected(orderID: orderID, reason: "cancel refused: order \(orderID) is not working at the paper broker"))
            return
        }
        working.remove(at: i)
        triggered.remove(orderID)
        reports.append(.cancelled(orderID: orderID, reason: reason))
    }

    // MARK: - Matching

    private mutating func triggerPrice(for order: Order, bar: Candle) -> (price: Price, liquidity: Liquidity)? {
        let instrument = instruments[order.symbol]
        switch order.type {
        case .market:
            let base = configuration.fillConvention == .close ? bar.close : bar.open
            return (slipped(Price(base), side: order.side, symbol: order.symbol), .taker)
        case .limit(let limit):
            let open = instrument.round(Price(bar.open), .nearest)
            switch order.side {
            case .buy: return Price(bar.low) <= limit ? (min(open, limit), .maker) : nil
            case .sell: return Price(bar.high) >= limit ? (max(open, limit), .maker) : nil
            }
        case .stop(let stop):
            let open = Price(bar.open)
            if triggered.contains(order.id) {
                return (slipped(open, side: order.side, symbol: order.symbol), .taker)
            }
            let hit: Bool
            let base: Price
            switch order.side {
            case .buy: hit = Price(bar.high) >= stop; base = max(open, stop)
            case .sell: hit = Price(bar.low) <= stop; base = min(open, stop)
            }
            guard hit else { return nil }
            triggered.insert(order.id)
            return (slipped(base, side: order.side, symbol: order.symbol), .taker)
        }
    }

    /// Adverse slippage, rounded to the tick away from the taker.
    private func slipped(_ price: Price, side: OrderSide, symbol: Int) -> Price {
        let instrument = instruments[symbol]
        let last = lastBar[symbol]
        let range = last.close > 0 ? (last.high - last.low) / last.close : 0
        let share = configuration.slippageBps / 10_000 + configuration.volatilitySlippage * range
        guard share > 0 else { return instrument.round(price, .nearest) }
        let offset = Int64((price.doubleValue * share * Double(fixedPointScale)).rounded(.up))
        switch side {
        case .buy: return instrument.round(Price(raw: price.raw + offset), .up)
        case .sell: return instrument.round(Price(raw: max(price.raw - offset, instrument.tickSize.raw)), .down)
        }
    }

    /// Fills as much of working[index] as the bar's volume allows. Returns true
    /// when the order is complete and should leave the book.
    private mutating func fill(index: Int, at price: Price, liquidity: Liquidity, bar: Candle,
                               barIndex: Int, into executions: inout [VenueReport]) -> Bool {
        let instrument = instruments[working[index].symbol]
        var quantity = working[index].remainingQuantity
        if let share = configuration.maxVolumeParticipation {
            let available = instrument.roundDown(Quantity(raw: Int64((bar.volume * share * Double(fixedPointScale)).rounded(.down))))
            if available < quantity { quantity = available }
        }
        guard quantity.raw > 0 else { return false }
        let rate = liquidity == .maker ? configuration.makerFeeE8 : configuration.takerFeeE8
        let side = working[index].side
        working[index].filledQuantity += quantity
        let done = working[index].filledQuantity == working[index].quantity
        working[index].status = done ? .filled : .partiallyFilled
        let id = working[index].id
        if done && !triggered.isEmpty { triggered.remove(id) }
        let fill: Fill
        if configuration.buyFeeInBase && side == .buy {
            let coins = Quantity(raw: Int64(divideRoundingHalfEven(Int128(quantity.raw) * Int128(rate), Int128(fixedPointScale))))
            fill = Fill(orderID: id, symbol: working[index].symbol, side: side, price: price, quantity: quantity,
                        feeInBase: coins, liquidity: liquidity, time: bar.openTime, barIndex: barIndex)
        } else {
            fill = Fill(orderID: id, symbol: working[index].symbol, side: side, price: price, quantity: quantity,
                        fee: Money(notionalOf: quantity, at: price).scaled(byRateE8: rate), liquidity: liquidity,
                        time: bar.openTime, barIndex: barIndex)
        }
        executions.append(.filled(VenueExecution(fill: fill, status: working[index].status,
                                                 filledQuantity: working[index].filledQuantity)))
        return done
    }
}
