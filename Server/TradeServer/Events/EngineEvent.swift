/// What the engine tells its watchers.
public enum EngineEvent: Sendable {
    case signal(SignalRecord)
    case trade(TradeRecord)
    case log(LogRecord)
    case status(EngineStatusSnapshot)

    public var kind: EventKind {
        switch self {
        case .signal: return .signal
        case .trade: return .trade
        case .log: return .log
        case .status: return .status
        }
    }
}

public enum EventKind: Sendable, Hashable, CaseIterable {
    case signal, trade, log, status
}

/// What a subscriber receives: an event, or a marker that it fell behind and
/// `dropped` bus events (counted before its filter) were lost to it here.
public enum BusItem: Sendable {
    case event(EngineEvent)
    case lag(dropped: Int)
}

/// Which events a subscriber wants.
public struct EventFilter: Sendable, Equatable {
    public var kinds: Set<EventKind>
    public var model: String?
    public var symbol: String?
    /// Log lines below this level are not delivered.
    public var minLevel: LogRecord.Level
    /// Log components to deliver; empty = all.
    public var components: Set<String>

    public init(kinds: Set<EventKind>, model: String? = nil, symbol: String? = nil, minLevel: LogRecord.Level = .info,
                components: Set<String> = []) {
        self.kinds = kinds
        self.model = model
        self.symbol = symbol
        self.minLevel = minLevel
        self.components = components
    }

    var wantsDebugLogs: Bool { kinds.contains(.log) && minLevel == .debug }

    public func accepts(_ event: EngineEvent) -> Bool {
        guard kinds.contains(event.kind) else { return false }
        switch event {
        case .signal(let s):
            return (model == nil || model == s.model) && (symbol == nil || symbol == s.symbol)
        case .trade(let t):
            return (model == nil || model == t.model) && (symbol == nil || symbol == t.symbol)
        case .log(let l):
            return l.level >= minLevel && (components.isEmpty || components.contains(l.component))
        case .status:
            return true
        }
    }
}
