/// Notional limits, as fractions of equity.
public struct LimitParameters: Sendable, Codable, Equatable {
    /// One model's position in one symbol.
    public var maxPosition = 0.30
    /// All models together in one symbol.
    public var maxAsset = 0.40
    /// A symbol's correlated group: itself and every symbol whose returns
    /// correlate with it at ≥ `correlationThreshold`. Correlation is not
    /// transitive, so an entry must keep *every* group it belongs to within this.
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
/// plus pending entries) and which pairs of symbols are correlated.
public enum PortfolioLimits {
    /// The largest notional (USDT) the entry may have, and the limit that bound
    /// it if it is below `requested`. `value` in the verdict is the exposure the
    /// full request would have reached, `limit` the limit (fractions of equity).
    /// `correlated(i, j)` must be symmetric; a symbol need not be correlated with itself.
    public static func cap(requested: Double, direction: Direction, symbol: Int, exposures: [Double],
                           correlated: (Int, Int) -> Bool, equity: Double, riskOff: Bool,
                           parameters p: LimitParameters) -> (notional: Double, binding: Verdict?) {
        guard equity > 0 else { return (0, Verdict(.totalExposureLimit, value: .infinity, limit: p.maxTotal)) }
        var gross = 0.0, net = 0.0
        for e in exposures {
            gross += abs(e)
            net += e
        }
        // Every group the entry's symbol belongs to: its own and those of its correlated symbols.
        var group = 0.0
        for g in exposures.indices where g == symbol || correlated(symbol, g) {
            var sum = 0.0
            for (j, e) in exposures.enumerated() where j == g || correlated(g, j) { sum += abs(e) }
            group = max(group, sum)
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
