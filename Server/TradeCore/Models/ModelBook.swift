/// One model's position in one symbol, from the entry decision to the last
/// exit fill: the exact position (from its own fills), what is still pending,
/// and the exit plan (stop, target, trailing level).
public struct ModelPosition: Sendable, Codable {
    /// Set when an entry is sent; nil when flat with nothing pending.
    public var direction: Direction?
    /// Exact quantity and cost basis of this model's fills only.
    public var position = Position()
    /// Unfilled part of the entry order.
    public var pendingEntry = Quantity.zero
    /// An exit order is working.
    public var exitPending = false
    /// Set once an exit was decided; a position that is still open afterwards
    /// (an entry that kept filling) is closed again for the same reason.
    public var exitReason: ExitReason?
    /// This trip's realized PnL before fees, and its fees.
    public var realized = Money.zero
    public var fees = Money.zero
    public var family = SignalFamily.trendFollowing
    /// The signal that opened it (index in the signal log).
    public var signalIndex = -1
    public var decidedAt: Int64 = .min
    /// Open time of the bar of the first entry fill.
    public var entryTime: Int64 = .min
    public var entryPrice = Double.nan
    public var stopDistance = 0.0
    public var targetDistance = 0.0
    public var stopPrice = Double.nan
    public var targetPrice = Double.nan
    /// Best price since entry (high for a long, low for a short).
    public var bestPrice = Double.nan
    public var trailLevel = Double.nan
    public var trailStage = 0
    public var maxQuantity = Quantity.zero

    public init() {}

    public var isActive: Bool { direction != nil }

    /// Position plus the pending entry, signed (base units, Double).
    public var committedQuantity: Double {
        position.quantity.doubleValue + (direction?.sign ?? 0) * pendingEntry.doubleValue
    }
}

/// A model's round trip, closed.
public struct ClosedTrade: Sendable, Codable, Equatable {
    public var model: ModelID
    public var symbol: Int
    public var family: SignalFamily
    public var direction: Direction
    public var entryTime: Int64
    public var exitTime: Int64
    public var entryPrice: Double
    public var quantity: Quantity
    public var grossPnL: Money
    public var fees: Money
    public var exitReason: ExitReason?
    public var signalIndex: Int
    public var netPnL: Money { grossPnL - fees }
}

/// A model's position that is still open (or whose entry has not filled yet):
/// the open rows of the trade list.
public struct OpenTrade: Sendable, Codable, Equatable {
    public var model: ModelID
    public var symbol: Int
    public var family: SignalFamily
    public var direction: Direction
    /// Open time of the bar of the first entry fill; `Int64.max` while nothing has filled.
    public var entryTime: Int64
    /// Average entry price (NaN while nothing has filled).
    public var entryPrice: Double
    /// Held quantity, or the pending entry while nothing has filled.
    public var quantity: Quantity
    /// Fees paid so far (the entry's).
    public var fees: Money
    public var signalIndex: Int
}

/// Every model's position in every symbol, kept from the models' own fills.
/// Index: `model.rawValue * symbolCount + symbol`.
public struct ModelBook: Sendable, Codable {
    public let symbolCount: Int
    public private(set) var positions: [ModelPosition]

    public init(symbolCount: Int) {
        self.symbolCount = symbolCount
        positions = Array(repeating: ModelPosition(), count: ModelID.allCases.count * symbolCount)
    }

    @inline(__always) public func index(_ m: ModelID, _ s: Int) -> Int { m.rawValue * symbolCount + s }
    public subscript(m: ModelID, s: Int) -> ModelPosition {
        get { positions[index(m, s)] }
        set { positions[index(m, s)] = newValue }
    }

    /// The direction `m` holds or is entering in `s` (until the last exit fill).
    @inline(__always) public func held(_ m: ModelID, _ s: Int) -> Direction? { positions[index(m, s)].direction }

    /// Every active position, by model then symbol.
    public var openTrades: [OpenTrade] {
        var out: [OpenTrade] = []
        for m in ModelID.allCases {
            for s in 0..<symbolCount {
                let p = positions[index(m, s)]
                guard let d = p.direction else { continue }
                let filled = !p.position.isFlat
                out.append(OpenTrade(model: m, symbol: s, family: p.family, direction: d,
                                     entryTime: filled ? p.entryTime : .max, entryPrice: filled ? p.entryPrice : .nan,
                                     quantity: filled ? p.position.quantity.magnitude : p.pendingEntry,
                                     fees: p.fees, signalIndex: p.signalIndex))
            }
        }
        return out
    }

    /// Active model positions (open or entering).
    public var activeCount: Int { positions.reduce(0) { $0 + ($1.isActive ? 1 : 0) } }

    /// Whether any model position is active (stops at the first).
    public var hasActive: Bool {
        for i in positions.indices where positions[i].direction != nil { return true }
        return false
    }

    /// Signed notional per symbol (USDT) of every model's committed quantity at `marks`.
    public func exposures(marks: [Double], into out: inout [Double]) {
        out.removeAll(keepingCapacity: true)
        for s in 0..<symbolCount {
            var q = 0.0
            for m in ModelID.allCases { q += positions[index(m, s)].committedQuantity }
            out.append(q * marks[s])
        }
    }

    /// Unrealized PnL of a model's open positions at `marks` (USDT).
    public func unrealized(_ m: ModelID, marks: [Double]) -> Double {
        var total = 0.0
        for s in 0..<symbolCount {
            let p = positions[index(m, s)]
            guard !p.position.isFlat else { continue }
            total += p.position.quantity.doubleValue * marks[s] - p.position.costBasis.doubleValue
        }
        return total
    }

    /// An entry was sent.
    public mutating func openEntry(_ m: ModelID, _ s: Int, direction: Direction, quantity: Quantity,
                                   signal: Signal, signalIndex: Int) {
        var p = ModelPosition()
        p.direction = direction
        p.pendingEntry = quantity
        p.family = signal.family
        p.signalIndex = signalIndex
        p.decidedAt = signal.time
        p.stopDistance = signal.stopDistance
        p.targetDistance = signal.targetDistance
        positions[index(m, s)] = p
    }

    /// The engine refused an entry order: forget what was pending.
    public mutating func entryRejected(_ m: ModelID, _ s: Int, quantity: Quantity) {
        let i = index(m, s)
        positions[i].pendingEntry -= quantity
        if positions[i].pendingEntry.raw < 0 { positions[i].pendingEntry = .zero }
        if positions[i].position.isFlat && positions[i].pendingEntry.isZero { positions[i] = ModelPosition() }
    }

    /// The model holds less than one lot and nothing is pending: no order can sell it, so the
    /// trip closes with the remainder valued at `price` (see `apply`'s dust).
    public mutating func writeOffDust(_ m: ModelID, _ s: Int, at price: Price, time: Int64, reason: ExitReason) -> ClosedTrade? {
        let i = index(m, s)
        var p = positions[i]
        guard let d = p.direction, p.pendingEntry.isZero, !p.exitPending else { return nil }
        p.realized += p.position.apply(signedQuantity: -p.position.quantity, at: price)
        positions[i] = ModelPosition()
        return ClosedTrade(model: m, symbol: s, family: p.family, direction: d, entryTime: p.entryTime, exitTime: time,
                           entryPrice: p.entryPrice, quantity: p.maxQuantity, grossPnL: p.realized, fees: p.fees,
                           exitReason: p.exitReason ?? reason, signalIndex: p.signalIndex)
    }

    /// An exit was sent.
    public mutating func exitSent(_ m: ModelID, _ s: Int, reason: ExitReason) {
        let i = index(m, s)
        positions[i].exitPending = true
        positions[i].exitReason = positions[i].exitReason ?? reason
    }

    public mutating func exitRejected(_ m: ModelID, _ s: Int) { positions[index(m, s)].exitPending = false }

    /// Books one of the model's fills; returns the trade when it closes the trip.
    ///
    /// A complete exit that leaves less than `dust` (one lot: a buy's fee taken in coins
    /// leaves a remainder no order can sell) closes the trip: the remainder is booked as
    /// realized at the fill's price — the value the account keeps — and the model is flat.
    public mutating func apply(_ fill: Fill, model m: ModelID, isEntry: Bool, exitComplete: Bool,
                               dust: Quantity = Quantity(raw: 1)) -> ClosedTrade? {
        let i = index(m, fill.symbol)
        var p = positions[i]
        p.realized += p.position.apply(signedQuantity: fill.positionChange, at: fill.price)
        if !isEntry && exitComplete && p.pendingEntry.isZero && p.position.quantity.magnitude < dust {
            p.realized += p.position.apply(signedQuantity: -p.position.quantity, at: fill.price)
        }
        p.fees += fill.fee
        if isEntry {
            p.pendingEntry -= fill.quantity
            if p.pendingEntry.raw < 0 { p.pendingEntry = .zero }
            if p.entryTime == .min { p.entryTime = fill.time }
            if let d = p.direction, !p.position.isFlat {
                // Stops and targets hang off the average entry price.
                p.entryPrice = p.position.averageEntryPrice
                p.stopPrice = p.entryPrice - d.sign * p.stopDistance
                p.targetPrice = p.entryPrice + d.sign * p.targetDistance
                if p.bestPrice.isNaN { p.bestPrice = p.entryPrice }
            }
        } else if exitComplete {
            p.exitPending = false
        }
        p.maxQuantity = max(p.maxQuantity, p.position.quantity.magnitude)
        guard p.position.isFlat, p.pendingEntry.isZero, let d = p.direction else {
            positions[i] = p
            return nil
        }
        let trade = ClosedTrade(model: m, symbol: fill.symbol, family: p.family, direction: d,
                                entryTime: p.entryTime, exitTime: fill.time, entryPrice: p.entryPrice,
                                quantity: p.maxQuantity, grossPnL: p.realized, fees: p.fees,
                                exitReason: p.exitReason, signalIndex: p.signalIndex)
        positions[i] = ModelPosition()
        return trade
    }
}
