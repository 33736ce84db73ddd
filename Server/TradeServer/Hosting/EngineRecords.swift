import Foundation
import TradeCore

/// The engine's facts as the host reports them: core types plus the names
/// (symbol, model) and times a reader needs, so the API layer maps without
/// reaching back into the engine.

public struct PositionRecord: Sendable, Equatable {
    public var symbol: String
    public var quantity: Quantity
    public var averagePrice: Price
    public var markPrice: Price
    public var notional: Money
    public var unrealizedPnL: Money
}

public struct OrderRecord: Sendable, Equatable {
    public var order: Order
    public var symbol: String
    public var model: String
}

public struct TradeRecord: Sendable, Equatable {
    public var fill: Fill
    public var symbol: String
    public var model: String
    public var reason: String
    /// 1-based position in the run's fill log.
    public var sequence: Int64
}

public enum SignalOutcome: String, Sendable, Equatable, CaseIterable {
    case accepted, rejected, blocked, resized, vetoed
}

/// A model's wish to trade and what became of it, with every reason.
public struct SignalRecord: Sendable, Equatable {
    public var id: Int64
    public var model: String
    public var symbol: String
    public var side: OrderSide
    public var quantity: Quantity
    public var outcome: SignalOutcome
    public var reasons: [String]
    /// Engine time (Unix ms).
    public var time: Int64
    /// 0 when no order was created.
    public var orderID: Int64
    /// The resolver rule that decided it ("" for strategies without a resolver).
    public var rule: String = ""
    /// 0…1; 0 for strategies that do not grade their signals.
    public var confidence: Double = 0
}

public struct ModelPerformanceRecord: Sendable, Equatable {
    public var model: String
    public var roundTrips: Int
    public var winRate: Double
    public var realizedPnL: Money
    public var fees: Money
    public var profitFactor: Double
    public var expectancy: Double
    public var maxDrawdown: Double
    public var sharpe: Double
}

public struct RiskSnapshot: Sendable, Equatable {
    public struct Budget: Sendable, Equatable {
        public var name: String
        public var limit: Money
        public var used: Money
        public var left: Money
    }

    public struct Cooldown: Sendable, Equatable {
        public var symbol: String
        public var model: String
        public var reason: String
        public var until: Int64
    }

    public var equity: Money = .zero
    public var grossExposure: Money = .zero
    public var netExposure: Money = .zero
    public var leverage: Double = 0
    public var var95: Double = 0
    public var cvar95: Double = 0
    public var budgets: [Budget] = []
    public var cooldowns: [Cooldown] = []
    public var killSwitchTripped = false

    public init() {}
}

/// One parameter of one model, typed.
public struct ParameterValue: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case number(Double), integer(Int64), flag(Bool)
    }
    public var model: String
    public var name: String
    public var value: Value

    public init(model: String, name: String, value: Value) {
        self.model = model
        self.name = name
        self.value = value
    }
}

public struct ParameterSetRecord: Sendable, Equatable {
    public var version: Int64
    public var parameters: [ParameterValue]
    public var createdAt: Date
    public var createdBy: String
    public var comment: String
    public var restoredFrom: Int64
    /// What moved from the version before.
    public var changes: [ParameterChangeRecord] = []
    /// An admin forced it past the step limit.
    public var forced = false
}

public struct ParameterChangeRecord: Sendable, Equatable {
    public var model: String
    public var name: String
    public var from: Double?
    public var to: Double?
}

public struct CandleRecord: Sendable, Equatable {
    public var symbol: String
    public var candle: Candle
}

public struct FlattenResult: Sendable, Equatable {
    public var status: EngineStatusSnapshot
    /// Symbols whose positions get a closing market order at their next bar.
    public var symbols: [String]
}

/// A line for the log stream.
public struct LogRecord: Sendable, Equatable {
    public enum Level: Int, Sendable, Comparable {
        case debug = 1, info, warning, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }
    public var time: Date
    public var level: Level
    public var component: String
    public var message: String
    /// Structured context: "run", "model", "symbol", … (empty when none applies).
    public var fields: [String: String]

    public init(time: Date = Date(), level: Level, component: String, message: String, fields: [String: String] = [:]) {
        self.time = time
        self.level = level
        self.component = component
        self.message = message
        self.fields = fields
    }
}

/// One run of the engine's database.
public struct RunSummary: Sendable, Equatable {
    public var id: Int64
    public var state: String
    public var message: String
    public var startedAt: Date
    /// Engine time when it ended; nil while active.
    public var endedAt: Int64?
    public var strategy: String
    public var symbols: [String]
    public var settings: [String: String]
}

public struct BreakerTransitionRecord: Sendable, Equatable {
    public var time: Int64
    public var model: String
    public var symbol: String
    public var breaker: String
    public var from: String
    public var to: String
    public var reason: String
}
