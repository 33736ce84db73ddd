/// Notional limits, as fractions of equity.
public struct LimitParameters: Sendable, Equatable {
    /// One model's position in one symbol.
    public var maxPosition = 0.30
    /// All models together in one symbol.
    public var maxAsset = 0.40
    /// All symbols whose returns correlate with the entry's symbol at ≥ `correlationThreshold`.
    public var maxGroup = 0.60
    /// Gross, all symbols.
    public var maxTotal = 0.80
    /// Net one-sided exposure |Σ long − Σ short| after an entry. Kept below the
    /// rebalance trigger (`ExitParameters.rebalanceOneSided`, 50 %) so that an
    /// entry never sets off a rebalance; only drift can.
    public var maxOneSided = 0.45
    public var correlationThreshold = 0.7
    /// In risk-off posture the total limit is multiplied by this …
    public var riskOffTotalFactor = 0.5
    /// … and so is every entry's size.
    public var riskOffSizeFactor = 0.5

    public init() {}
}

/// Caps an entry's notional by the portfolio limits. Pure: the caller passes
/// the book's exposures (signed USDT per symbol, open positions at the marks
/// plus pending entries) and which symbols form the entry's correlated group.
public enum PortfolioLimits {
    /// The largest notional (USDT) the entry may have, and the limit that bound
    /// it if it is below `requested`. `value` in the verdict is the exposure the
    /// full request would have reached, `limit` the limit (fractions of equity).
    public static func cap(requested: Double, direction: Direction, symbol: Int, exposures: [Double],
                           inGroup: (Int) -> Bool, equity: Double, riskOff: Bool,
                           parameters p: LimitParameters) -> (notional: Double, binding: Verdict?) {
        guard equity > 0 else { return (0, Verdict(.totalExposureLimit, value: .infinity, limit: p.maxTotal)) }
        var gross = 0.0, net = 0.0, group = 0.0
        for (j, e) in exposures.enumerated() {
            gross += abs(e)
            net += e
            if j == symbol || inGroup(j) { group += abs(e) }
        }
        let totalLimit = p.maxTotal * (riskOff ? p.riskOffTotalFactor : 1)
        // Room left under each limit, in USDT; the smallest binds.
        let candidates: [(DecisionRule, Double, Double, Double)] = [
            (.positionLimit, p.maxPosition * equity, 0, p.maxPosition),
            (.assetLimit, p.maxAsset * equity - abs(exposures[symbol]), abs(exposures[symbol]), p.maxAsset),
            (.groupLimit, p.maxGroup * equity - group, group, p.maxGroup),
            (.totalExposureLimit, totalLimit * equity - gross, gross, totalLimit),
            (.oneSidedLimit, p.maxOneSided * equity - direction.sign * net, direction.sign * net, p.maxOneSided),
        ]
        var allowed = requested
        var binding: Verdict?
        for (rule, room, before, limit) in candidates where room < allowed {
            allowed = room
            binding = Verdict(rule, value: (before + requested) / equity, limit: limit)
        }
        return (max(allowed, 0), binding)
    }
}
