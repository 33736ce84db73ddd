/// The global kill switch: once equity has lost `maxLoss` (USDT) from its
/// reference (the starting equity), it trips — every position is flattened
/// and no entry is allowed — and stays tripped until an operator resumes.
/// Resuming re-arms it with the equity at that moment as the new reference
/// (the operator has accepted the loss so far; otherwise it would trip again at once).
public struct KillSwitch: Sendable, Codable {
    public private(set) var maxLoss: Double
    public private(set) var reference: Double
    public private(set) var isTripped = false
    public private(set) var trippedAt: Int64?
    public private(set) var trippedEquity = Double.nan

    public init(maxLoss: Double, reference: Double) {
        self.maxLoss = maxLoss
        self.reference = reference
    }

    /// A new limit from the next check; the reference and a trip are kept
    /// (a tripped switch stays tripped until an operator resumes).
    public mutating func adopt(maxLoss: Double) { self.maxLoss = maxLoss }

    /// The loss from the reference (positive = loss).
    public func loss(equity: Double) -> Double { reference - equity }

    /// Checks equity at `time`; returns true when this check trips the switch.
    public mutating func check(equity: Double, time: Int64) -> Bool {
        guard !isTripped, loss(equity: equity) >= maxLoss else { return false }
        isTripped = true
        trippedAt = time
        trippedEquity = equity
        return true
    }

    /// Operator command: allow entries again, measuring losses from `equity`.
    public mutating func resume(equity: Double) {
        isTripped = false
        reference = equity
    }
}
