/// Every parameter of the three-model stack, with the brief's defaults.
public struct ModelsParameters: Sendable, Codable, Equatable {
    /// Per model, indexed by `ModelID.rawValue`.
    public var models: [ModelParameters] = ModelID.allCases.map { ModelParameters.defaults(for: $0) }
    public var risk = RiskParameters()
    public var resolver = ResolverParameters()
    public var exits = ExitParameters()
    public var degradation = DegradationParameters()
    public var breaker = BreakerParameters()
    public var edgeDecay = EdgeDecayParameters()
    public var posture = PostureClassifier()
    /// Whether models may open short positions (the engine's `allow_shorting`).
    public var allowShort = true

    public init() {}

    public subscript(model: ModelID) -> ModelParameters {
        get { models[model.rawValue] }
        set { models[model.rawValue] = newValue }
    }

    public var enabledModels: [ModelID] { ModelID.allCases.filter { models[$0.rawValue].enabled } }
}

/// What an order the models sent was for; index = engine order id − 1.
public struct OrderTag: Sendable, Codable, Equatable {
    public var model: ModelID
    public var symbol: Int
    public var isEntry: Bool
    public var exitReason: ExitReason?
    public var family: SignalFamily
    /// The signal that opened the position (log index).
    public var signalIndex: Int
    /// Quantity not yet filled.
    public var remaining: Quantity
}

/// A kill-switch trip: when, at what equity, and how many positions it flattened.
public struct KillSwitchEvent: Sendable, Codable, Equatable {
    public var time: Int64
    public var equity: Double
    public var loss: Double
    public var positionsFlattened: Int
}
