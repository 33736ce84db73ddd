import TradeCore
import TradeEngine
import TradeStore

/// Operator actions, parameter versions and the end of a run: each is
/// journaled at its place between two candles, together with the orders it
/// caused and the run's new state, in one commit before the caller hears back.
extension JournaledRun {
    /// Applies an operator action between two candles.
    public func apply(_ action: OperatorAction) throws {
        try checkUsable()
        guard state.isActive else { throw RuntimeError("run \(runID) is \(state.rawValue); it takes no commands") }
        try engine.apply(action)
        let newState = action.state(after: state)
        let newMessage = newState != state ? Self.message(for: action) : message
        var batch = StoreBatch()
        sequence += 1
        batch.journal.append(JournalEntry(sequence: sequence, time: engine.currentTime, event: .operatorCommand(action.journalCommand)))
        var touched = Set<Int64>()
        journalNewOrderEvents(into: &batch, time: engine.currentTime, touched: &touched)
        finishBatch(&batch, touched: touched)
        if newState != state {
            batch.runUpdate = RunUpdate(id: runID, state: newState.rawValue, message: newMessage, endedAt: nil)
        }
        try commit(batch)
        state = newState
        message = newMessage
    }

    /// Switches the strategy to parameter `version` (whose values are `values`,
    /// the full set; the strategy takes the ones under its name) between two candles.
    public func adopt(version: Int64, values: [String: Double]) throws {
        try checkUsable()
        guard state.isActive else { throw RuntimeError("run \(runID) is \(state.rawValue); it takes no parameters") }
        guard let adoption else { throw RuntimeError("the \(engine.strategy.name) strategy takes no parameter changes while running") }
        try engine.updateStrategy { s throws(EngineError) in try adoption.adopt(&s, values) }
        var batch = StoreBatch()
        sequence += 1
        batch.journal.append(JournalEntry(sequence: sequence, time: engine.currentTime, event: .parameterChange(version: version)))
        try commit(batch)
        parameterVersion = version
    }

    /// Ends the run for good: journaled, the run marked stopped, a final snapshot.
    public func stop(message: String) throws {
        try checkUsable()
        guard state.isActive else { throw RuntimeError("run \(runID) is \(state.rawValue) already") }
        engine.finish()
        var batch = StoreBatch()
        sequence += 1
        batch.journal.append(JournalEntry(sequence: sequence, time: engine.currentTime,
                                          event: .operatorCommand(OperatorCommand(name: "stop", arguments: ["reason": message]))))
        batch.runUpdate = RunUpdate(id: runID, state: RunState.stopped.rawValue, message: message, endedAt: engine.currentTime)
        history.collect(engine, into: &batch)
        batch.snapshot = try makeSnapshot()
        try commit(batch)
        state = .stopped
        self.message = message
    }

    static func message(for action: OperatorAction) -> String {
        switch action {
        case .pauseEntries(let r): return "paused: \(r)"
        case .halt(let r): return "halted: \(r)"
        case .resume: return ""
        case .flatten(_, let r): return "flatten: \(r)"
        }
    }
}
