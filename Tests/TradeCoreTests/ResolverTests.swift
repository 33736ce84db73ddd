import Foundation
import Testing
import TestSupport
@testable import TradeCore

/// A gate with scripted answers: lets each resolver rule be seen alone.
struct ScriptedGate: ResolverGate {
    var overlay: (Signal) -> Verdict? = { _ in nil }
    var postures: [PostureClassifier.Reading] = Array(repeating: .none, count: 3)
    var holdings: [ModelID: [Int: Direction]] = [:]
    var open = 0
    var sizes: (Signal, Bool) -> EntrySize = { s, _ in
        EntrySize(sizing: SizingResult(basis: .exploration, kelly: .nan, baseRisk: 0.005, regimeMultiplier: 1,
                                       volatilityMultiplier: 1, sizeScale: 1, riskFraction: 0.005, rewardRisk: 2.5,
                                       quantity: 1, veto: nil), requested: 1, quantity: 1, verdict: nil, vetoed: false)
    }
    var riskOffSeen: [Bool] = []
    var committed: [Signal] = []

    mutating func overlayVeto(_ signal: Signal) -> Verdict? { overlay(signal) }
    func posture(symbol: Int) -> PostureClassifier.Reading { postures[symbol] }
    func held(model: ModelID, symbol: Int) -> Direction? { holdings[model]?[symbol] }
    var openPositions: Int { open }
    mutating func size(_ signal: Signal, riskOff: Bool) -> EntrySize { riskOffSeen.append(riskOff); return sizes(signal, riskOff) }
    mutating func commit(_ signal: Signal, size: EntrySize, signalIndex: Int) {
        committed.append(signal)
        holdings[signal.model, default: [:]][signal.symbol] = signal.direction
        open += 1
    }
}

/// The resolver's rules, on real signals: the aggressive model's signals on
/// the January minutes of all three symbols, re-labelled where a rule needs
/// another model or direction.
@Suite struct ResolverTests {
    static let real: [Signal] = {
        var out: [Signal] = []
        for (s, data) in [ModelsTestData.btcJan, ModelsTestData.ethJan, ModelsTestData.solJan].enumerated() {
            Replay.run(data.prefix(12_000), timeframes: [.m5]) { c, r in
                if let sig = AggressiveModel().evaluate(symbol: s, time: c.openTime, m1: r[.m1], m5: r[.m5]) { out.append(sig) }
            }
        }
        return out
    }()

    func signal(_ k: Int, model: ModelID, symbol: Int, _ d: Direction, confidence: Double? = nil) -> Signal {
        var s = Self.real[k % Self.real.count]
        s.model = model
        s.symbol = symbol
        if s.direction != d { s.direction = d; s.score = -s.score }
        if let confidence { s.confidence = confidence; s.score = d.sign * confidence }
        return s
    }

    func resolve(_ c: [Signal], _ gate: inout ScriptedGate, _ p: ResolverParameters = ResolverParameters()) -> [SignalRecord] {
        var resolver = SignalResolver(parameters: p)
        var log = SignalLog()
        var accepted: [AcceptedEntry] = []
        resolver.resolve(c, gate: &gate, log: &log, accepted: &accepted)
        #expect(log.count == c.count, "every candidate ends as exactly one record")
        #expect(accepted.count == log.records.filter { $0.decision != .vetoed }.count)
        return Array(log.records)
    }

    func record(_ r: [SignalRecord], _ model: ModelID, _ symbol: Int) -> SignalRecord? {
        r.first { $0.signal.model == model && $0.signal.symbol == symbol }
    }

    @Test func realSignalsExist() { #expect(Self.real.count > 30) }

    /// The portfolio overlay wins over everything below it.
    @Test func thePortfolioOverlayAlwaysWins() {
        var gate = ScriptedGate()
        gate.overlay = { $0.symbol == 1 ? Verdict(.killSwitch, value: 2_100, limit: 2_000) : nil }
        gate.postures[1] = .init(posture: .riskOff, score: -0.8)
        gate.holdings[.balanced] = [1: .short]
        let r = resolve([signal(0, model: .aggressive, symbol: 1, .long), signal(1, model: .aggressive, symbol: 0, .long)], &gate)
        #expect(record(r, .aggressive, 1)?.verdict == Verdict(.killSwitch, value: 2_100, limit: 2_000))
        #expect(record(r, .aggressive, 0)?.decision == .accepted)
    }

    /// RISK_OFF vetoes longs of the other models, RISK_ON their shorts; the
    /// big-picture model's own signals are not vetoed by its posture.
    @Test func theBigPicturePostureVetoesTheOthersAgainstIt() {
        var gate = ScriptedGate()
        gate.postures = [.init(posture: .riskOff, score: -0.6), .init(posture: .riskOn, score: 0.5), .none]
        let r = resolve([signal(0, model: .aggressive, symbol: 0, .long), signal(1, model: .balanced, symbol: 0, .short),
                         signal(2, model: .balanced, symbol: 1, .short), signal(3, model: .aggressive, symbol: 1, .long),
                         signal(4, model: .bigPicture, symbol: 2, .long), signal(5, model: .aggressive, symbol: 2, .short)], &gate,
                        { var p = ResolverParameters(); p.maxEntriesPerStep = 10; p.pileUpLimit = 5; return p }())
        #expect(record(r, .aggressive, 0)?.verdict.rule == .postureVeto && record(r, .aggressive, 0)?.verdict.value == -0.6)
        #expect(record(r, .balanced, 0)?.decision == .accepted)
        #expect(record(r, .balanced, 1)?.verdict.rule == .postureVeto)
        #expect(record(r, .aggressive, 1)?.decision == .accepted)
        // Symbol 2 is NEUTRAL: no posture veto (the opposite signals settle by rank instead).
        #expect(record(r, .bigPicture, 2)?.decision == .accepted)
        #expect(record(r, .aggressive, 2)?.verdict.rule == .selfCrossSameStep)
        // Exposure reduction: sizing is told when the posture is RISK_OFF.
        #expect(gate.riskOffSeen.contains(true) && gate.riskOffSeen.contains(false))
        var off = ScriptedGate()
        off.postures[0] = .init(posture: .riskOff, score: -0.6)
        var p = ResolverParameters(); p.postureVeto = false
        #expect(resolve([signal(0, model: .aggressive, symbol: 0, .long)], &off, p).first?.decision == .accepted)
    }

    /// Opposite signals in one step never both execute: the higher-ranked
    /// model's direction wins, even when the loser is more confident.
    @Test func oppositeSignalsInOneStepNeverBothExecute() {
        var gate = ScriptedGate()
        let r = resolve([signal(0, model: .aggressive, symbol: 0, .long, confidence: 0.95),
                         signal(1, model: .balanced, symbol: 0, .short, confidence: 0.5),
                         signal(2, model: .bigPicture, symbol: 1, .long, confidence: 0.4),
                         signal(3, model: .balanced, symbol: 1, .short, confidence: 0.9),
                         signal(4, model: .aggressive, symbol: 1, .long, confidence: 0.6)], &gate,
                        { var p = ResolverParameters(); p.maxEntriesPerStep = 10; return p }())
        #expect(record(r, .aggressive, 0)?.verdict == Verdict(.selfCrossSameStep, value: 1, limit: 0))
        #expect(record(r, .balanced, 0)?.decision == .accepted)
        #expect(record(r, .balanced, 1)?.verdict.rule == .selfCrossSameStep)
        #expect(record(r, .bigPicture, 1)?.decision == .accepted && record(r, .aggressive, 1)?.decision == .accepted)
        for s in 0..<2 {
            #expect(Set(gate.committed.filter { $0.symbol == s }.map(\.direction)).count == 1)
        }
    }

    /// No model opens against another model's open position in the symbol.
    @Test func noModelOpensAgainstAnothersOpenPosition() {
        var gate = ScriptedGate()
        gate.holdings[.bigPicture] = [0: .long]
        gate.open = 1
        let r = resolve([signal(0, model: .aggressive, symbol: 0, .short), signal(2, model: .aggressive, symbol: 1, .short)], &gate)
        #expect(record(r, .aggressive, 0)?.verdict == Verdict(.selfCrossOpen, value: 2, limit: 0))
        #expect(record(r, .aggressive, 1)?.decision == .accepted)
        // The same direction as the open position is fine.
        #expect(resolve([signal(1, model: .balanced, symbol: 0, .long)], &gate).first?.decision == .accepted)
        // A model holding a position does not add to it.
        var again = ScriptedGate()
        again.holdings[.aggressive] = [0: .long]
        #expect(resolve([signal(0, model: .aggressive, symbol: 0, .long)], &again).first?.verdict.rule == .alreadyInPosition)
    }

    /// A third model on the same side of a symbol needs confidence ≥ 0.8.
    @Test func pileUpNeedsAHigherConfidence() {
        for (confidence, accepted) in [(0.79, false), (0.8, true)] {
            var gate = ScriptedGate()
            gate.holdings = [.balanced: [2: .long], .bigPicture: [2: .long]]
            gate.open = 2
            let r = resolve([signal(0, model: .aggressive, symbol: 2, .long, confidence: confidence)], &gate)
            #expect((r[0].decision == .accepted) == accepted)
            if !accepted { #expect(r[0].verdict == Verdict(.pileUp, value: 0.79, limit: 0.8)) }
        }
        var one = ScriptedGate()
        one.holdings = [.balanced: [2: .long]]
        #expect(resolve([signal(0, model: .aggressive, symbol: 2, .long, confidence: 0.5)], &one)[0].decision == .accepted)
    }

    /// With two entry slots, the two most confident candidates get them,
    /// whatever order they arrived in; the open-position cap binds too.
    @Test func limitedSlotsGoToTheMostConfident() {
        var gate = ScriptedGate()
        let arrivals = [signal(0, model: .aggressive, symbol: 0, .long, confidence: 0.5),
                        signal(1, model: .aggressive, symbol: 1, .short, confidence: 0.7),
                        signal(2, model: .balanced, symbol: 2, .long, confidence: 0.9),
                        signal(3, model: .aggressive, symbol: 2, .long, confidence: 0.6)]
        let r = resolve(arrivals, &gate)
        #expect(r.map(\.signal.confidence) == [0.9, 0.7, 0.6, 0.5])
        #expect(r.map(\.decision) == [.accepted, .accepted, .vetoed, .vetoed])
        #expect(r[2].verdict == Verdict(.maxEntriesPerStep, value: 2, limit: 2))
        var full = ScriptedGate()
        full.open = 6
        #expect(resolve([arrivals[2]], &full)[0].verdict == Verdict(.maxOpenPositions, value: 6, limit: 6))
    }

    /// Sizing outcomes become RESIZED (with the binding limit) or VETOED.
    @Test func sizingDecidesBetweenAcceptedResizedAndVetoed() {
        var gate = ScriptedGate()
        let base = gate.sizes(Self.real[0], false)
        gate.sizes = { s, _ in
            var e = base
            if s.symbol == 1 { e.quantity = 0.5; e.verdict = Verdict(.assetLimit, value: 0.5, limit: 0.4) }
            if s.symbol == 2 { e.quantity = 0; e.vetoed = true; e.verdict = Verdict(.rewardRisk, value: 1.2, limit: 2) }
            return e
        }
        var p = ResolverParameters(); p.maxEntriesPerStep = 5
        let r = resolve([signal(0, model: .aggressive, symbol: 0, .long), signal(1, model: .aggressive, symbol: 1, .long),
                         signal(2, model: .aggressive, symbol: 2, .long)], &gate, p)
        #expect(record(r, .aggressive, 0)?.decision == .accepted && record(r, .aggressive, 0)?.verdict.rule == .sized)
        #expect(record(r, .aggressive, 1)?.decision == .resized && record(r, .aggressive, 1)?.quantity == 0.5)
        #expect(record(r, .aggressive, 1)?.verdict.rule == .assetLimit && record(r, .aggressive, 1)?.requestedQuantity == 1)
        #expect(record(r, .aggressive, 2)?.decision == .vetoed && record(r, .aggressive, 2)?.verdict.rule == .rewardRisk)
        #expect(gate.committed.count == 2)
    }
}

extension ResolverTests {
    /// Budgets count acceptances within the step: with a cap of two entries,
    /// three simultaneous signals (three symbols, one 4h close) get two slots,
    /// the most confident ones.
    @Test func budgetsCountTheStepsOwnAcceptances() {
        var gate = ScriptedGate()
        var budget = ModelBudget(parameters: ModelParameters.defaults(for: .bigPicture).budget)
        let t = Self.real[0].time
        budget.roll(to: t)
        var accepted = 0
        gate.overlay = { _ in accepted >= 2 ? Verdict(.tradesPerWeek, value: Double(accepted), limit: 2) : nil }
        var p = ResolverParameters(); p.maxEntriesPerStep = 5
        var resolver = SignalResolver(parameters: p)
        var log = SignalLog()
        var out: [AcceptedEntry] = []
        // The scripted overlay reads `accepted`, which the commits below advance.
        struct Counting: ResolverGate {
            var inner: ScriptedGate
            var count: () -> Void
            mutating func overlayVeto(_ s: Signal) -> Verdict? { inner.overlayVeto(s) }
            func posture(symbol: Int) -> PostureClassifier.Reading { inner.posture(symbol: symbol) }
            func held(model: ModelID, symbol: Int) -> Direction? { inner.held(model: model, symbol: symbol) }
            var openPositions: Int { inner.openPositions }
            mutating func size(_ s: Signal, riskOff: Bool) -> EntrySize { inner.size(s, riskOff: riskOff) }
            mutating func commit(_ s: Signal, size: EntrySize, signalIndex: Int) { inner.commit(s, size: size, signalIndex: signalIndex); count() }
        }
        var counting = Counting(inner: gate, count: { accepted += 1 })
        resolver.resolve([signal(0, model: .bigPicture, symbol: 0, .long, confidence: 0.5),
                          signal(1, model: .bigPicture, symbol: 1, .long, confidence: 0.7),
                          signal(2, model: .bigPicture, symbol: 2, .long, confidence: 0.6)],
                         gate: &counting, log: &log, accepted: &out)
        #expect(log.records.map(\.signal.confidence) == [0.7, 0.6, 0.5])
        #expect(log.records.map(\.decision) == [.accepted, .accepted, .vetoed])
        #expect(log.records[2].verdict.rule == .tradesPerWeek)
        budget.recordEntry(at: t)
        budget.recordEntry(at: t)
        #expect(budget.veto(at: t, unrealized: 0)?.rule == .tradesPerWeek)
    }
}
