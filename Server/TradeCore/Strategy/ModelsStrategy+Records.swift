/// The three models' records, as the host reads any strategy's.
extension ModelsStrategy: StrategyRecords {
    public var records: (any StrategyRecords)? { self }

    public var signalLog: RetainedLog<SignalRecord> { log.records }
    public var closedTrades: RetainedLog<ClosedTrade> { trades }

    public var killSwitchTripped: Bool { risk.killSwitch.isTripped }
    public var recordsTime: Int64 { risk.time }

    public func modelStates(at time: Int64) -> [ModelStanding] {
        let today = UTC.day(time)
        return ModelID.allCases.map { id in
            let b = risk.budgets[id.rawValue]
            let isToday = b.day == today
            return ModelStanding(
                name: id.name, timeframes: id.timeframes, enabled: parameters[id].enabled, breaker: risk.breakers[id.rawValue].state,
                severity: severity[id.rawValue], sharpe: edge[id.rawValue].sharpe, dailyLossLimit: b.parameters.dailyLossLimit,
                lostToday: isToday ? max(0, -b.dayRealized) : 0, maxTradesPerDay: b.parameters.maxTradesPerDay,
                tradesToday: isToday ? b.tradesToday : 0,
                cooldown: b.cooldownUntil > time ? (b.cooldownUntil, "\(b.consecutiveLosses) consecutive losses") : nil)
        }
    }
}
