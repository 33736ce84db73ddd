import TradeVenues

/// A live run's connection to its venue, as the host drives it: the run's new
/// orders and cancels out, the venue's answers in (journaled by the run), and a
/// reconciliation on every start and after every reconnect. `LiveOrderLink` is
/// the implementation; the host holds it without knowing the run's strategy.
public protocol VenueLink: AnyObject {
    var venue: String { get }
    /// Orders whose send got no answer; the next `reconcile` settles them.
    var unsettled: Set<Int64> { get }
    var quality: ExecutionQuality { get }
    /// Sends what the run journaled since the last call.
    nonisolated(nonsending) func send() async throws
    /// Asks the venue about every open order and applies what changed.
    nonisolated(nonsending) func poll() async throws
    /// Compares the run's open orders with the venue's (see `LiveOrderLink`).
    @discardableResult
    nonisolated(nonsending) func reconcile() async throws -> VenueReconciliation
}

/// What a reconciliation found.
public struct VenueReconciliation: Sendable, Equatable, CustomStringConvertible {
    /// Open orders the venue had: adopted, with what happened to them.
    public var adopted: [String] = []
    /// Open orders the venue did not have: placed now.
    public var placed: [String] = []
    /// Orders at the venue the run does not know (entries are halted when there are any).
    public var unknownAtVenue: [String] = []

    public init() {}

    public var description: String {
        var parts = ["\(adopted.count) open order(s) adopted", "\(placed.count) placed"]
        if !unknownAtVenue.isEmpty { parts.append("unknown at the venue: \(unknownAtVenue.sorted().joined(separator: ", "))") }
        return parts.joined(separator: ", ")
    }
}
