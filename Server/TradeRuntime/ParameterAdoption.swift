import TradeCore
import TradeEngine

/// How a journaled run hands a parameter version's values to its strategy.
/// Only tunable strategies can take new parameters while running; for the
/// others a `.parameterChange` in the journal is an error.
public struct ParameterAdoption<S: Strategy>: Sendable {
    let adopt: @Sendable (inout S, [String: Double]) throws(EngineError) -> Void

    /// The values among `all` that belong to the strategy named `name` ("models.…").
    public static func own(_ all: [String: Double], strategy name: String) -> [String: Double] {
        all.filter { $0.key.hasPrefix(name + ".") }
    }
}

extension ParameterAdoption where S: TunableStrategy {
    public static var tunable: ParameterAdoption<S> {
        ParameterAdoption { strategy, values throws(EngineError) in
            try strategy.adopt(parameterValues: own(values, strategy: strategy.name))
        }
    }
}
