/// How a signal ended.
public enum SignalDecision: UInt8, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    /// Sized by the risk engine and sent as it was sized.
    case accepted
    /// Sent, but smaller than the sizing asked for: a limit or a reduction bound it.
    case resized
    /// Not sent.
    case vetoed

    public var name: String {
        switch self {
        case .accepted: return "ACCEPTED"
        case .resized: return "RESIZED"
        case .vetoed: return "VETOED"
        }
    }

    public var description: String { name }
}

/// The rule that decided a signal's fate. Listed in the order the resolver
/// applies them: the portfolio risk overlay first (it always wins), then the
/// model's own budget and breaker, the big-picture posture, conflicts between
/// models, entry slots, and finally the risk engine's sizing and limits.
public enum DecisionRule: UInt8, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    /// Accepted as sized; nothing bound it.
    case sized
    // Portfolio risk overlay.
    case killSwitch, staleData, varLimit, varUnavailable
    // The model's circuit breaker and budget.
    case breakerShutdown, breakerHalt, breakerThrottle
    case dailyLossLimit, cooldown, tradesPerDay, tradesPerWeek
    // The big-picture posture.
    case postureVeto
    // Conflicts between models.
    case alreadyInPosition, selfCrossOpen, selfCrossSameStep, pileUp
    // Entry slots.
    case maxOpenPositions, maxEntriesPerStep
    // Sizing.
    case expectancyNonPositive, rewardRisk, belowMinimumSize, varLimitPostTrade
    // Reductions and limits (resize, or veto when nothing is left).
    case throttleHalfSize, riskOffReduction
    case positionLimit, assetLimit, groupLimit, totalExposureLimit, oneSidedLimit
    /// Accepted by the resolver but refused by the engine's order gate.
    case engineRejected
    /// The operator paused or halted entries (above the whole hierarchy).
    case operatorBlock

    public var name: String {
        switch self {
        case .sized: return "sized"
        case .killSwitch: return "kill_switch"
        case .staleData: return "stale_data"
        case .varLimit: return "var_limit"
        case .varUnavailable: return "var_unavailable"
        case .breakerShutdown: return "breaker_shutdown"
        case .breakerHalt: return "breaker_halt"
        case .breakerThrottle: return "breaker_throttle"
        case .dailyLossLimit: return "daily_loss_limit"
        case .cooldown: return "cooldown"
        case .tradesPerDay: return "trades_per_day"
        case .tradesPerWeek: return "trades_per_week"
        case .postureVeto: return "posture_veto"
        case .alreadyInPosition: return "already_in_position"
        case .selfCrossOpen: return "self_cross_open"
        case .selfCrossSameStep: return "self_cross_same_step"
        case .pileUp: return "pile_up"
        case .maxOpenPositions: return "max_open_positions"
        case .maxEntriesPerStep: return "max_entries_per_step"
        case .expectancyNonPositive: return "expectancy_non_positive"
        case .rewardRisk: return "reward_risk"
        case .belowMinimumSize: return "below_minimum_size"
        case .varLimitPostTrade: return "var_limit_post_trade"
        case .throttleHalfSize: return "throttle_half_size"
        case .riskOffReduction: return "risk_off_reduction"
        case .positionLimit: return "position_limit"
        case .assetLimit: return "asset_limit"
        case .groupLimit: return "group_limit"
        case .totalExposureLimit: return "total_exposure_limit"
        case .oneSidedLimit: return "one_sided_limit"
        case .engineRejected: return "engine_rejected"
        case .operatorBlock: return "operator_block"
        }
    }

    public var description: String { name }
}

/// A rule with the numbers that decided: the measured `value` against the
/// `limit` (units depend on the rule and are documented where it is applied;
/// exposures are fractions of equity, losses in USDT, counts as counts).
public struct Verdict: Sendable, Codable, Equatable {
    public var rule: DecisionRule
    public var value: Double
    public var limit: Double

    public init(_ rule: DecisionRule, value: Double = .nan, limit: Double = .nan) {
        self.rule = rule
        self.value = value
        self.limit = limit
    }
}
