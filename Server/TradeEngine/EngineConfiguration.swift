import TradeCore

/// Everything that shapes a run besides the data and the strategy.
public struct EngineConfiguration: Sendable {
    /// The run's instruments; a symbol's index here is its id everywhere.
    public var instruments: [Instrument]
    public var initialCash: Money = Money(units: 100_000)
    public var broker = PaperBrokerConfiguration()
    /// Gross exposure after an order may not exceed equity × this.
    public var maxLeverage: Double = 1
    /// When false, a sell that would take a position below zero is rejected.
    public var allowShorting = true
    /// How regimes are detected for strategies that use features.
    public var regime = RegimeSettings()
    /// Generated client order ids are "<prefix>-<sequence>".
    public var clientOrderIDPrefix = "te"
    /// The gate's pre-trade safety checks (allow-list, caps, price band, order rate, daily loss); off by default.
    public var safety = SafetyLimits()

    public init(instruments: [Instrument]) {
        self.instruments = instruments
    }
}

public struct EngineError: Error, CustomStringConvertible, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
