public struct ResolverParameters: Sendable, Codable, Equatable {
    /// How many *other* models may already hold the same direction in a
    /// symbol before a further one needs `pileUpConfidence`.
    public var pileUpLimit = 2
    public var pileUpConfidence = 0.8
    /// At most this many model positions open (or entering) at once.
    public var maxOpenPositions = 6
    /// At most this many entries per step.
    public var maxEntriesPerStep = 2
    /// The big-picture posture vetoes the other models' entries against it.
    public var postureVeto = true

    public init() {}
}

/// What the resolver needs from the risk engine and the book. The risk engine
/// implements it; tests use small fakes.
public protocol ResolverGate {
    /// The portfolio risk overlay and the model's breaker and budget: a veto or nil.
    mutating func overlayVeto(_ signal: Signal) -> Verdict?
    /// The big-picture posture of a symbol (NEUTRAL when the model is off).
    func posture(symbol: Int) -> PostureClassifier.Reading
    /// The direction `model` holds or is entering in `symbol`.
    func held(model: ModelID, symbol: Int) -> Direction?
    /// Model positions open or entering.
    var openPositions: Int { get }
    /// Sizes an entry under every limit.
    mutating func size(_ signal: Signal, riskOff: Bool) -> EntrySize
    /// An entry was accepted: later candidates see it.
    mutating func commit(_ signal: Signal, size: EntrySize, signalIndex: Int)
}

/// The risk engine's answer for one entry.
public struct EntrySize: Sendable, Codable, Equatable {
    public var sizing: SizingResult
    /// Quantity before reductions and limits.
    public var requested: Double
    /// Quantity to send (on the lot); 0 when vetoed.
    public var quantity: Double
    /// A veto, or the reduction / limit that bound the size, or nil.
    public var verdict: Verdict?
    public var vetoed: Bool

    public init(sizing: SizingResult, requested: Double, quantity: Double, verdict: Verdict?, vetoed: Bool) {
        self.sizing = sizing
        self.requested = requested
        self.quantity = quantity
        self.verdict = verdict
        self.vetoed = vetoed
    }
}

/// Decides which of a step's candidate signals reach the market.
///
/// The veto hierarchy, in order — each level sees only what the levels above let through:
/// 1. **portfolio risk overlay** (always wins): kill switch, stale data, VaR,
///    then the model's circuit breaker and budget (`ResolverGate.overlayVeto`);
/// 2. **big-picture regime filter**: RISK_OFF vetoes other models' longs,
///    RISK_ON their shorts;
/// 3. **balanced, then aggressive**: opposite signals on one symbol in the
///    same step never both execute — the higher-ranked model's wins;
/// 4. then, candidates **ranked by confidence** (not arrival; ties by model
///    rank, then symbol): the overlay once more (budgets now count the step's
///    earlier acceptances), no model opens against another's open position in
///    the symbol (self-cross), the pile-up limit, entry slots, and the risk
///    engine's sizing and limits — each acceptance is committed before the next
///    candidate is looked at, so limits bind in confidence order.
///
/// Every candidate ends as exactly one `SignalRecord`: accepted, resized or
/// vetoed, with the rule and its numbers.
public struct SignalResolver: Sendable, Codable {
    public var parameters: ResolverParameters
    private var order: [Int] = []
    private var verdicts: [Verdict?] = []

    public init(parameters: ResolverParameters = ResolverParameters()) {
        self.parameters = parameters
        order.reserveCapacity(16)
        verdicts.reserveCapacity(16)
    }

    /// Resolves `candidates`; appends their records to `log` in ranked order and
    /// returns, through `accepted`, the log indices of those to send.
    public mutating func resolve<G: ResolverGate>(_ c: [Signal], gate: inout G, log: inout SignalLog,
                                                  accepted: inout [AcceptedEntry]) {
        accepted.removeAll(keepingCapacity: true)
        guard !c.isEmpty else { return }
        let p = parameters
        order.removeAll(keepingCapacity: true)
        order.append(contentsOf: c.indices)
        order.sort { a, b in
            if c[a].confidence != c[b].confidence { return c[a].confidence > c[b].confidence }
            if c[a].model != c[b].model { return c[a].model.rank > c[b].model.rank }
            if c[a].symbol != c[b].symbol { return c[a].symbol < c[b].symbol }
            return c[a].family.rawValue < c[b].family.rawValue
        }
        verdicts.removeAll(keepingCapacity: true)
        verdicts.append(contentsOf: repeatElement(nil, count: c.count))

        // 1. Portfolio risk overlay, model breaker and budget.
        for i in order { verdicts[i] = gate.overlayVeto(c[i]) }
        // 2. The big-picture posture.
        if p.postureVeto {
            for i in order where verdicts[i] == nil && c[i].model != .bigPicture {
                let reading = gate.posture(symbol: c[i].symbol)
                if (reading.posture == .riskOff && c[i].direction == .long)
                    || (reading.posture == .riskOn && c[i].direction == .short) {
                    verdicts[i] = Verdict(.postureVeto, value: reading.score, limit: Double(reading.posture.rawValue))
                }
            }
        }
        // 3. Opposite signals in the same step: the higher-ranked model's wins.
        // The symbol's direction is that of its highest-ranked surviving candidate
        // (which is never vetoed here, so it stays the same while others are).
        for i in order where verdicts[i] == nil {
            var top = i
            for j in c.indices where verdicts[j] == nil && c[j].symbol == c[i].symbol
                && c[j].model.rank > c[top].model.rank { top = j }
            if c[top].direction != c[i].direction {
                verdicts[i] = Verdict(.selfCrossSameStep, value: Double(c[top].model.rank), limit: Double(c[i].model.rank))
            }
        }
        // 4. In confidence order: conflicts with open positions, slots, sizing.
        var entries = 0
        for i in order {
            let s = c[i]
            // The overlay again, now that this step's earlier acceptances are
            // committed: budgets count them (three symbols' signals in one step
            // must not all pass a cap of two).
            if verdicts[i] == nil { verdicts[i] = gate.overlayVeto(s) }
            if verdicts[i] == nil { verdicts[i] = conflict(s, gate: gate) }
            if verdicts[i] == nil, gate.openPositions >= p.maxOpenPositions {
                verdicts[i] = Verdict(.maxOpenPositions, value: Double(gate.openPositions), limit: Double(p.maxOpenPositions))
            }
            if verdicts[i] == nil, entries >= p.maxEntriesPerStep {
                verdicts[i] = Verdict(.maxEntriesPerStep, value: Double(entries), limit: Double(p.maxEntriesPerStep))
            }
            if let v = verdicts[i] {
                log.append(SignalRecord(signal: s, decision: .vetoed, verdict: v))
                continue
            }
            let riskOff = gate.posture(symbol: s.symbol).posture == .riskOff
            let size = gate.size(s, riskOff: riskOff)
            let sizing = size.sizing
            if size.vetoed {
                log.append(SignalRecord(signal: s, decision: .vetoed, verdict: size.verdict ?? Verdict(.belowMinimumSize),
                                        requestedQuantity: size.requested, riskFraction: sizing.riskFraction,
                                        rewardRisk: sizing.rewardRisk, sizingBasis: sizing.basis))
                continue
            }
            let decision: SignalDecision = size.verdict == nil ? .accepted : .resized
            let index = log.append(SignalRecord(signal: s, decision: decision, verdict: size.verdict ?? Verdict(.sized),
                                                requestedQuantity: size.requested, quantity: size.quantity,
                                                riskFraction: sizing.riskFraction, rewardRisk: sizing.rewardRisk,
                                                sizingBasis: sizing.basis))
            gate.commit(s, size: size, signalIndex: index)
            accepted.append(AcceptedEntry(logIndex: index, size: size))
            entries += 1
        }
    }

    /// Self-cross against open positions and the pile-up limit.
    private func conflict<G: ResolverGate>(_ s: Signal, gate: G) -> Verdict? {
        if gate.held(model: s.model, symbol: s.symbol) != nil {
            return Verdict(.alreadyInPosition)
        }
        var same = 0
        for m in ModelID.allCases where m != s.model {
            guard let d = gate.held(model: m, symbol: s.symbol) else { continue }
            if d != s.direction { return Verdict(.selfCrossOpen, value: Double(m.rank), limit: Double(s.model.rank)) }
            same += 1
        }
        if same >= parameters.pileUpLimit && s.confidence < parameters.pileUpConfidence {
            return Verdict(.pileUp, value: s.confidence, limit: parameters.pileUpConfidence)
        }
        return nil
    }
}

/// An entry the resolver let through: its signal-log index and the size it may take.
public struct AcceptedEntry: Sendable, Codable {
    public var logIndex: Int
    public var size: EntrySize
}
