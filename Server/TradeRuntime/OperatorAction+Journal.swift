import TradeCore
import TradeStore

/// Operator actions as journal entries: `OperatorCommand`s named "pause",
/// "resume", "halt", "flatten" (and "stop", which ends a run), with their
/// arguments as text, so the journal stays readable without this build.
extension OperatorAction {
    var journalCommand: OperatorCommand {
        switch self {
        case .pauseEntries(let reason): return OperatorCommand(name: "pause", arguments: ["reason": reason])
        case .resume: return OperatorCommand(name: "resume")
        case .halt(let reason): return OperatorCommand(name: "halt", arguments: ["reason": reason])
        case .flatten(let symbol, let reason):
            var arguments = ["reason": reason]
            if let symbol { arguments["symbol"] = String(symbol) }
            return OperatorCommand(name: "flatten", arguments: arguments)
        }
    }

    /// The action a journaled command holds; nil for commands that are not engine actions (start, stop).
    init?(journalCommand c: OperatorCommand) {
        let reason = c.arguments["reason"] ?? ""
        switch c.name {
        case "pause": self = .pauseEntries(reason: reason)
        case "resume": self = .resume
        case "halt": self = .halt(reason: reason)
        case "flatten": self = .flatten(symbol: c.arguments["symbol"].flatMap { Int($0) }, reason: reason)
        default: return nil
        }
    }

    /// The run's state after this action, from `state`.
    func state(after state: RunState) -> RunState {
        switch self {
        case .pauseEntries: return .paused
        case .halt: return .halted
        case .resume: return .running
        case .flatten: return state
        }
    }
}
