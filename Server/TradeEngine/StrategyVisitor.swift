import TradeCore

/// Code that works with any snapshot-able strategy, whatever its concrete type:
/// the catalog builds the strategy a name stands for and hands it to `visit`,
/// so callers stay generic (and fast) without a switch of their own.
public protocol StrategyVisitor {
    associatedtype Output
    func visit<S: Strategy & Codable>(_ strategy: S) throws -> Output
    /// The models strategy, for a visitor that wants its concrete type (its per-model report);
    /// by default the same as any other strategy.
    func visit(models strategy: ModelsStrategy) throws -> Output
}

extension StrategyVisitor {
    public func visit(models strategy: ModelsStrategy) throws -> Output { try visit(strategy) }
}

extension StrategyCatalog {
    /// Builds the strategy `name` for the run's instruments and passes it to `visitor`.
    public static func visit<V: StrategyVisitor>(name: String, configuration: EngineConfiguration, baseTimeframe: Timeframe,
                                                 settings: RunSettings, _ visitor: V) throws -> V.Output {
        switch name {
        case "ema_cross_rsi":
            return try visitor.visit(EmaCrossRsi(symbolCount: configuration.instruments.count, timeframe: baseTimeframe,
                                                 parameters: settings.emaCrossRsi))
        case "models":
            return try visitor.visit(models: modelsStrategy(configuration: configuration, settings: settings, baseTimeframe: baseTimeframe))
        default:
            throw EngineError("unknown strategy '\(name)'; available: \(names.joined(separator: ", "))")
        }
    }
}
