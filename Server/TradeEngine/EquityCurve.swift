/// Equity after every step (one step = every symbol's bar at one open time),
/// marked at the bars' closes. `Double`: this is statistics, not books — the
/// exact equity is always `Ledger.equity(marks:)`.
public struct EquityCurve: Sendable {
    public private(set) var times: [Int64] = []
    public private(set) var equity: [Double] = []
    /// Steps during which some position was open (for the exposure metric).
    public private(set) var stepsInMarket = 0

    public init(expectedSteps: Int = 0) {
        times.reserveCapacity(expectedSteps)
        equity.reserveCapacity(expectedSteps)
    }

    public var count: Int { times.count }

    public mutating func append(time: Int64, equity value: Double, inMarket: Bool) {
        times.append(time)
        equity.append(value)
        if inMarket { stepsInMarket += 1 }
    }
}
