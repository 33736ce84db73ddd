/// Baum–Welch (EM) estimation for `GaussianHMM`.
///
/// E-step: the normalised forward pass (`forwardPass`), then a backward
/// smoothing pass in the "filter–smoother" form
///     γ_t(i)   = Σ_j ξ_t(i, j),
///     ξ_t(i,j) = α̂_t(i) A_ij γ_{t+1}(j) / p_{t+1}(j),   p_{t+1}(j) = Σ_k α̂_t(k) A_kj,
/// where α̂ are the filtered probabilities and p the one-step predictions.
/// It needs no densities and every factor α̂_t(i) A_ij / p_{t+1}(j) is ≤ 1,
/// so — unlike the classic scaled β recursion — nothing can overflow on an
/// extreme return. (A prediction of exactly 0 implies γ_{t+1}(j) = 0 and the
/// term is skipped.)
///
/// M-step, the exact maximiser of the expected complete-data log-likelihood:
/// `initial = γ_0`; `A_ij = Σ_t ξ_t(i,j) / Σ_t,j ξ_t(i,j)`; means and variances
/// are γ-weighted, each variance raised to `varianceFloor` if below it (the
/// constrained maximiser, since the objective is unimodal in the variance),
/// so EM's log-likelihood never decreases. A state with no posterior weight
/// at all keeps its previous parameters.
extension GaussianHMM {
    /// Fits the parameters to `returns` (finite log returns, oldest first),
    /// starting from the current ones. Stops after `maxIterations` M-steps or
    /// when an iteration improves the log-likelihood by at most
    /// `tolerance × |log-likelihood|`. Records every log-likelihood in
    /// `fitHistory`; the last entry belongs to the final parameters.
    public mutating func fit(returns: [Double], maxIterations: Int = 200, tolerance: Double = 1e-8) {
        precondition(returns.count >= 2, "fit needs at least two returns")
        precondition(returns.allSatisfy(\.isFinite), "returns must be finite")
        precondition(maxIterations >= 0 && tolerance >= 0, "maxIterations and tolerance must be ≥ 0")
        var posterior = [Double](repeating: 0, count: returns.count * stateCount)
        var history: [Double] = []
        posterior.withUnsafeMutableBufferPointer { buffer in
            for iteration in 0...maxIterations {
                let logLikelihood = forwardPass(returns, into: buffer)
                let improvement = logLikelihood - (history.last ?? -.infinity)
                history.append(logLikelihood)
                if iteration == maxIterations || improvement <= tolerance * abs(logLikelihood) { break }
                let pairs = smooth(buffer, count: returns.count)
                maximise(returns, posterior: buffer, transitionCounts: pairs)
            }
        }
        fitHistory = history
    }

    /// Turns the filtered probabilities in `alpha` into smoothed ones γ in
    /// place (row by row, from the end) and returns Σ_t ξ_t, row-major.
    private func smooth(_ alpha: UnsafeMutableBufferPointer<Double>, count: Int) -> [Double] {
        let k = stateCount
        var pairs = [Double](repeating: 0, count: k * k)
        var predicted = [Double](repeating: 0, count: k)
        var smoothed = [Double](repeating: 0, count: k)
        for t in stride(from: count - 2, through: 0, by: -1) {
            let now = t * k, next = (t + 1) * k
            for j in 0..<k {
                var p = 0.0
                for i in 0..<k { p += alpha[now + i] * transition[i * k + j] }
                predicted[j] = p
            }
            for i in 0..<k {
                var g = 0.0
                for j in 0..<k where predicted[j] > 0 {
                    let xi = alpha[now + i] * transition[i * k + j] / predicted[j] * alpha[next + j]
                    pairs[i * k + j] += xi
                    g += xi
                }
                smoothed[i] = g
            }
            for i in 0..<k { alpha[now + i] = smoothed[i] }
        }
        return pairs
    }

    /// The M-step from smoothed probabilities γ (row-major) and Σ_t ξ_t.
    private mutating func maximise(_ returns: [Double], posterior gamma: UnsafeMutableBufferPointer<Double>,
                                   transitionCounts pairs: [Double]) {
        let k = stateCount
        initial = Array(gamma[0..<k])
        for i in 0..<k {
            let rowSum = pairs[(i * k)..<((i + 1) * k)].reduce(0, +)
            guard rowSum > 0 else { continue }
            for j in 0..<k { transition[i * k + j] = pairs[i * k + j] / rowSum }
        }
        var weight = [Double](repeating: 0, count: k)
        var weightedSum = [Double](repeating: 0, count: k)
        for (t, x) in returns.enumerated() {
            for i in 0..<k {
                weight[i] += gamma[t * k + i]
                weightedSum[i] += gamma[t * k + i] * x
            }
        }
        var squares = [Double](repeating: 0, count: k)
        for i in 0..<k where weight[i] > 0 { means[i] = weightedSum[i] / weight[i] }
        for (t, x) in returns.enumerated() {
            for i in 0..<k {
                let d = x - means[i]
                squares[i] += gamma[t * k + i] * d * d
            }
        }
        for i in 0..<k where weight[i] > 0 { variances[i] = max(squares[i] / weight[i], varianceFloor) }
    }
}
