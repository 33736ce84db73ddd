import Foundation
import Synchronization

/// One WebSocket connection's private subscriptions: which accounts' events
/// it is owed, from where in the venue's event log, and of which kinds.
public struct PrivateSession: Sendable {
    public struct Subscription: Sendable {
        public var id: Int64
        public var account: String
        /// The sequence of the next event this subscription is owed.
        public var next: Int64
        /// The kinds it asked for (venue words: Bybit's topics); empty: everything.
        public var topics: Set<String>
    }

    public var subscriptions: [Subscription] = []
    /// The account this connection has logged into (Bybit's `auth`), if any.
    public var authenticated: String?
    var lastID: Int64 = -1

    /// A new subscription of `account` from the next event on.
    public mutating func subscribe(_ account: String, topics: Set<String>, from next: Int64) -> Int64 {
        lastID += 1
        subscriptions.append(Subscription(id: lastID, account: account, next: next, topics: topics))
        return lastID
    }
}

/// What differs between venues' private streams: their path, how a client
/// logs in and subscribes, and how an account event is written.
public protocol PrivateStreamDialect: Sendable {
    init()
    static func route(_ path: String) -> Bool
    /// The answer to a request on the connection, which may log in or (un)subscribe.
    func answer(_ text: String, session: inout PrivateSession, state: VenueCore.State, wall: Int64) -> String
    /// What `event` is pushed as to `subscription` (nothing if it did not ask for its kind).
    func messages(_ event: AccountEvent, _ subscription: PrivateSession.Subscription, _ exchange: SimulatedExchange) -> [String]
    /// What a subscription that fell too far behind the event log is told before it is dropped.
    func terminated(_ subscription: PrivateSession.Subscription, wall: Int64) -> String
}

/// A venue's private (user-data) streams over WebSocket: order changes,
/// fills and balances of the subscribed accounts, pushed as they happen. The
/// writer matches resting orders against the candles that closed (so a fill
/// is pushed when its candle closes, not when someone next calls REST) and
/// pushes what the event log gained. Disconnect windows of the fault schedule
/// drop these connections too; what was pushed meanwhile is lost to that
/// connection, as at a venue — a client reconciles over REST.
public struct PrivateStreamHub<Dialect: PrivateStreamDialect>: StreamService {
    public let core: VenueCore
    let dialect = Dialect()
    /// How often the writer looks for new events.
    static var tick: Duration { .milliseconds(5) }

    public init(core: VenueCore) { self.core = core }

    public func streams(forPath path: String) -> (combined: Bool, streams: [String])? { Dialect.route(path) ? (false, []) : nil }

    final class Connection: Sendable {
        let session = Mutex(PrivateSession())
    }

    public func serve(read: @escaping @Sendable (@escaping @Sendable (String) async throws -> Void) async throws -> Void,
                      send: @escaping @Sendable (String) async throws -> Void, combined: Bool, initial: [String]) async throws {
        let connection = Connection()
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await read { text in try await send(self.answer(text, connection)) }
            }
            group.addTask {
                while !Task.isCancelled {
                    if self.core.withState({ $0.faults.disconnects(at: self.core.wallClock()) }) { return }
                    for message in self.due(connection) { try await send(message) }
                    try await Task.sleep(for: Self.tick)
                }
            }
            try await group.next()
            group.cancelAll()
        }
    }

    func answer(_ text: String, _ connection: Connection) -> String {
        let wall = core.now()
        return core.withState { state in
            connection.session.withLock { dialect.answer(text, session: &$0, state: state, wall: wall) }
        }
    }

    /// The messages owed to the connection's subscriptions since they were last served, oldest first.
    func due(_ connection: Connection) -> [String] {
        let wall = core.now()
        return core.withState { state in
            state.exchange.advance(toWall: wall)
            let exchange = state.exchange
            return connection.session.withLock { session in
                var out: [String] = []
                session.subscriptions = session.subscriptions.compactMap { sub in
                    guard let events = exchange.events.since(sub.next, accounts: [sub.account]) else {
                        out.append(dialect.terminated(sub, wall: wall))
                        return nil
                    }
                    for event in events { out += dialect.messages(event, sub, exchange) }
                    var moved = sub
                    moved.next = exchange.events.next
                    return moved
                }
                return out
            }
        }
    }
}

/// Parses a JSON text object (nil for anything else).
func jsonObject(_ text: String) -> [String: Any]? {
    (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any]
}
