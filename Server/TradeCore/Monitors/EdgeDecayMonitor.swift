/// Edge decay of one model: the Sharpe ratio of its daily realized PnL over a
/// rolling window of UTC days (default 30), annualised by √365 like every
/// Sharpe in this engine; an alert while it is below `alertBelow` (0.5).
///
/// Daily returns are the day's realized net PnL over `referenceEquity` (the
/// run's starting equity), counted from the model's first closed trade; days
/// without a closed trade count as 0. No reading until `minDays` days and at
/// least `minActiveDays` days with a trade are in the window (one lucky day is
/// not an edge, and an idle model has no Sharpe).
public struct EdgeDecayParameters: Sendable, Codable, Equatable {
    public var windowDays = 30
    public var alertBelow = 0.5
    public var minDays = 10
    public var minActiveDays = 5

    public init() {}
}

public struct EdgeDecayAlert: Sendable, Codable, Equatable {
    public var time: Int64
    public var model: ModelID
    /// true: the alert began; false: it cleared.
    public var raised: Bool
    public var sharpe: Double
}

public struct EdgeDecayMonitor: Sendable, Codable {
    public let model: ModelID
    public private(set) var parameters: EdgeDecayParameters
    public let referenceEquity: Double
    private var days: RingBuffer
    private var started = false
    public private(set) var alerting = false
    public private(set) var sharpe: Double?

    public init(model: ModelID, referenceEquity: Double, parameters: EdgeDecayParameters = EdgeDecayParameters()) {
        self.model = model
        self.parameters = parameters
        self.referenceEquity = referenceEquity
        days = RingBuffer(capacity: parameters.windowDays)
    }

    /// New parameters; the days in the window (the newest ones, if it shrank),
    /// the alert state and the last Sharpe are kept — the Sharpe is read
    /// again, with the new window, when the next day closes.
    public mutating func adopt(_ p: EdgeDecayParameters) {
        if p.windowDays != parameters.windowDays { days = days.resized(to: p.windowDays) }
        parameters = p
    }

    /// A UTC day ended (at `time`) with the model's realized net PnL `pnl` for
    /// it and `trades` trades closed. Returns an alert change, if any.
    public mutating func closeDay(at time: Int64, pnl: Double, trades: Int) -> EdgeDecayAlert? {
        if !started && trades == 0 { return nil }
        started = true
        days.push(pnl / referenceEquity)
        sharpe = currentSharpe()
        guard let s = sharpe else { return nil }
        if !alerting && s < parameters.alertBelow {
            alerting = true
            return EdgeDecayAlert(time: time, model: model, raised: true, sharpe: s)
        }
        if alerting && s >= parameters.alertBelow {
            alerting = false
            return EdgeDecayAlert(time: time, model: model, raised: false, sharpe: s)
        }
        return nil
    }

    private func currentSharpe() -> Double? {
        let n = days.count
        guard n >= parameters.minDays, n >= 2 else { return nil }
        var sum = 0.0, active = 0
        for i in 0..<n { sum += days[i]; if days[i] != 0 { active += 1 } }
        guard active >= parameters.minActiveDays else { return nil }
        let mean = sum / Double(n)
        var ss = 0.0
        for i in 0..<n { ss += (days[i] - mean) * (days[i] - mean) }
        let sd = (ss / Double(n - 1)).squareRoot()
        guard sd > 0 else { return nil }
        return mean / sd * 365.0.squareRoot()
    }
}
