import TradeCore

/// Where a parameter may go: the guardrails a new parameter version is checked against.
public struct ParameterBounds: Sendable, Hashable {
    public var minimum: Double
    public var maximum: Double
    /// Periods, counts, flags (0/1): whole numbers only.
    public var isInteger: Bool
    /// A change of at most this much is always allowed, even where ±20 % is less
    /// (a period of 3 may become 4; a flag may flip; a value of 0 may move at all).
    public var minimumStep: Double

    public init(minimum: Double, maximum: Double, isInteger: Bool = false, minimumStep: Double = 0) {
        self.minimum = minimum
        self.maximum = maximum
        self.isInteger = isInteger
        self.minimumStep = minimumStep
    }
}

/// A strategy whose parameters can be versioned and changed while it runs.
///
/// Parameters are a flat map of dotted lower_snake_case names, each starting
/// with the strategy's name ("models.aggressive.entry_threshold",
/// "ema_cross_rsi.fast_period"), to numbers — the shape the parameter store
/// versions, diffs and guards. The engine adopts a new set between two events
/// (at the next bar), whole or not at all.
public protocol TunableStrategy: Strategy {
    /// Every parameter with its bounds.
    static var parameterBounds: [String: ParameterBounds] { get }
    /// The documented defaults, by name (exactly the names of `parameterBounds`).
    static var defaultParameterValues: [String: Double] { get }
    /// The values in force now.
    var parameterValues: [String: Double] { get }
    /// Switches to `values` (a complete set). Throws, changing nothing, when a
    /// name is missing or unknown or a value is out of bounds. Positions, budgets
    /// used, cooldowns, breakers and statistics carry over.
    mutating func adopt(parameterValues values: [String: Double]) throws(EngineError)
}

extension TradingEngine {
    /// Changes the strategy between two events — a journaled parameter version's adoption
    /// is the one caller; nothing else may reach into a running strategy.
    public mutating func updateStrategy(_ change: (inout S) throws(EngineError) -> Void) throws(EngineError) {
        try change(&strategy)
    }
}

extension TradingEngine where S: TunableStrategy {
    /// Adopts a new parameter set between two events (see `TunableStrategy`).
    public mutating func adopt(parameterValues values: [String: Double]) throws(EngineError) {
        try strategy.adopt(parameterValues: values)
    }
}
