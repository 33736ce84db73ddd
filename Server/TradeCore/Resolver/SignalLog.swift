/// A signal and how it ended, with the rule and numbers that decided it.
public struct SignalRecord: Sendable, Codable, Equatable {
    public var signal: Signal
    public var decision: SignalDecision
    /// For VETOED: the veto. For RESIZED: the reduction or limit that bound the
    /// size. For ACCEPTED: `sized`.
    public var verdict: Verdict
    /// The risk engine's size before reductions and limits (base units; 0 if
    /// the signal never reached sizing).
    public var requestedQuantity: Double
    /// What was sent (base units, on the lot; 0 when vetoed).
    public var quantity: Double
    /// Fraction of equity at risk, reward:risk and the sizing basis, when sized.
    public var riskFraction: Double
    public var rewardRisk: Double
    public var sizingBasis: SizingResult.Basis?
    /// The engine's order id of the entry, 0 if none was sent.
    public var orderID: Int64 = 0
    /// The engine's order gate refused the order the resolver accepted.
    public var orderRejected = false

    public init(signal: Signal, decision: SignalDecision, verdict: Verdict, requestedQuantity: Double = 0,
                quantity: Double = 0, riskFraction: Double = .nan, rewardRisk: Double = .nan,
                sizingBasis: SizingResult.Basis? = nil) {
        self.signal = signal
        self.decision = decision
        self.verdict = verdict
        self.requestedQuantity = requestedQuantity
        self.quantity = quantity
        self.riskFraction = riskFraction
        self.rewardRisk = rewardRisk
        self.sizingBasis = sizingBasis
    }
}

/// Every signal the models produced, in decision order, with its outcome —
/// kept for queries and streams. Append-only; a hosted run lets go of the
/// records it has stored (`forgetStored`), a backtest keeps them all.
public struct SignalLog: Sendable, Codable {
    public private(set) var records = RetainedLog<SignalRecord>()

    public init() { records.reserveCapacity(1024) }

    /// Signals ever logged (also those no longer held).
    public var count: Int { records.endIndex }

    @discardableResult
    public mutating func append(_ r: SignalRecord) -> Int {
        records.append(r)
        return records.endIndex - 1
    }

    public mutating func setOrder(_ index: Int, id: Int64) { records[index].orderID = id }
    /// A rejection that arrives after its signal was stored and let go changes nothing here.
    public mutating func markRejected(_ index: Int) {
        guard !records.isForgotten(index) else { return }
        records[index].orderRejected = true
    }

    /// Drops every record held (they are stored).
    public mutating func forgetStored() { records.forget(before: records.endIndex) }

    /// Records matching every given filter; time bounds are inclusive.
    public func query(model: ModelID? = nil, symbol: Int? = nil, decision: SignalDecision? = nil,
                      from: Int64 = .min, to: Int64 = .max) -> [SignalRecord] {
        records.filter { r in
            (model == nil || r.signal.model == model) && (symbol == nil || r.signal.symbol == symbol)
                && (decision == nil || r.decision == decision) && r.signal.time >= from && r.signal.time <= to
        }
    }

    /// The resolver's table: how many signals of each model ended how, by which rule.
    public struct TableRow: Sendable, Codable, Equatable, Hashable {
        public var model: ModelID
        public var decision: SignalDecision
        public var rule: DecisionRule
    }

    public func table() -> [(TableRow, Int)] {
        var counts: [TableRow: Int] = [:]
        for r in records { counts[TableRow(model: r.signal.model, decision: r.decision, rule: r.verdict.rule), default: 0] += 1 }
        return counts.sorted { a, b in
            (a.key.model.rawValue, a.key.decision.rawValue, a.key.rule.rawValue)
                < (b.key.model.rawValue, b.key.decision.rawValue, b.key.rule.rawValue)
        }
    }
}
