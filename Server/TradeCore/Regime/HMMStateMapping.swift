/// Names the hidden states of a fitted `GaussianHMM` with regime labels, from
/// each state's mean μ and variance σ² alone, in this order:
///
/// 1. **VOLATILE** — the state with the largest variance, if that variance is
///    at least `volatileVarianceRatio` (default 2, i.e. σ ≥ 1.41×) times the
///    second-largest. Decided first, whatever its mean: a crash is a
///    volatility event before it is a trend.
/// 2. **TREND_UP** — every other state with `μ ≥ trendMeanToStd · σ`;
///    **TREND_DOWN** — every other state with `μ ≤ −trendMeanToStd · σ`.
///    Default `trendMeanToStd` 0.1: at a tenth of its own per-bar σ, a
///    drift adds up over 100 bars to one σ of the 100-bar move
///    (0.1·100 / √100 = 1) — clearly directional. Hourly BTC states drift far
///    less (fitted on 2017–2021 slices: |μ/σ| ≈ 0.05 at most; only crash
///    states reach ≈ 0.09, and those are VOLATILE first), so on 1h data the
///    HMM separates volatility regimes and trends are the rule classifier's job.
/// 3. **RANGE** — the remaining state with the smallest variance (the quiet,
///    drift-free regime); **CHOP** — any other remaining state.
///
/// Ties go to the lower state index, so the mapping is deterministic.
public struct HMMStateMapping: Sendable, Codable, Equatable {
    public struct Parameters: Sendable, Codable, Equatable {
        /// VOLATILE needs the largest variance ≥ this × the second-largest.
        public var volatileVarianceRatio: Double = 2
        /// TREND needs |μ| ≥ this × the state's σ (per bar).
        public var trendMeanToStd: Double = 0.1

        public init() {}
    }

    /// The label of each state, by state index.
    public let labels: [RegimeLabel]

    public init(means: [Double], variances: [Double], parameters: Parameters = Parameters()) {
        precondition(!means.isEmpty && means.count == variances.count, "one mean and one variance per state")
        precondition(parameters.volatileVarianceRatio >= 1 && parameters.trendMeanToStd >= 0,
                     "volatileVarianceRatio must be ≥ 1 and trendMeanToStd ≥ 0")
        var labels = [RegimeLabel?](repeating: nil, count: means.count)
        let widest = variances.indices.max { variances[$0] < variances[$1] || (variances[$0] == variances[$1] && $0 > $1) }!
        let runnerUp = variances.indices.filter { $0 != widest }.map { variances[$0] }.max()
        if let runnerUp, variances[widest] >= parameters.volatileVarianceRatio * runnerUp {
            labels[widest] = .volatile
        }
        for k in means.indices where labels[k] == nil {
            let threshold = parameters.trendMeanToStd * variances[k].squareRoot()
            if means[k] >= threshold && means[k] > 0 {
                labels[k] = .trendUp
            } else if means[k] <= -threshold && means[k] < 0 {
                labels[k] = .trendDown
            }
        }
        let quietest = means.indices.filter { labels[$0] == nil }.min { variances[$0] < variances[$1] }
        if let quietest { labels[quietest] = .range }
        self.labels = labels.map { $0 ?? .chop }
    }

    public init(model: GaussianHMM, parameters: Parameters = Parameters()) {
        self.init(means: model.means, variances: model.variances, parameters: parameters)
    }

    /// The label holding the largest filtered probability mass (summed over
    /// the states mapped to it), with that mass as the confidence.
    public func reading(from probabilities: StateVector) -> RegimeReading {
        precondition(probabilities.count == labels.count, "one probability per state")
        var best = RegimeReading(label: labels[0], confidence: -1)
        for k in labels.indices {
            var mass = 0.0
            for j in labels.indices where labels[j] == labels[k] { mass += probabilities[j] }
            if mass > best.confidence { best = RegimeReading(label: labels[k], confidence: mass) }
        }
        best.confidence = min(max(best.confidence, 0), 1)
        return best
    }
}
