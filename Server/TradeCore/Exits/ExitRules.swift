/// The position-level exits, checked on every base bar of the position's
/// symbol in this order, the first that holds deciding:
///
/// 1. **stop loss** — the bar traded through the initial stop (low ≤ stop for
///    a long, high ≥ stop for a short);
/// 2. **take profit** — the bar reached the target;
/// 3. **trailing stop** — the bar traded through the trailing level, which is
///    set from the best price of the *earlier* bars (the order of highs and lows
///    inside a bar is unknown, so a bar never trails against itself);
/// 4. **time limit** — held at least the regime's limit × the model's scale;
/// 5. **regime change** — the model's regime timeframe now trends against the
///    position;
/// 6. **thesis invalidation** — the family's reason for entry no longer holds
///    (the caller evaluates it: `EntryRules.*.invalidates`, or the posture).
///
/// An exit is a market order (it fills at the next bar's open, or at this
/// close under the `close` convention), so the exit price is not the stop price.
public enum ExitRules {
    public static func evaluate(_ p: inout ModelPosition, bar: Candle, barMilliseconds: Int64, regime: RegimeLabel,
                                thesisBroken: Bool, parameters e: ExitParameters, holdingTimeScale: Double) -> ExitReason? {
        guard let d = p.direction, !p.position.isFlat else { return nil }
        let long = d == .long
        if long ? bar.low <= p.stopPrice : bar.high >= p.stopPrice { return .stopLoss }
        if long ? bar.high >= p.targetPrice : bar.low <= p.targetPrice { return .takeProfit }
        if !p.trailLevel.isNaN, long ? bar.low <= p.trailLevel : bar.high >= p.trailLevel { return .trailingStop }
        let held = Double(bar.openTime + barMilliseconds - p.entryTime) / 60_000
        if held >= e.timeLimitMinutes(regime) * holdingTimeScale { return .timeLimit }
        if (long && regime == .trendDown) || (!long && regime == .trendUp) { return .regimeChange }
        if thesisBroken { return .thesisInvalidated }
        updateTrail(&p, bar: bar, stages: e.trailingStages)
        return nil
    }

    /// Moves the best price with this bar and ratchets the trailing level.
    static func updateTrail(_ p: inout ModelPosition, bar: Candle, stages: [TrailingStage]) {
        guard let d = p.direction, p.stopDistance > 0 else { return }
        let long = d == .long
        p.bestPrice = long ? max(p.bestPrice, bar.high) : min(p.bestPrice, bar.low)
        let profitR = (p.bestPrice - p.entryPrice) * d.sign / p.stopDistance
        var trail = Double.nan
        for s in stages where profitR >= s.triggerR { trail = s.trailR }
        guard !trail.isNaN else { return }
        let level = p.bestPrice - d.sign * trail * p.stopDistance
        if p.trailLevel.isNaN || (long ? level > p.trailLevel : level < p.trailLevel) {
            p.trailLevel = level
            p.trailStage = stages.lastIndex { profitR >= $0.triggerR }.map { $0 + 1 } ?? 0
        }
    }
}
