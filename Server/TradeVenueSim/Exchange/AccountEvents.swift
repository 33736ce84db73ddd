/// What happened to an account at the simulated venue, in the order it
/// happened: what the venues push on their private streams (Binance's
/// `executionReport` and `outboundAccountPosition`, Bybit's `order`,
/// `execution` and `wallet`). Each venue's stream writes these in its own words.
public struct AccountEvent: Sendable, Equatable {
    /// Why an order changed, as Binance's execution types name it.
    public enum Execution: String, Sendable {
        case new = "NEW", trade = "TRADE", canceled = "CANCELED", expired = "EXPIRED"
    }

    public enum Kind: Sendable, Equatable {
        /// The order as it stands after the change; the trade when it was a fill.
        case order(SimOrder, Execution, SimTrade?)
        /// The account's balances of these assets after the change.
        case balances([String: SimAccount.Balance])
    }

    /// Position in the venue's event log (from 0, never reused).
    public var sequence: Int64
    public var account: String
    /// Wall time of the change (Unix ms).
    public var wall: Int64
    public var kind: Kind
}

/// The venue's account events, newest last, bounded: a stream reader that
/// falls further behind than `capacity` events has lost them, and is told so
/// (its stream ends) rather than silently skipping.
public struct AccountEventLog: Sendable {
    public let capacity: Int
    private var events: [AccountEvent] = []
    /// Sequence of `events[0]`.
    private var first: Int64 = 0
    /// The sequence the next event gets.
    public private(set) var next: Int64 = 0

    public init(capacity: Int = 100_000) { self.capacity = capacity }

    mutating func append(account: String, wall: Int64, _ kind: AccountEvent.Kind) {
        events.append(AccountEvent(sequence: next, account: account, wall: wall, kind: kind))
        next += 1
        if events.count > capacity {
            // Drop the oldest tenth at once, so appending stays O(1) amortised.
            let drop = max(1, capacity / 10)
            events.removeFirst(drop)
            first += Int64(drop)
        }
    }

    /// The events from `sequence` on for `accounts`; nil if some of them are no longer held.
    public func since(_ sequence: Int64, accounts: Set<String>) -> [AccountEvent]? {
        guard sequence >= first else { return nil }
        let start = Int(min(sequence, next) - first)
        return events[start...].filter { accounts.contains($0.account) }
    }
}
