import Foundation
import TradeCore
import TradeRuntime
import TradeVenues

/// Where the hosted engine is in its life.
public enum EngineLifecycle: String, Sendable, Equatable {
    case idle, running, paused, halted, finished, failed
}

/// A consistent picture of the engine at one moment, taken by the host.
public struct EngineStatusSnapshot: Sendable, Equatable {
    public var state: EngineLifecycle = .idle
    public var mode: StartOptions.Mode?
    public var speed: StartOptions.Speed?
    /// Open time of the last processed candle (Unix ms), nil before the first.
    public var engineTime: Int64?
    public var startedAt: Date?
    public var uptimeSeconds: Double = 0
    public var equity: Money = .zero
    public var cash: Money = .zero
    public var pnlToday: Money = .zero
    public var pnlTotal: Money = .zero
    public var realizedPnL: Money = .zero
    public var feesPaid: Money = .zero
    public var openPositions = 0
    /// The kill switch is tripped (halted until resumed).
    public var killSwitchTripped = false
    public var models: [ModelStateRecord] = []
    public var candlesProcessed: Int64 = 0
    public var candlesTotal: Int64 = 0
    public var parameterVersion: Int64 = 0
    public var message = ""
    public var context = OperatorContext()
    public var symbols: [String] = []
    public var health = HealthScore()
    /// A paper run's live feed; nil for replays.
    public var feed: FeedStatus?
    /// The run's orders go to a real venue account (live mode).
    public var live = false
    /// A live run's execution quality, per model and venue, in key order.
    public var execution: [ExecutionQualityRow] = []
    /// A live run's last reconciliation with its venue, in words.
    public var reconciliation = ""

    public init() {}
}

public struct ModelStateRecord: Sendable, Equatable {
    public var name: String
    public var enabled: Bool
    public var timeframes: [String]
    public var signals: Int64
    public var trades: Int64
    public var breaker = ""
    public var strategy = ""

    public init(name: String, enabled: Bool, timeframes: [String], signals: Int64 = 0, trades: Int64 = 0) {
        self.name = name
        self.enabled = enabled
        self.timeframes = timeframes
        self.signals = signals
        self.trades = trades
    }
}

/// The operator's market view. Setting `riskOff` pauses a running engine's entries (journaled like a
/// pause; lifted with resume). Kept in the engine's database, so a restart remembers it.
public struct OperatorContext: Sendable, Equatable, Codable {
    public enum Bias: String, Sendable, Equatable, Codable { case neutral, riskOn = "risk-on", riskOff = "risk-off" }
    public var bias: Bias = .neutral
    public var note = ""
    public var expiresAt: Date?
    public var setAt: Date?
    public var setBy = ""

    public init(bias: Bias = .neutral, note: String = "", expiresAt: Date? = nil, setAt: Date? = nil, setBy: String = "") {
        self.bias = bias
        self.note = note
        self.expiresAt = expiresAt
        self.setAt = setAt
        self.setBy = setBy
    }

    /// The context in force at `now`: an expired one has lapsed to neutral.
    public func effective(at now: Date) -> OperatorContext {
        if let expiresAt, now >= expiresAt { return OperatorContext() }
        return self
    }
}

/// One model's orders at one venue, as status shows them.
public struct ExecutionQualityRow: Sendable, Equatable {
    public var key: ExecutionQuality.Key
    public var figures: ExecutionQuality.Figures
}
