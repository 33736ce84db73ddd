/// Why a position was closed. The order of the cases is the order exits are
/// checked on every bar (the first that holds wins); `rebalance` and
/// `killSwitch` are portfolio-level and come from outside the position.
public enum ExitReason: UInt8, CaseIterable, Sendable, Codable, Hashable, CustomStringConvertible {
    case stopLoss = 0, takeProfit, trailingStop, timeLimit, regimeChange, thesisInvalidated, rebalance, killSwitch
    /// The operator halted the engine or asked for a flatten.
    case operatorFlatten

    public var name: String {
        switch self {
        case .stopLoss: return "stop_loss"
        case .takeProfit: return "take_profit"
        case .trailingStop: return "trailing_stop"
        case .timeLimit: return "time_limit"
        case .regimeChange: return "regime_change"
        case .thesisInvalidated: return "thesis_invalidated"
        case .rebalance: return "rebalance"
        case .killSwitch: return "kill_switch"
        case .operatorFlatten: return "operator_flatten"
        }
    }

    public var description: String { name }
}

/// One stage of the trailing stop: once the best price since entry is
/// `triggerR` stop-distances in profit, the stop trails `trailR`
/// stop-distances behind that best price.
public struct TrailingStage: Sendable, Codable, Equatable {
    public var triggerR: Double
    public var trailR: Double
    public init(triggerR: Double, trailR: Double) { self.triggerR = triggerR; self.trailR = trailR }
}

public struct ExitParameters: Sendable, Codable, Equatable {
    /// Holding-time limits by the current regime of the model's regime
    /// timeframe, in minutes, before `ModelParameters.holdingTimeScale`.
    public var timeLimitTrendMinutes = 240.0
    public var timeLimitRangeMinutes = 120.0
    public var timeLimitChopMinutes = 60.0
    /// VOLATILE has no default of its own in the brief; it gets CHOP's hour.
    public var timeLimitVolatileMinutes = 60.0
    /// Stages by increasing trigger; the trail tightens as profit grows.
    public var trailingStages = [TrailingStage(triggerR: 1, trailR: 1),
                                 TrailingStage(triggerR: 2, trailR: 0.75),
                                 TrailingStage(triggerR: 3, trailR: 0.5)]
    /// Net one-sided exposure above this fraction of equity is rebalanced away.
    public var rebalanceOneSided = 0.5

    public init() {}

    public func timeLimitMinutes(_ regime: RegimeLabel) -> Double {
        switch regime {
        case .trendUp, .trendDown: return timeLimitTrendMinutes
        case .range: return timeLimitRangeMinutes
        case .chop: return timeLimitChopMinutes
        case .volatile: return timeLimitVolatileMinutes
        }
    }
}
