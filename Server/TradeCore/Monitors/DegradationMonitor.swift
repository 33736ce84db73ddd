/// How badly a model's recent trading has degraded.
public enum DegradationSeverity: Int, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    case none = 0, minor, moderate, severe, critical

    public var name: String {
        switch self {
        case .none: return "NONE"
        case .minor: return "MINOR"
        case .moderate: return "MODERATE"
        case .severe: return "SEVERE"
        case .critical: return "CRITICAL"
        }
    }

    public var description: String { name }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

public struct DegradationParameters: Sendable, Codable, Equatable {
    /// Rolling window of closed trades the win rate and expectancy are read over.
    public var windowTrades = 30
    /// No grading on fewer trades (since the last baseline reset).
    public var minTrades = 10
    public var minWinRate = 0.35
    /// The model's rolling daily Sharpe (see `EdgeDecayMonitor`) below this is a breach.
    public var minSharpe = 0.0
    public var maxConsecutiveLosses = 10

    public init() {}
}

/// One assessment: which of the four conditions are breached and the grade.
///
/// Conditions: (1) win rate < `minWinRate`, (2) rolling daily Sharpe <
/// `minSharpe`, (3) ≥ `maxConsecutiveLosses` losses in a row, (4) expectancy
/// < 0. Grade = number breached: 1 minor, 2 moderate, 3 severe, 4 critical —
/// except that the consecutive-loss condition alone already grades severe (a
/// streak that long is a broken model, not noise). Win rate and expectancy
/// need `minTrades` trades since the last reset; Sharpe needs the monitor to
/// have one (else it is not counted).
public struct DegradationReading: Sendable, Codable, Equatable {
    public var severity: DegradationSeverity
    public var winRate: Double
    public var sharpe: Double?
    public var consecutiveLosses: Int
    public var expectancy: Double
    public var trades: Int
    public var winRateBreached: Bool
    public var sharpeBreached: Bool
    public var lossStreakBreached: Bool
    public var expectancyBreached: Bool
}

/// Strategy degradation of one model, from its closed trades.
public struct DegradationMonitor: Sendable, Codable {
    public private(set) var parameters: DegradationParameters
    private var pnl: RingBuffer
    /// Trades since the last baseline reset (probation after a HALT).
    public private(set) var tradesSinceReset = 0
    public private(set) var consecutiveLosses = 0

    public init(parameters: DegradationParameters = DegradationParameters()) {
        self.parameters = parameters
        pnl = RingBuffer(capacity: parameters.windowTrades)
    }

    /// New parameters; the trades in the window (the newest ones, if it
    /// shrank), the count since the last reset and the loss streak are kept.
    public mutating func adopt(_ p: DegradationParameters) {
        if p.windowTrades != parameters.windowTrades { pnl = pnl.resized(to: p.windowTrades) }
        parameters = p
    }

    public mutating func record(netPnL: Double) {
        pnl.push(netPnL)
        tradesSinceReset += 1
        consecutiveLosses = netPnL < 0 ? consecutiveLosses + 1 : 0
    }

    /// Forgets the trades so far: the model starts a probation with a clean slate.
    public mutating func resetBaseline() {
        pnl = RingBuffer(capacity: parameters.windowTrades)
        tradesSinceReset = 0
        consecutiveLosses = 0
    }

    public func assess(sharpe: Double?) -> DegradationReading {
        let p = parameters
        let n = min(pnl.count, tradesSinceReset)
        var wins = 0, total = 0.0
        for age in (pnl.count - n)..<pnl.count {
            let x = pnl[age]
            total += x
            if x > 0 { wins += 1 }
        }
        let winRate = n > 0 ? Double(wins) / Double(n) : 0
        let expectancy = n > 0 ? total / Double(n) : 0
        let graded = n >= p.minTrades
        let winBreach = graded && winRate < p.minWinRate
        let expectancyBreach = graded && expectancy < 0
        let sharpeBreach = sharpe.map { $0 < p.minSharpe } ?? false
        let streakBreach = consecutiveLosses >= p.maxConsecutiveLosses
        let count = (winBreach ? 1 : 0) + (sharpeBreach ? 1 : 0) + (streakBreach ? 1 : 0) + (expectancyBreach ? 1 : 0)
        var severity = DegradationSeverity(rawValue: count)!
        if streakBreach { severity = max(severity, .severe) }
        return DegradationReading(severity: severity, winRate: winRate, sharpe: sharpe,
                                  consecutiveLosses: consecutiveLosses, expectancy: expectancy, trades: n,
                                  winRateBreached: winBreach, sharpeBreached: sharpeBreach,
                                  lossStreakBreached: streakBreach, expectancyBreached: expectancyBreach)
    }
}
