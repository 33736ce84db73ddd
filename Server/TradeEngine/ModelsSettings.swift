import Foundation
import TradeCore

/// The `"models"` section of a `--config` file: every parameter of the
/// three-model stack. Every key is optional (absent = the default) and
/// unknown keys are errors, as everywhere else. Shape:
///
///     "models": {
///       "enabled": ["aggressive", "balanced", "big-picture"],
///       "aggressive": { "families": ["momentum_burst", "mean_reversion", "trend_following"],
///                       "entry_threshold": 0.45,
///                       "regime_adjustments": { "trend": -0.05, "range": 0.1, "chop": 0.15, "volatile": 0.2 },
///                       "stop_atr": 2, "target_reward_risk": 2.5, "holding_time_scale": 1,
///                       "daily_loss_limit": 700, "max_trades_per_day": 20, "max_trades_per_week": 0,
///                       "cooldown_after_losses": 3, "cooldown_minutes": 30,
///                       "agreement_minimum": 0.15,
///                       "momentum_burst": { "min_volume_ratio": 2.5, "min_roc_percent": 0.25,
///                                         "invalidation_roc_percent": 0.125 },
///                       "mean_reversion": { "rsi_oversold": 25, "rsi_overbought": 75, "min_z_score": 2 },
///                       "trend_following": { "min_adx": 25 }, "posture_trend": { "min_adx": 20 },
///                       "weights": { "trend_following": { "trend": 0.55, "momentum": 0.3,
///                                                         "mean_reversion": 0, "volume": 0.15 } } },
///       "balanced": { … }, "big_picture": { … },
///       "posture": { "veto": true, "risk_on_at": 0.35, "risk_off_at": -0.35, "extreme_volatility": 2 },
///       "resolver": { "pile_up_limit": 2, "pile_up_confidence": 0.8, "max_open_positions": 6,
///                     "max_entries_per_step": 2 },
///       "risk": { "exploration_trades": 30, "exploration_risk": 0.005, "kelly_fraction": 0.25,
///                 "kelly_window": 100, "max_risk_per_trade": 0.02,
///                 "regime_multipliers": { "trend": 1.3, "range": 0.8, "chop": 0.4, "volatile": 0.3 },
///                 "volatility_penalty_slope": 0.5, "min_reward_risk": 2, "reward_risk_includes_costs": true,
///                 "max_position": 0.3, "max_asset": 0.4, "max_group": 0.6, "max_total": 0.8,
///                 "max_one_sided": 0.45, "correlation_threshold": 0.7,
///                 "risk_off_total_factor": 0.5, "risk_off_size_factor": 0.5,
///                 "var_limit": 0.1, "var_confidence": 0.99, "var_horizon_hours": 24,
///                 "return_window_hours": 168, "min_observations": 24,
///                 "kill_switch_loss": 2000, "stale_intervals": 3, "stale_recovery_bars": 15,
///                 "round_trip_cost": 0.002 },
///       "exits": { "time_limit_minutes": { "trend": 240, "range": 120, "chop": 60, "volatile": 60 },
///                  "trailing_stages": [[1, 1], [2, 0.75], [3, 0.5]], "rebalance_one_sided": 0.5 },
///       "monitors": { "window_trades": 30, "min_trades": 10, "min_win_rate": 0.35, "min_sharpe": 0,
///                     "max_consecutive_losses": 10, "edge_window_days": 30, "edge_alert_below": 0.5,
///                     "alert_cooldown_minutes": 60, "throttle_cooldown_minutes": 240,
///                     "halt_cooldown_minutes": 1440, "probation_trades": 5, "max_halts": 3,
///                     "halt_window_days": 7, "throttle_min_confidence": 0.7, "throttle_size_factor": 0.5 } }
///
/// `max_trades_per_day` / `max_trades_per_week` of 0 mean "no cap".
///
/// Every numeric key here is also a parameter of the models' flat, versioned
/// set under the same dotted path ("models.risk.kelly_fraction"): a key added
/// here goes into `ModelsParameterTable` too (`TunableParameterTests` checks
/// both directions).
enum ModelsSettings {
    static func parse(_ r: inout JSONObjectReader, into s: inout RunSettings) throws(EngineError) {
        var p = s.models
        if let names = try r.strings("enabled") {
            var on = Set<ModelID>()
            for n in names {
                guard let m = ModelID(name: n) else {
                    throw EngineError("\(r.path).enabled: unknown model '\(n)'; models: \(ModelID.allCases.map(\.name).joined(separator: ", "))")
                }
                on.insert(m)
            }
            for m in ModelID.allCases { p[m].enabled = on.contains(m) }
        }
        for (key, m) in [("aggressive", ModelID.aggressive), ("balanced", .balanced), ("big_picture", .bigPicture)] {
            if var o = try r.object(key) { try model(&o, into: &p.models[m.rawValue]) }
        }
        if var o = try r.object("posture") {
            if let v = try o.bool("veto") { p.resolver.postureVeto = v }
            p.posture.riskOnAt = try o.double("risk_on_at") ?? p.posture.riskOnAt
            p.posture.riskOffAt = try o.double("risk_off_at") ?? p.posture.riskOffAt
            p.posture.extremeVolatility = try positive(o.double("extreme_volatility"), o.path + ".extreme_volatility") ?? p.posture.extremeVolatility
            try o.rejectUnknownKeys()
        }
        if var o = try r.object("resolver") {
            p.resolver.pileUpLimit = try count(o.int("pile_up_limit"), o.path + ".pile_up_limit") ?? p.resolver.pileUpLimit
            p.resolver.pileUpConfidence = try unit(o.double("pile_up_confidence"), o.path + ".pile_up_confidence") ?? p.resolver.pileUpConfidence
            p.resolver.maxOpenPositions = try count(o.int("max_open_positions"), o.path + ".max_open_positions") ?? p.resolver.maxOpenPositions
            p.resolver.maxEntriesPerStep = try count(o.int("max_entries_per_step"), o.path + ".max_entries_per_step") ?? p.resolver.maxEntriesPerStep
            try o.rejectUnknownKeys()
        }
        if var o = try r.object("risk") {
            try risk(&o, into: &p.risk)
            if o.didRead("round_trip_cost") { s.modelsRoundTripCostSet = true }
            try o.rejectUnknownKeys()
        }
        if var o = try r.object("exits") {
            if var t = try o.object("time_limit_minutes") {
                p.exits.timeLimitTrendMinutes = try positive(t.double("trend"), t.path + ".trend") ?? p.exits.timeLimitTrendMinutes
                p.exits.timeLimitRangeMinutes = try positive(t.double("range"), t.path + ".range") ?? p.exits.timeLimitRangeMinutes
                p.exits.timeLimitChopMinutes = try positive(t.double("chop"), t.path + ".chop") ?? p.exits.timeLimitChopMinutes
                p.exits.timeLimitVolatileMinutes = try positive(t.double("volatile"), t.path + ".volatile") ?? p.exits.timeLimitVolatileMinutes
                try t.rejectUnknownKeys()
            }
            if let rows = try o.numberRows("trailing_stages") {
                var stages: [TrailingStage] = []
                for row in rows {
                    guard row.count == 2, row[0] > 0, row[1] > 0 else {
                        throw EngineError("\(o.path).trailing_stages: each stage is [trigger_r, trail_r], both > 0")
                    }
                    if let last = stages.last, row[0] <= last.triggerR {
                        throw EngineError("\(o.path).trailing_stages: triggers must increase")
                    }
                    stages.append(TrailingStage(triggerR: row[0], trailR: row[1]))
                }
                p.exits.trailingStages = stages
            }
            p.exits.rebalanceOneSided = try positive(o.double("rebalance_one_sided"), o.path + ".rebalance_one_sided") ?? p.exits.rebalanceOneSided
            try o.rejectUnknownKeys()
        }
        if var o = try r.object("monitors") {
            p.degradation.windowTrades = try count(o.int("window_trades"), o.path + ".window_trades") ?? p.degradation.windowTrades
            p.degradation.minTrades = try count(o.int("min_trades"), o.path + ".min_trades") ?? p.degradation.minTrades
            p.degradation.minWinRate = try unit(o.double("min_win_rate"), o.path + ".min_win_rate") ?? p.degradation.minWinRate
            p.degradation.minSharpe = try o.double("min_sharpe") ?? p.degradation.minSharpe
            p.degradation.maxConsecutiveLosses = try count(o.int("max_consecutive_losses"), o.path + ".max_consecutive_losses") ?? p.degradation.maxConsecutiveLosses
            p.edgeDecay.windowDays = try count(o.int("edge_window_days"), o.path + ".edge_window_days") ?? p.edgeDecay.windowDays
            p.edgeDecay.alertBelow = try o.double("edge_alert_below") ?? p.edgeDecay.alertBelow
            p.breaker.alertCooldownMinutes = try count(o.int("alert_cooldown_minutes"), o.path + ".alert_cooldown_minutes") ?? p.breaker.alertCooldownMinutes
            p.breaker.throttleCooldownMinutes = try count(o.int("throttle_cooldown_minutes"), o.path + ".throttle_cooldown_minutes") ?? p.breaker.throttleCooldownMinutes
            p.breaker.haltCooldownMinutes = try count(o.int("halt_cooldown_minutes"), o.path + ".halt_cooldown_minutes") ?? p.breaker.haltCooldownMinutes
            p.breaker.probationTrades = try count(o.int("probation_trades"), o.path + ".probation_trades") ?? p.breaker.probationTrades
            p.breaker.maxHalts = try count(o.int("max_halts"), o.path + ".max_halts") ?? p.breaker.maxHalts
            p.breaker.haltWindowDays = try count(o.int("halt_window_days"), o.path + ".halt_window_days") ?? p.breaker.haltWindowDays
            p.breaker.throttleMinConfidence = try unit(o.double("throttle_min_confidence"), o.path + ".throttle_min_confidence") ?? p.breaker.throttleMinConfidence
            p.breaker.throttleSizeFactor = try unit(o.double("throttle_size_factor"), o.path + ".throttle_size_factor") ?? p.breaker.throttleSizeFactor
            try o.rejectUnknownKeys()
        }
        try r.rejectUnknownKeys()
        s.models = p
    }

    private static func model(_ o: inout JSONObjectReader, into m: inout ModelParameters) throws(EngineError) {
        if let names = try o.strings("families") {
            var set = FamilySet()
            for n in names {
                guard let f = SignalFamily(name: n) else {
                    throw EngineError("\(o.path).families: unknown family '\(n)'; families: \(SignalFamily.allCases.map(\.name).joined(separator: ", "))")
                }
                set.insert(f)
            }
            m.families = set
        }
        m.thresholds.base = try unit(o.double("entry_threshold"), o.path + ".entry_threshold") ?? m.thresholds.base
        if var a = try o.object("regime_adjustments") {
            m.thresholds.trend = try a.double("trend") ?? m.thresholds.trend
            m.thresholds.range = try a.double("range") ?? m.thresholds.range
            m.thresholds.chop = try a.double("chop") ?? m.thresholds.chop
            m.thresholds.volatile = try a.double("volatile") ?? m.thresholds.volatile
            try a.rejectUnknownKeys()
        }
        m.stopATR = try positive(o.double("stop_atr"), o.path + ".stop_atr") ?? m.stopATR
        m.targetRewardRisk = try positive(o.double("target_reward_risk"), o.path + ".target_reward_risk") ?? m.targetRewardRisk
        m.holdingTimeScale = try positive(o.double("holding_time_scale"), o.path + ".holding_time_scale") ?? m.holdingTimeScale
        m.budget.dailyLossLimit = try positive(o.double("daily_loss_limit"), o.path + ".daily_loss_limit") ?? m.budget.dailyLossLimit
        if let n = try count(o.int("max_trades_per_day"), o.path + ".max_trades_per_day") { m.budget.maxTradesPerDay = n == 0 ? nil : n }
        if let n = try count(o.int("max_trades_per_week"), o.path + ".max_trades_per_week") { m.budget.maxTradesPerWeek = n == 0 ? nil : n }
        m.budget.cooldownAfterLosses = try count(o.int("cooldown_after_losses"), o.path + ".cooldown_after_losses") ?? m.budget.cooldownAfterLosses
        m.budget.cooldownMinutes = try count(o.int("cooldown_minutes"), o.path + ".cooldown_minutes") ?? m.budget.cooldownMinutes
        m.agreementMinimum = try unit(o.double("agreement_minimum"), o.path + ".agreement_minimum") ?? m.agreementMinimum
        if var r = try o.object("momentum_burst") {
            m.momentumBurst.minVolumeRatio = try positive(r.double("min_volume_ratio"), r.path + ".min_volume_ratio") ?? m.momentumBurst.minVolumeRatio
            m.momentumBurst.minROCPercent = try positive(r.double("min_roc_percent"), r.path + ".min_roc_percent") ?? m.momentumBurst.minROCPercent
            m.momentumBurst.invalidationROCPercent = try positive(r.double("invalidation_roc_percent"), r.path + ".invalidation_roc_percent") ?? m.momentumBurst.invalidationROCPercent
            try r.rejectUnknownKeys()
        }
        if var r = try o.object("mean_reversion") {
            m.meanReversion.rsiOversold = try r.double("rsi_oversold") ?? m.meanReversion.rsiOversold
            m.meanReversion.rsiOverbought = try r.double("rsi_overbought") ?? m.meanReversion.rsiOverbought
            m.meanReversion.minZScore = try positive(r.double("min_z_score"), r.path + ".min_z_score") ?? m.meanReversion.minZScore
            try r.rejectUnknownKeys()
        }
        if var r = try o.object("trend_following") {
            m.trendFollowing.minADX = try positive(r.double("min_adx"), r.path + ".min_adx") ?? m.trendFollowing.minADX
            try r.rejectUnknownKeys()
        }
        if var r = try o.object("posture_trend") {
            m.postureTrend.minADX = try positive(r.double("min_adx"), r.path + ".min_adx") ?? m.postureTrend.minADX
            try r.rejectUnknownKeys()
        }
        if var w = try o.object("weights") {
            for f in SignalFamily.allCases {
                guard var fw = try w.object(f.name) else { continue }
                var x = m.weights[f.rawValue]
                x.trend = try fw.double("trend") ?? x.trend
                x.momentum = try fw.double("momentum") ?? x.momentum
                x.meanReversion = try fw.double("mean_reversion") ?? x.meanReversion
                x.volume = try fw.double("volume") ?? x.volume
                try fw.rejectUnknownKeys()
                m.weights[f.rawValue] = x
            }
            try w.rejectUnknownKeys()
        }
        try o.rejectUnknownKeys()
    }

    private static func risk(_ o: inout JSONObjectReader, into r: inout RiskParameters) throws(EngineError) {
        let path = o.path
        r.sizing.explorationTrades = try count(o.int("exploration_trades"), path + ".exploration_trades") ?? r.sizing.explorationTrades
        r.sizing.explorationRisk = try unit(o.double("exploration_risk"), path + ".exploration_risk") ?? r.sizing.explorationRisk
        r.sizing.kellyFraction = try unit(o.double("kelly_fraction"), path + ".kelly_fraction") ?? r.sizing.kellyFraction
        r.sizing.kellyWindow = try count(o.int("kelly_window"), path + ".kelly_window") ?? r.sizing.kellyWindow
        guard r.sizing.kellyWindow >= 1 && r.sizing.kellyWindow <= 500 else { throw EngineError("\(path).kelly_window must be 1…500") }
        r.sizing.maxRiskPerTrade = try unit(o.double("max_risk_per_trade"), path + ".max_risk_per_trade") ?? r.sizing.maxRiskPerTrade
        if var m = try o.object("regime_multipliers") {
            r.sizing.trendMultiplier = try nonNegative(m.double("trend"), m.path + ".trend") ?? r.sizing.trendMultiplier
            r.sizing.rangeMultiplier = try nonNegative(m.double("range"), m.path + ".range") ?? r.sizing.rangeMultiplier
            r.sizing.chopMultiplier = try nonNegative(m.double("chop"), m.path + ".chop") ?? r.sizing.chopMultiplier
            r.sizing.volatileMultiplier = try nonNegative(m.double("volatile"), m.path + ".volatile") ?? r.sizing.volatileMultiplier
            try m.rejectUnknownKeys()
        }
        r.sizing.volatilityPenaltySlope = try nonNegative(o.double("volatility_penalty_slope"), path + ".volatility_penalty_slope") ?? r.sizing.volatilityPenaltySlope
        r.sizing.minRewardRisk = try nonNegative(o.double("min_reward_risk"), path + ".min_reward_risk") ?? r.sizing.minRewardRisk
        r.sizing.rewardRiskIncludesCosts = try o.bool("reward_risk_includes_costs") ?? r.sizing.rewardRiskIncludesCosts
        r.limits.maxPosition = try unit(o.double("max_position"), path + ".max_position") ?? r.limits.maxPosition
        r.limits.maxAsset = try unit(o.double("max_asset"), path + ".max_asset") ?? r.limits.maxAsset
        r.limits.maxGroup = try positive(o.double("max_group"), path + ".max_group") ?? r.limits.maxGroup
        r.limits.maxTotal = try positive(o.double("max_total"), path + ".max_total") ?? r.limits.maxTotal
        r.limits.maxOneSided = try positive(o.double("max_one_sided"), path + ".max_one_sided") ?? r.limits.maxOneSided
        r.limits.correlationThreshold = try o.double("correlation_threshold") ?? r.limits.correlationThreshold
        r.limits.riskOffTotalFactor = try unit(o.double("risk_off_total_factor"), path + ".risk_off_total_factor") ?? r.limits.riskOffTotalFactor
        r.limits.riskOffSizeFactor = try unit(o.double("risk_off_size_factor"), path + ".risk_off_size_factor") ?? r.limits.riskOffSizeFactor
        r.varLimit = try positive(o.double("var_limit"), path + ".var_limit") ?? r.varLimit
        if let c = try o.double("var_confidence") {
            guard c == 0.95 || c == 0.99 else { throw EngineError("\(path).var_confidence must be 0.95 or 0.99, got \(c)") }
            r.varConfidence = c
        }
        r.varHorizonBars = try positive(o.double("var_horizon_hours"), path + ".var_horizon_hours") ?? r.varHorizonBars
        r.returnWindowBars = try count(o.int("return_window_hours"), path + ".return_window_hours") ?? r.returnWindowBars
        guard r.returnWindowBars >= 2 else { throw EngineError("\(path).return_window_hours must be ≥ 2") }
        r.minObservations = try count(o.int("min_observations"), path + ".min_observations") ?? r.minObservations
        r.killSwitchLoss = try positive(o.double("kill_switch_loss"), path + ".kill_switch_loss") ?? r.killSwitchLoss
        r.staleIntervals = try count(o.int("stale_intervals"), path + ".stale_intervals") ?? r.staleIntervals
        r.staleRecoveryBars = try count(o.int("stale_recovery_bars"), path + ".stale_recovery_bars") ?? r.staleRecoveryBars
        r.roundTripCost = try nonNegative(o.double("round_trip_cost"), path + ".round_trip_cost") ?? r.roundTripCost
    }

    private static func positive(_ v: Double?, _ name: String) throws(EngineError) -> Double? {
        if let v, !(v > 0) { throw EngineError("\(name) must be > 0, got \(v)") }
        return v
    }

    private static func nonNegative(_ v: Double?, _ name: String) throws(EngineError) -> Double? {
        if let v, v < 0 { throw EngineError("\(name) must be ≥ 0, got \(v)") }
        return v
    }

    private static func unit(_ v: Double?, _ name: String) throws(EngineError) -> Double? {
        if let v, !(0...1).contains(v) { throw EngineError("\(name) must be in [0, 1], got \(v)") }
        return v
    }

    private static func count(_ v: Int?, _ name: String) throws(EngineError) -> Int? {
        if let v, v < 0 { throw EngineError("\(name) must be ≥ 0, got \(v)") }
        return v
    }
}
