/// An operator's command as the engine core sees it: applied between two
/// events, at a point the journal records, so a replay applies it at exactly
/// the same place and reaches the same state.
public enum OperatorAction: Sendable, Codable, Hashable {
    /// Block new entries (positions may still be reduced and closed).
    case pauseEntries(reason: String)
    /// Lift a pause or a halt: entries are allowed again.
    case resume
    /// The kill switch: close every position and block entries until `resume`.
    case halt(reason: String)
    /// Close one symbol's position (by index), or every position when nil,
    /// without blocking entries.
    case flatten(symbol: Int?, reason: String)

    /// The symbols whose positions this action closes (`symbolCount` = all of them).
    public func symbolsToClose(symbolCount: Int) -> [Int] {
        switch self {
        case .pauseEntries, .resume: return []
        case .halt: return Array(0..<symbolCount)
        case .flatten(let symbol, _): return symbol.map { [$0] } ?? Array(0..<symbolCount)
        }
    }

    /// The reason operator orders carry ("operator: halt: …").
    public var orderReason: String {
        switch self {
        case .pauseEntries(let r): return "operator: pause: \(r)"
        case .resume: return "operator: resume"
        case .halt(let r): return "operator: halt: \(r)"
        case .flatten(_, let r): return "operator: flatten: \(r)"
        }
    }
}
