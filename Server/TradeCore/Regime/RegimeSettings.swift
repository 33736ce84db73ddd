/// How regimes are detected in a run — chosen by configuration.
///
/// - `rule`: `RuleRegimeClassifier` on ADX(14), +DI/−DI, EMA(20)/EMA(50),
///   ATR(14) and the ATR volatility ratio; a reading from the first bar on which
///   every input is warm.
/// - `hmm`: a `GaussianHMM` fitted by Baum–Welch on the first `hmmTrainingBars`
///   log returns *of the run itself* (so no future data reaches it), then
///   filtered online with the forward algorithm. Until it is fitted the reading
///   is CHOP with confidence 0 — "no opinion yet", which strategies treat as
///   the most cautious regime.
public struct RegimeSettings: Sendable, Codable, Equatable {
    public var method: RegimeMethod = .rule
    public var rule = RuleRegimeClassifier.Parameters()
    public var hmmStates = 4
    public var hmmTrainingBars = 2_000
    public var hmmMapping = HMMStateMapping.Parameters()

    public init() {}
}
