/// What a strategy records beyond its orders and fills — its resolver's
/// decisions, its models' closed trades, circuit-breaker transitions, kill
/// switch and edge alerts, and each model's standing — in one shape the host
/// reads for its history, queries, health and alerts, whatever the strategy.
/// (`Strategy.records` is nil for a strategy whose orders are its only record;
/// the host then takes each order as the strategy's signal.)
public protocol StrategyRecords {
    /// Every signal the resolver ruled on, oldest first (a hosted run holds only those not yet stored).
    var signalLog: RetainedLog<SignalRecord> { get }
    /// Round trips closed, per model, oldest first (likewise).
    var closedTrades: RetainedLog<ClosedTrade> { get }
    var breakerTransitions: [BreakerTransition] { get }
    var killSwitchEvents: [KillSwitchEvent] { get }
    var edgeAlerts: [EdgeDecayAlert] { get }
    /// Symbols whose entries the stale-data guard has frozen now.
    var staleSymbols: [Int] { get }
    var killSwitchTripped: Bool { get }
    /// The time of the last step the strategy saw (Unix ms).
    var recordsTime: Int64 { get }
    /// Each model inside the strategy as it stands at `time` (its budgets count the UTC day of `time`).
    func modelStates(at time: Int64) -> [ModelStanding]
}

/// One model's standing: what it runs on, whether it may trade, its breaker,
/// its degradation grade, and today's use of its risk budget.
public struct ModelStanding: Sendable, Equatable {
    public var name: String
    public var timeframes: [Timeframe]
    public var enabled: Bool
    public var breaker: BreakerState
    public var severity: DegradationSeverity
    /// Its rolling Sharpe ratio (edge-decay monitor), once it has one.
    public var sharpe: Double?
    public var dailyLossLimit: Double
    /// Realised loss today (0 when today is a gain).
    public var lostToday: Double
    public var maxTradesPerDay: Int?
    public var tradesToday: Int
    /// Until when a losing streak keeps it out, and why; nil when it is not cooling down.
    public var cooldown: (until: Int64, reason: String)?

    public static func == (a: ModelStanding, b: ModelStanding) -> Bool {
        a.name == b.name && a.timeframes == b.timeframes && a.enabled == b.enabled && a.breaker == b.breaker
            && a.severity == b.severity && a.sharpe == b.sharpe && a.dailyLossLimit == b.dailyLossLimit
            && a.lostToday == b.lostToday && a.maxTradesPerDay == b.maxTradesPerDay && a.tradesToday == b.tradesToday
            && a.cooldown?.until == b.cooldown?.until && a.cooldown?.reason == b.cooldown?.reason
    }
}
