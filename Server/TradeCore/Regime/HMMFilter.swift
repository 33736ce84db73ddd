/// The online forward filter of a fitted `GaussianHMM`: one log return per
/// bar in, P(state | all returns so far) out. O(K²) per update, and no heap
/// allocation: the probabilities live in a fixed-size `StateVector`.
///
/// It runs exactly the arithmetic of `GaussianHMM.forward`, so after the
/// same returns the two agree bit for bit.
public struct HMMFilter: Sendable, Codable {
    public let model: GaussianHMM
    /// Filtered state probabilities (sum 1); `model.initial` before the first update.
    public private(set) var probabilities: StateVector
    /// Σ log P(r_t | r_1…r_{t−1}) over all updates so far.
    public private(set) var logLikelihood = 0.0
    private var started = false

    public init(model: GaussianHMM) {
        self.model = model
        probabilities = StateVector(model.initial)
    }

    /// Feeds one log return and returns the new filtered probabilities. A
    /// non-finite return (a bad or missing price) is ignored: the state is
    /// left as it was.
    @discardableResult
    public mutating func update(logReturn x: Double) -> StateVector {
        guard x.isFinite else { return probabilities }
        var previous = probabilities
        var next = StateVector(count: model.stateCount)
        let model = self.model
        let hasPrevious = started
        let logC = previous.withUnsafeMutableBufferPointer { prev in
            next.withUnsafeMutableBufferPointer { post in
                model.forwardStep(x, previous: hasPrevious ? UnsafeBufferPointer(prev) : nil, into: post)
            }
        }
        probabilities = next
        logLikelihood += logC
        started = true
        return next
    }
}
