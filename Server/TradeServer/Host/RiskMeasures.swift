/// Historical value at risk from an equity curve: the loss of one bar that was
/// exceeded in only 5 % of the bars seen, and the mean loss in that tail
/// (expected shortfall). Fractions of equity; 0 until there are enough bars to
/// say anything.
enum RiskMeasures {
    static let minimumBars = 30

    /// (VaR, CVaR) at `confidence` over the last `window` bar returns.
    static func historical(equity: [Double], confidence: Double = 0.95, window: Int = 10_000) -> (Double, Double) {
        let start = max(1, equity.count - window)
        guard equity.count - start >= minimumBars else { return (0, 0) }
        var losses: [Double] = []
        losses.reserveCapacity(equity.count - start)
        for i in start..<equity.count where equity[i - 1] > 0 {
            losses.append(-(equity[i] / equity[i - 1] - 1))
        }
        guard losses.count >= minimumBars else { return (0, 0) }
        losses.sort(by: >)
        let tail = max(1, Int((Double(losses.count) * (1 - confidence)).rounded(.down)))
        let value = max(0, losses[tail - 1])
        let shortfall = max(0, losses[0..<tail].reduce(0, +) / Double(tail))
        return (value, shortfall)
    }
}
