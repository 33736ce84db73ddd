/// Equity after every step (one step = every symbol's bar at one open time),
/// marked at the bars' closes. `Double`: this is statistics, not books — the
/// exact equity is always `Ledger.equity(marks:)`.
///
/// Steps are nearly always one bar apart, so times are kept as segments: a new
/// segment starts only at the first step and after a gap. A million steps cost
/// 8 MB of equity values and a few bytes of times.
public struct EquityCurve: Sendable, Codable {
    struct Segment: Sendable, Equatable, Codable {
        var firstStep: Int
        var firstTime: Int64
    }

    public let barMilliseconds: Int64
    public private(set) var equity: [Double] = []
    private var segments: [Segment] = []
    private var lastTime: Int64 = .min
    /// Steps during which some position was open (for the exposure metric).
    public private(set) var stepsInMarket = 0

    public init(barMilliseconds: Int64, expectedSteps: Int = 0) {
        self.barMilliseconds = barMilliseconds
        equity.reserveCapacity(expectedSteps)
    }

    public var count: Int { equity.count }

    public mutating func append(time: Int64, equity value: Double, inMarket: Bool) {
        if time &- lastTime != barMilliseconds {
            segments.append(Segment(firstStep: equity.count, firstTime: time))
        }
        lastTime = time
        equity.append(value)
        if inMarket { stepsInMarket += 1 }
    }

    /// Equity of the last step that opened before `time`, nil when none did.
    /// Walks the segments (one per gap), not the steps: cheap enough for every status call.
    public func equity(before time: Int64) -> Double? {
        guard let k = segments.lastIndex(where: { $0.firstTime < time }) else { return nil }
        let segment = segments[k]
        let end = k + 1 < segments.count ? segments[k + 1].firstStep : equity.count
        let steps = Int((time - segment.firstTime + barMilliseconds - 1) / barMilliseconds)   // steps opening before `time`
        return equity[segment.firstStep + min(steps, end - segment.firstStep) - 1]
    }

    /// The open time of every step.
    public var times: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(equity.count)
        for (k, segment) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].firstStep : equity.count
            for i in 0..<(end - segment.firstStep) { out.append(segment.firstTime + Int64(i) * barMilliseconds) }
        }
        return out
    }
}
