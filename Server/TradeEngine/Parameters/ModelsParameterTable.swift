import TradeCore

/// One number of the models strategy's flat parameter set: its name — "models."
/// plus the dotted path of its key in the config file's `"models"` section
/// (`ModelsSettings`), so "models.aggressive.weights.trend_following.trend" is
/// `models.aggressive.weights.trend_following.trend` there —, where it lives in
/// `ModelsParameters`, and its bounds.
///
/// Two names are not config paths verbatim: "models.<model>.enabled" (0/1) is
/// the model's membership in the config's `enabled` list, and
/// "models.posture.veto" (0/1) the config's boolean. Caps where 0 means "no cap"
/// (`max_trades_per_day`, `max_trades_per_week`) are whole numbers ≥ 0, exactly
/// as in the config.
///
/// Not in the flat set, and kept as they are on adoption: each model's
/// `families` (a list), `exits.trailing_stages` (a list of pairs) and
/// `allowShort` (the engine's `allow_shorting`, which the broker's gate
/// enforces too) — they are structure, not numbers to tune. Parameters the
/// config cannot set either (damping, posture weights, edge-decay minimum days,
/// balanced volatility scaling) are not in it.
struct ModelsParameter: Sendable {
    /// Unchecked: key paths are immutable values (stored properties and array
    /// subscripts with constant indices only), but not declared Sendable.
    enum Field: @unchecked Sendable {
        case double(WritableKeyPath<ModelsParameters, Double>)
        case int(WritableKeyPath<ModelsParameters, Int>)
        case flag(WritableKeyPath<ModelsParameters, Bool>)
        /// nil (no cap) is 0.
        case cap(WritableKeyPath<ModelsParameters, Int?>)
    }

    /// The full flat name, "models.…".
    let name: String
    let field: Field
    let bounds: ParameterBounds

    func value(in p: ModelsParameters) -> Double {
        switch field {
        case .double(let k): return p[keyPath: k]
        case .int(let k): return Double(p[keyPath: k])
        case .flag(let k): return p[keyPath: k] ? 1 : 0
        case .cap(let k): return Double(p[keyPath: k] ?? 0)
        }
    }

    /// `v` must have passed `ParameterCheck` (finite, in bounds, whole where it must be).
    func set(_ v: Double, in p: inout ModelsParameters) {
        switch field {
        case .double(let k): p[keyPath: k] = v
        case .int(let k): p[keyPath: k] = Int(v)
        case .flag(let k): p[keyPath: k] = v != 0
        case .cap(let k): p[keyPath: k] = v == 0 ? nil : Int(v)
        }
    }
}

/// The table behind `ModelsStrategy`'s `TunableStrategy` conformance.
enum ModelsParameterTable {
    /// The config section's keys for the three models, in `ModelID` order.
    static let modelKeys: [(key: String, model: ModelID)] = [("aggressive", .aggressive), ("balanced", .balanced),
                                                             ("big_picture", .bigPicture)]

    static let all: [ModelsParameter] = build()
    static let byName: [String: ModelsParameter] = Dictionary(uniqueKeysWithValues: all.map { ($0.name, $0) })
    static let bounds: [String: ParameterBounds] = byName.mapValues(\.bounds)

    static func values(of p: ModelsParameters) -> [String: Double] {
        var out: [String: Double] = [:]
        out.reserveCapacity(all.count)
        for e in all { out[e.name] = e.value(in: p) }
        return out
    }

    /// `base` with every flat value of `values` written in (lists and
    /// `allowShort` stay as in `base`). Throws, without a result, on a missing
    /// or unknown name, a value out of bounds, or a VaR confidence other than
    /// 0.95 or 0.99 (the only two the VaR tables have).
    static func parameters(from values: [String: Double], base: ModelsParameters) throws(EngineError) -> ModelsParameters {
        try ParameterCheck.validate(values, against: bounds, strategy: "models")
        let c = values["models.risk.var_confidence"]!
        guard c == 0.95 || c == 0.99 else { throw EngineError("models.risk.var_confidence must be 0.95 or 0.99, got \(c)") }
        var p = base
        for e in all { e.set(values[e.name]!, in: &p) }
        return p
    }

    // MARK: - The table

    // Bounds are guardrails, generous but always inside what the config parser
    // accepts (so every flat set is also a valid config section).
    private static func fraction(step: Double = 0.01) -> ParameterBounds {
        ParameterBounds(minimum: 0, maximum: 1, minimumStep: step)
    }
    private static func real(_ lo: Double, _ hi: Double, step: Double = 0) -> ParameterBounds {
        ParameterBounds(minimum: lo, maximum: hi, minimumStep: step)
    }
    private static func whole(_ lo: Double, _ hi: Double) -> ParameterBounds {
        ParameterBounds(minimum: lo, maximum: hi, isInteger: true, minimumStep: 1)
    }
    private static let flag = ParameterBounds(minimum: 0, maximum: 1, isInteger: true, minimumStep: 1)

    private static func build() -> [ModelsParameter] {
        var t: [ModelsParameter] = []
        func d(_ name: String, _ k: WritableKeyPath<ModelsParameters, Double>, _ b: ParameterBounds) {
            t.append(ModelsParameter(name: "models." + name, field: .double(k), bounds: b))
        }
        func i(_ name: String, _ k: WritableKeyPath<ModelsParameters, Int>, _ b: ParameterBounds) {
            t.append(ModelsParameter(name: "models." + name, field: .int(k), bounds: b))
        }
        func f(_ name: String, _ k: WritableKeyPath<ModelsParameters, Bool>) {
            t.append(ModelsParameter(name: "models." + name, field: .flag(k), bounds: flag))
        }
        func cap(_ name: String, _ k: WritableKeyPath<ModelsParameters, Int?>, _ b: ParameterBounds) {
            t.append(ModelsParameter(name: "models." + name, field: .cap(k), bounds: b))
        }

        for (key, model) in modelKeys {
            let index = model.rawValue
            func m<T>(_ k: WritableKeyPath<ModelParameters, T>) -> WritableKeyPath<ModelsParameters, T> {
                let models: WritableKeyPath<ModelsParameters, ModelParameters> = \ModelsParameters.models[index]
                return models.appending(path: k)
            }
            let n = key + "."
            f(n + "enabled", m(\.enabled))
            d(n + "entry_threshold", m(\.thresholds.base), fraction())
            d(n + "regime_adjustments.trend", m(\.thresholds.trend), real(-1, 1, step: 0.02))
            d(n + "regime_adjustments.range", m(\.thresholds.range), real(-1, 1, step: 0.02))
            d(n + "regime_adjustments.chop", m(\.thresholds.chop), real(-1, 1, step: 0.02))
            d(n + "regime_adjustments.volatile", m(\.thresholds.volatile), real(-1, 1, step: 0.02))
            d(n + "stop_atr", m(\.stopATR), real(0.1, 50, step: 0.1))
            d(n + "target_reward_risk", m(\.targetRewardRisk), real(0.1, 50, step: 0.1))
            d(n + "holding_time_scale", m(\.holdingTimeScale), real(0.01, 1_000, step: 0.1))
            d(n + "daily_loss_limit", m(\.budget.dailyLossLimit), real(1, 1e9, step: 10))
            cap(n + "max_trades_per_day", m(\.budget.maxTradesPerDay), whole(0, 100_000))
            cap(n + "max_trades_per_week", m(\.budget.maxTradesPerWeek), whole(0, 1_000_000))
            i(n + "cooldown_after_losses", m(\.budget.cooldownAfterLosses), whole(0, 1_000))
            i(n + "cooldown_minutes", m(\.budget.cooldownMinutes), whole(0, 525_600))
            d(n + "agreement_minimum", m(\.agreementMinimum), fraction())
            d(n + "momentum_burst.min_volume_ratio", m(\.momentumBurst.minVolumeRatio), real(0.01, 100, step: 0.1))
            d(n + "momentum_burst.min_roc_percent", m(\.momentumBurst.minROCPercent), real(0.001, 100, step: 0.01))
            d(n + "momentum_burst.invalidation_roc_percent", m(\.momentumBurst.invalidationROCPercent),
              real(0.001, 100, step: 0.01))
            d(n + "mean_reversion.rsi_oversold", m(\.meanReversion.rsiOversold), real(0, 100, step: 1))
            d(n + "mean_reversion.rsi_overbought", m(\.meanReversion.rsiOverbought), real(0, 100, step: 1))
            d(n + "mean_reversion.min_z_score", m(\.meanReversion.minZScore), real(0.01, 20, step: 0.1))
            d(n + "trend_following.min_adx", m(\.trendFollowing.minADX), real(0.01, 100, step: 1))
            d(n + "posture_trend.min_adx", m(\.postureTrend.minADX), real(0.01, 100, step: 1))
            for family in SignalFamily.allCases {
                let j = family.rawValue
                let p = n + "weights." + family.name + "."
                d(p + "trend", m(\.weights[j].trend), real(-1, 1, step: 0.05))
                d(p + "momentum", m(\.weights[j].momentum), real(-1, 1, step: 0.05))
                d(p + "mean_reversion", m(\.weights[j].meanReversion), real(-1, 1, step: 0.05))
                d(p + "volume", m(\.weights[j].volume), real(-1, 1, step: 0.05))
            }
        }

        f("posture.veto", \.resolver.postureVeto)
        d("posture.risk_on_at", \.posture.riskOnAt, real(-1, 1, step: 0.05))
        d("posture.risk_off_at", \.posture.riskOffAt, real(-1, 1, step: 0.05))
        d("posture.extreme_volatility", \.posture.extremeVolatility, real(0.1, 100, step: 0.1))

        i("resolver.pile_up_limit", \.resolver.pileUpLimit, whole(0, 100))
        d("resolver.pile_up_confidence", \.resolver.pileUpConfidence, fraction())
        i("resolver.max_open_positions", \.resolver.maxOpenPositions, whole(0, 10_000))
        i("resolver.max_entries_per_step", \.resolver.maxEntriesPerStep, whole(0, 10_000))

        i("risk.exploration_trades", \.risk.sizing.explorationTrades, whole(0, 100_000))
        d("risk.exploration_risk", \.risk.sizing.explorationRisk, fraction(step: 0.001))
        d("risk.kelly_fraction", \.risk.sizing.kellyFraction, fraction())
        i("risk.kelly_window", \.risk.sizing.kellyWindow, whole(1, 500))
        d("risk.max_risk_per_trade", \.risk.sizing.maxRiskPerTrade, fraction(step: 0.001))
        d("risk.regime_multipliers.trend", \.risk.sizing.trendMultiplier, real(0, 10, step: 0.05))
        d("risk.regime_multipliers.range", \.risk.sizing.rangeMultiplier, real(0, 10, step: 0.05))
        d("risk.regime_multipliers.chop", \.risk.sizing.chopMultiplier, real(0, 10, step: 0.05))
        d("risk.regime_multipliers.volatile", \.risk.sizing.volatileMultiplier, real(0, 10, step: 0.05))
        d("risk.volatility_penalty_slope", \.risk.sizing.volatilityPenaltySlope, real(0, 10, step: 0.05))
        d("risk.min_reward_risk", \.risk.sizing.minRewardRisk, real(0, 100, step: 0.1))
        f("risk.reward_risk_includes_costs", \.risk.sizing.rewardRiskIncludesCosts)
        d("risk.max_position", \.risk.limits.maxPosition, fraction())
        d("risk.max_asset", \.risk.limits.maxAsset, fraction())
        d("risk.max_group", \.risk.limits.maxGroup, real(0.001, 10, step: 0.01))
        d("risk.max_total", \.risk.limits.maxTotal, real(0.001, 10, step: 0.01))
        d("risk.max_one_sided", \.risk.limits.maxOneSided, real(0.001, 10, step: 0.01))
        d("risk.correlation_threshold", \.risk.limits.correlationThreshold, real(-1, 1, step: 0.05))
        d("risk.risk_off_total_factor", \.risk.limits.riskOffTotalFactor, fraction())
        d("risk.risk_off_size_factor", \.risk.limits.riskOffSizeFactor, fraction())
        d("risk.var_limit", \.risk.varLimit, real(0.001, 10, step: 0.005))
        // 0.95 or 0.99 only (checked in `parameters(from:base:)`); the step lets one become the other.
        d("risk.var_confidence", \.risk.varConfidence, real(0.95, 0.99, step: 0.04))
        d("risk.var_horizon_hours", \.risk.varHorizonBars, real(0.01, 8_760, step: 1))
        i("risk.return_window_hours", \.risk.returnWindowBars, whole(2, 8_760))
        i("risk.min_observations", \.risk.minObservations, whole(0, 8_760))
        d("risk.kill_switch_loss", \.risk.killSwitchLoss, real(1, 1e12, step: 10))
        i("risk.stale_intervals", \.risk.staleIntervals, whole(1, 100_000))
        i("risk.stale_recovery_bars", \.risk.staleRecoveryBars, whole(0, 100_000))
        d("risk.round_trip_cost", \.risk.roundTripCost, real(0, 0.1, step: 0.0005))

        d("exits.time_limit_minutes.trend", \.exits.timeLimitTrendMinutes, real(1, 1_000_000, step: 1))
        d("exits.time_limit_minutes.range", \.exits.timeLimitRangeMinutes, real(1, 1_000_000, step: 1))
        d("exits.time_limit_minutes.chop", \.exits.timeLimitChopMinutes, real(1, 1_000_000, step: 1))
        d("exits.time_limit_minutes.volatile", \.exits.timeLimitVolatileMinutes, real(1, 1_000_000, step: 1))
        d("exits.rebalance_one_sided", \.exits.rebalanceOneSided, real(0.001, 10, step: 0.01))

        i("monitors.window_trades", \.degradation.windowTrades, whole(1, 10_000))
        i("monitors.min_trades", \.degradation.minTrades, whole(0, 10_000))
        d("monitors.min_win_rate", \.degradation.minWinRate, fraction())
        d("monitors.min_sharpe", \.degradation.minSharpe, real(-20, 20, step: 0.1))
        i("monitors.max_consecutive_losses", \.degradation.maxConsecutiveLosses, whole(1, 10_000))
        i("monitors.edge_window_days", \.edgeDecay.windowDays, whole(1, 3_650))
        d("monitors.edge_alert_below", \.edgeDecay.alertBelow, real(-20, 20, step: 0.1))
        i("monitors.alert_cooldown_minutes", \.breaker.alertCooldownMinutes, whole(0, 525_600))
        i("monitors.throttle_cooldown_minutes", \.breaker.throttleCooldownMinutes, whole(0, 525_600))
        i("monitors.halt_cooldown_minutes", \.breaker.haltCooldownMinutes, whole(0, 525_600))
        i("monitors.probation_trades", \.breaker.probationTrades, whole(0, 10_000))
        i("monitors.max_halts", \.breaker.maxHalts, whole(1, 1_000))
        i("monitors.halt_window_days", \.breaker.haltWindowDays, whole(1, 3_650))
        d("monitors.throttle_min_confidence", \.breaker.throttleMinConfidence, fraction())
        d("monitors.throttle_size_factor", \.breaker.throttleSizeFactor, fraction())
        return t
    }
}

/// The models strategy's parameters as the flat set of `ModelsParameterTable`.
/// Adoption (`ModelsStrategy.adopt`) keeps every piece of state — positions,
/// budgets used, cooldowns, breakers, monitors, statistics, the signal log.
extension ModelsStrategy: TunableStrategy {
    public static var parameterBounds: [String: ParameterBounds] { ModelsParameterTable.bounds }
    public static var defaultParameterValues: [String: Double] { ModelsParameterTable.values(of: ModelsParameters()) }
    public var parameterValues: [String: Double] { ModelsParameterTable.values(of: parameters) }

    public mutating func adopt(parameterValues values: [String: Double]) throws(EngineError) {
        adopt(try ModelsParameterTable.parameters(from: values, base: parameters))
    }
}
