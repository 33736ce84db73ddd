#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A hidden Markov model with `stateCount` hidden states, each emitting a
/// univariate Gaussian (here: one bar's log return).
///
/// Parameters: `initial` (state distribution at the first observation),
/// `transition` (row-major `stateCount × stateCount`, row i = P(next | i)),
/// `means` and `variances` per state. `fit(returns:maxIterations:tolerance:)`
/// (Baum–Welch) estimates them; everything is plain Double arithmetic in a
/// fixed order, so the same input gives bit-identical parameters.
public struct GaussianHMM: Sendable, Codable, Equatable {
    public let stateCount: Int
    public internal(set) var initial: [Double]
    public internal(set) var transition: [Double]
    public internal(set) var means: [Double]
    public internal(set) var variances: [Double]
    /// Lower bound on every state's variance; stops a state collapsing onto a
    /// few identical returns (flat outage candles), where the likelihood is
    /// unbounded.
    public let varianceFloor: Double
    /// Log-likelihood of the fitted data before the first and after every
    /// Baum–Welch iteration; empty until `fit`.
    public internal(set) var fitHistory: [Double] = []

    /// A deterministic starting point for `fit`, derived from the data:
    /// - means at the quantiles (k + ½)/K of the sorted returns, so the states
    ///   start ordered and spread over the distribution;
    /// - every variance at the sample variance (EM separates them);
    /// - a sticky transition matrix: `selfTransition` on the diagonal, the rest
    ///   shared equally — regimes persist for many bars;
    /// - a uniform initial distribution;
    /// - `varianceFloor = varianceFloorFraction ×` the sample variance
    ///   (0.01: a state's σ can't fall below a tenth of the overall σ).
    public init(stateCount: Int = 4, initialisedFrom returns: [Double],
                selfTransition: Double = 0.9, varianceFloorFraction: Double = 0.01) {
        precondition((2...StateVector.capacity).contains(stateCount),
                     "GaussianHMM needs 2…\(StateVector.capacity) states")
        precondition(returns.count >= 2 * stateCount, "too few returns to initialise the HMM")
        precondition(returns.allSatisfy(\.isFinite), "returns must be finite")
        precondition(selfTransition > 0 && selfTransition < 1, "selfTransition must be in (0, 1)")
        precondition(varianceFloorFraction > 0 && varianceFloorFraction < 1, "varianceFloorFraction must be in (0, 1)")
        let k = stateCount
        let n = returns.count
        let sorted = returns.sorted()
        let mean = returns.reduce(0, +) / Double(n)
        let variance = returns.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n)
        self.stateCount = k
        varianceFloor = max(varianceFloorFraction * variance, Double.leastNormalMagnitude)
        means = (0..<k).map { sorted[(2 * $0 + 1) * n / (2 * k)] }
        variances = Array(repeating: max(variance, varianceFloor), count: k)
        initial = Array(repeating: 1 / Double(k), count: k)
        let off = (1 - selfTransition) / Double(k - 1)
        transition = (0..<(k * k)).map { $0 / k == $0 % k ? selfTransition : off }
    }

    /// P(next = j | current = i).
    public func transition(from i: Int, to j: Int) -> Double { transition[i * stateCount + j] }

    /// Log of the Gaussian density of state `k` at `x`.
    public func logDensity(_ x: Double, state k: Int) -> Double {
        let d = x - means[k]
        return -0.5 * (log(2 * Double.pi * variances[k]) + d * d / variances[k])
    }

    /// Filtered state probabilities P(state_t | r_1…r_t) after every return
    /// (row-major: `returns.count × stateCount`) and the log-likelihood of all
    /// of them — the normalised forward pass, the batch twin of `HMMFilter`.
    public func forward(_ returns: [Double]) -> (filtered: [Double], logLikelihood: Double) {
        precondition(returns.allSatisfy(\.isFinite), "returns must be finite")
        var filtered = [Double](repeating: 0, count: returns.count * stateCount)
        let logLikelihood = filtered.withUnsafeMutableBufferPointer { forwardPass(returns, into: $0) }
        return (filtered, logLikelihood)
    }

    /// Runs the forward recursion over `returns`, writing row t of `alpha`;
    /// returns the log-likelihood.
    func forwardPass(_ returns: [Double], into alpha: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = stateCount
        var logLikelihood = 0.0
        for t in returns.indices {
            let row = UnsafeMutableBufferPointer(rebasing: alpha[(t * k)..<((t + 1) * k)])
            let previous = t == 0 ? nil : UnsafeBufferPointer(rebasing: alpha[((t - 1) * k)..<(t * k)])
            logLikelihood += forwardStep(returns[t], previous: previous, into: row)
        }
        return logLikelihood
    }

    /// One step of the normalised forward recursion: predicts the state
    /// distribution from `previous` (the prior `initial` when nil), weights it
    /// by the densities of `x`, and writes the normalised result to
    /// `posterior`. Returns log P(x | past).
    ///
    /// Underflow-free for any finite `x`: the weights are formed in log space
    /// and the largest is subtracted before exponentiating, so the largest
    /// weight is exactly 1 and the sum is ≥ 1 even when a 40σ return makes
    /// every density underflow.
    func forwardStep(_ x: Double, previous: UnsafeBufferPointer<Double>?,
                     into posterior: UnsafeMutableBufferPointer<Double>) -> Double {
        let k = stateCount
        var largest = -Double.infinity
        for j in 0..<k {
            var predicted = 0.0
            if let previous {
                for i in 0..<k { predicted += previous[i] * transition[i * k + j] }
            } else {
                predicted = initial[j]
            }
            let logWeight = log(predicted) + logDensity(x, state: j)
            posterior[j] = logWeight
            if logWeight > largest { largest = logWeight }
        }
        var sum = 0.0
        for j in 0..<k {
            let w = exp(posterior[j] - largest)
            posterior[j] = w
            sum += w
        }
        for j in 0..<k { posterior[j] /= sum }
        return largest + log(sum)
    }
}
