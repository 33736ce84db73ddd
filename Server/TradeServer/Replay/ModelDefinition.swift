import TradeCore
import TradeEngine

/// A model the replay host can run: its parameters (names, types, defaults,
/// valid ranges) and how to build its engine session from a parameter set.
/// The host is given a list of these, so which strategies exist stays open;
/// `ModelDefinition.emaCrossRsi` is the one the engine has today.
struct ModelDefinition: Sendable {
    struct ParameterSpec: Sendable {
        var name: String
        var defaultValue: ParameterValue.Value
        /// Returns why a value is invalid, or nil.
        var check: @Sendable (ParameterValue.Value) -> String?
    }

    var name: String
    var timeframes: [Timeframe]
    var parameters: [ParameterSpec]
    var makeSession: @Sendable (_ configuration: EngineConfiguration, _ values: [String: ParameterValue.Value],
                                _ baseTimeframe: Timeframe, _ expectedSteps: Int) -> any ReplaySession

    var defaultValues: [ParameterValue] {
        parameters.map { ParameterValue(model: name, name: $0.name, value: $0.defaultValue) }
    }
}

extension ModelDefinition {
    /// The reference strategy (`../shared/reference/STRATEGY.md`).
    static let emaCrossRsi: ModelDefinition = {
        let d = EmaCrossRsi.Parameters()
        let positiveInt: @Sendable (ParameterValue.Value) -> String? = { v in
            if case .integer(let i) = v { return i > 0 && i <= 100_000 ? nil : "must be 1…100000, got \(i)" }
            return "must be an integer"
        }
        let nonNegativeInt: @Sendable (ParameterValue.Value) -> String? = { v in
            if case .integer(let i) = v { return i >= 0 && i <= 1_000_000 ? nil : "must be 0…1000000, got \(i)" }
            return "must be an integer"
        }
        return ModelDefinition(
            name: "ema_cross_rsi", timeframes: [.m1],
            parameters: [
                .init(name: "fast_period", defaultValue: .integer(Int64(d.fastPeriod)), check: positiveInt),
                .init(name: "slow_period", defaultValue: .integer(Int64(d.slowPeriod)), check: positiveInt),
                .init(name: "rsi_period", defaultValue: .integer(Int64(d.rsiPeriod)), check: positiveInt),
                .init(name: "rsi_ceiling", defaultValue: .number(d.rsiCeiling), check: { v in
                    if case .number(let x) = v { return x > 0 && x <= 100 ? nil : "must be in (0, 100], got \(x)" }
                    return "must be a number"
                }),
                .init(name: "warmup_bars", defaultValue: .integer(Int64(d.warmupBars)), check: nonNegativeInt),
                .init(name: "notional", defaultValue: .number(d.notional), check: { v in
                    if case .number(let x) = v { return x > 0 && x.isFinite ? nil : "must be a positive number of quote units, got \(x)" }
                    return "must be a number"
                }),
            ],
            makeSession: { configuration, values, base, expected in
                var p = EmaCrossRsi.Parameters()
                if case .integer(let v)? = values["fast_period"] { p.fastPeriod = Int(v) }
                if case .integer(let v)? = values["slow_period"] { p.slowPeriod = Int(v) }
                if case .integer(let v)? = values["rsi_period"] { p.rsiPeriod = Int(v) }
                if case .number(let v)? = values["rsi_ceiling"] { p.rsiCeiling = v }
                if case .integer(let v)? = values["warmup_bars"] { p.warmupBars = Int(v) }
                if case .number(let v)? = values["notional"] { p.notional = v }
                let strategy = EmaCrossRsi(symbolCount: configuration.instruments.count, timeframe: base, parameters: p)
                return EngineSession(configuration: configuration, strategy: strategy, baseTimeframe: base,
                                     expectedSteps: expected)
            })
    }()
}
