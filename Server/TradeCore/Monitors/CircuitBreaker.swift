/// The graduated circuit breaker's states, from normal to stopped.
///
/// | state | entries | how it is entered | how it is left |
/// | --- | --- | --- | --- |
/// | CLOSED | all | start; recovery from ALERT | — |
/// | ALERT | all (recorded) | degradation MINOR, or an execution fault | after `alertCooldown` with severity below MINOR → CLOSED |
/// | THROTTLE | confidence ≥ `throttleMinConfidence` only, at `throttleSizeFactor` size | degradation MODERATE; probation after a HALT | after `throttleCooldown` with severity below MODERATE (and, on probation, ≥ `probationTrades` trades since it began) → ALERT |
/// | HALT | none (exits only) | degradation SEVERE | after `haltCooldown` → THROTTLE on probation: the degradation baseline resets |
/// | SHUTDOWN | none (exits only) | degradation CRITICAL, or the `maxHalts`-th HALT within `haltWindow` | only by an operator restart → CLOSED |
///
/// A worse severity escalates at once, skipping levels; recovery is one level
/// at a time, each after its own cooldown.
public enum BreakerState: Int, CaseIterable, Sendable, Codable, Comparable, CustomStringConvertible {
    case closed = 0, alert, throttle, halt, shutdown

    public var name: String {
        switch self {
        case .closed: return "CLOSED"
        case .alert: return "ALERT"
        case .throttle: return "THROTTLE"
        case .halt: return "HALT"
        case .shutdown: return "SHUTDOWN"
        }
    }

    public var description: String { name }
    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }

    /// The state a degradation severity calls for.
    public init(severity: DegradationSeverity) {
        self = BreakerState(rawValue: severity.rawValue)!
    }

    public var allowsEntries: Bool { self <= .throttle }
}

public struct BreakerParameters: Sendable, Codable, Equatable {
    public var alertCooldownMinutes = 60
    public var throttleCooldownMinutes = 240
    public var haltCooldownMinutes = 1_440
    public var probationTrades = 5
    /// This many HALTs within `haltWindowDays` shut the model down.
    public var maxHalts = 3
    public var haltWindowDays = 7
    public var throttleMinConfidence = 0.7
    public var throttleSizeFactor = 0.5

    public init() {}
}

/// Why the breaker changed state.
public enum BreakerTrigger: UInt8, Sendable, Codable, Hashable, CustomStringConvertible {
    case degradation, recovery, probation, repeatedHalts, executionFault, operatorRestart

    public var name: String {
        switch self {
        case .degradation: return "degradation"
        case .recovery: return "recovery"
        case .probation: return "probation"
        case .repeatedHalts: return "repeated_halts"
        case .executionFault: return "execution_fault"
        case .operatorRestart: return "operator_restart"
        }
    }

    public var description: String { name }
}

public struct BreakerTransition: Sendable, Codable, Equatable {
    public var time: Int64
    public var model: ModelID
    public var from: BreakerState
    public var to: BreakerState
    public var trigger: BreakerTrigger
    public var severity: DegradationSeverity
}

/// One model's circuit breaker. All time is bar time.
public struct CircuitBreaker: Sendable, Codable {
    public let model: ModelID
    public private(set) var parameters: BreakerParameters
    public private(set) var state = BreakerState.closed
    public private(set) var since: Int64 = .min
    /// On probation after a HALT (stepping down from THROTTLE needs `probationTrades`).
    public private(set) var onProbation = false
    private var halts: [Int64] = []

    public init(model: ModelID, parameters: BreakerParameters = BreakerParameters()) {
        self.model = model
        self.parameters = parameters
    }

    /// New parameters; the state, since when, probation and the HALT history
    /// are kept (cooldowns are measured from `since` with the new minutes).
    public mutating func adopt(_ p: BreakerParameters) { parameters = p }

    /// Re-assesses with the model's current degradation; returns the
    /// transition, if any. `tradesSinceReset` comes from the degradation monitor.
    public mutating func assess(_ severity: DegradationSeverity, tradesSinceReset: Int, at time: Int64) -> BreakerTransition? {
        guard state != .shutdown else { return nil }
        let target = BreakerState(severity: severity)
        if target > state {
            var to = target
            var trigger = BreakerTrigger.degradation
            if to == .halt {
                halts.append(time)
                let window = Int64(parameters.haltWindowDays) * UTC.dayMs
                halts.removeAll { time - $0 > window }
                if halts.count >= parameters.maxHalts { to = .shutdown; trigger = .repeatedHalts }
            }
            return move(to: to, at: time, trigger: trigger, severity: severity)
        }
        guard state != .closed, time - since >= cooldownMs(state) else { return nil }
        switch state {
        case .halt:
            onProbation = true
            return move(to: .throttle, at: time, trigger: .probation, severity: severity)
        case .throttle, .alert:
            guard target < state else { return nil }
            if state == .throttle && onProbation {
                guard tradesSinceReset >= parameters.probationTrades else { return nil }
                onProbation = false
            }
            return move(to: BreakerState(rawValue: state.rawValue - 1)!, at: time, trigger: .recovery, severity: severity)
        case .closed, .shutdown:
            return nil
        }
    }

    /// True when the breaker is not CLOSED and its state's cooldown has run out
    /// at `time` (so an assessment could step it down). Cheap: for every bar.
    @inline(__always) public func cooldownElapsed(at time: Int64) -> Bool {
        state != .closed && state != .shutdown && time - since >= cooldownMs(state)
    }

    /// An execution fault (e.g. an order the exchange refused): at least ALERT.
    public mutating func recordExecutionFault(at time: Int64) -> BreakerTransition? {
        guard state < .alert else { return nil }
        return move(to: .alert, at: time, trigger: .executionFault, severity: .none)
    }

    /// Operator command: back to CLOSED from any state.
    public mutating func operatorRestart(at time: Int64) -> BreakerTransition? {
        guard state != .closed else { return nil }
        halts.removeAll()
        onProbation = false
        return move(to: .closed, at: time, trigger: .operatorRestart, severity: .none)
    }

    private func cooldownMs(_ s: BreakerState) -> Int64 {
        let minutes: Int
        switch s {
        case .alert: minutes = parameters.alertCooldownMinutes
        case .throttle: minutes = parameters.throttleCooldownMinutes
        case .halt: minutes = parameters.haltCooldownMinutes
        case .closed, .shutdown: minutes = 0
        }
        return Int64(minutes) * 60_000
    }

    private mutating func move(to: BreakerState, at time: Int64, trigger: BreakerTrigger,
                               severity: DegradationSeverity) -> BreakerTransition {
        let t = BreakerTransition(time: time, model: model, from: state, to: to, trigger: trigger, severity: severity)
        state = to
        since = time
        return t
    }
}
