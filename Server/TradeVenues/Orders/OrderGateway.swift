import AsyncHTTPClient
import Foundation
import NIOCore
import TradeCore

/// Talks to one venue's order API for one account, through its `OrderDialect`:
/// signs with the venue's clock (synced from its server time), keeps a breaker per
/// endpoint, holds back before the venue's request weight runs out (and for as long
/// as a 429 says), and retries only what is safe to retry:
///
/// - reads (query, open orders, trades, balances) after no answer or a 5xx;
/// - anything the venue refused for our clock (-1021 / 10002), after a resync;
/// - a **new order never blindly**: when its answer is lost, the gateway waits out the
///   receive window (a late copy would be refused by then), looks the order up by our
///   client id, and adopts it if the venue has it; only an order the venue does not
///   have is sent again, under the same client id.
///
/// The secret stays in `VenueCredentials`; errors carry the venue's words only.
public actor OrderGateway {
    public nonisolated let dialect: any OrderDialect
    public let baseURL: String
    public let settings: OrderGatewaySettings
    private let credentials: VenueCredentials
    private let client: HTTPClient
    private let now: @Sendable () -> Int64

    /// Venue time minus ours (ms), from the last sync.
    public private(set) var clockOffsetMs: Int64 = 0
    private var breakers: [String: EndpointBreaker] = [:]
    /// No call goes out before this (a 429's Retry-After, a ban, a spent weight window).
    private var holdUntil: Int64 = .min
    private var backoff: ReconnectBackoff
    public private(set) var statistics = OrderGatewayStatistics()

    public init(dialect: any OrderDialect, baseURL: String, credentials: VenueCredentials, settings: OrderGatewaySettings = .init(),
                client: HTTPClient = .shared, now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }) {
        self.dialect = dialect
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.credentials = credentials
        self.settings = settings
        self.client = client
        self.now = now
        backoff = ReconnectBackoff(baseMilliseconds: settings.backoffBaseMs, capMilliseconds: settings.backoffCapMs, seed: settings.seed)
    }

    /// Every endpoint's breaker, by name.
    public var endpointBreakers: [EndpointBreaker] { breakers.values.sorted { $0.endpoint < $1.endpoint } }

    // MARK: - Operations

    /// Reads the venue's time and keeps the offset (half the round trip is taken as the way there).
    public func syncClock() async throws(VenueOrderError) {
        let call = dialect.serverTime()
        let (venueTime, sent, received) = try await retrying { () async throws(VenueOrderError) -> (Int64, Int64, Int64) in
            let sent = self.now()
            let body = try await self.send(call)
            return (try self.dialect.serverTime(from: body), sent, self.now())
        }
        clockOffsetMs = venueTime - (sent + received) / 2
        statistics.clockSyncs += 1
    }

    public func place(_ request: VenueOrderRequest) async throws(VenueOrderError) -> VenuePlacement {
        var last = VenueOrderError(.outcomeUnknown, "no attempt was made")
        for attempt in 1...settings.maxAttempts {
            let sentAt = now()
            do {
                let placement = try dialect.placement(from: try await send(dialect.place(request)), request: request)
                backoff.reset()
                return placement
            } catch {
                last = error
                switch error.kind {
                case .outcomeUnknown, .malformed:
                    // It may be at the venue: wait until a late copy would be refused, then look.
                    try await sleep(until: sentAt + settings.recvWindowMs + Self.clockSlackMs)
                    if let found = try await lookUp(request) {
                        statistics.adoptedOrders += 1
                        return VenuePlacement(order: found, trades: [], adopted: true)
                    }
                    statistics.resentOrders += 1
                case .duplicateClientOrderID where attempt > 1:
                    // An earlier try of ours went through after all.
                    if let found = try await lookUp(request) {
                        statistics.adoptedOrders += 1
                        return VenuePlacement(order: found, trades: [], adopted: true)
                    }
                    throw error
                case .clockSkew: try await syncClock()   // refused, not placed: safe to send again
                case .rateLimited where (error.retryAfterMs ?? .max) <= settings.maxRateLimitWaitMs: try await sleep(ms: error.retryAfterMs ?? 0)
                default: throw error
                }
            }
            if attempt < settings.maxAttempts { try await sleep(ms: backoff.nextDelayMilliseconds()) }
        }
        throw last
    }

    /// The order with our client id, or nil when the venue has none.
    public func query(symbol: String, clientOrderID: String) async throws(VenueOrderError) -> VenueOrderState? {
        let call = dialect.query(symbol: symbol, clientOrderID: clientOrderID)
        return try await retrying { () async throws(VenueOrderError) -> VenueOrderState? in
            do throws(VenueOrderError) {
                return try self.dialect.order(from: try await self.send(call), clientOrderID: clientOrderID)
            } catch {
                if error.kind == .unknownOrder { return nil }
                throw error
            }
        }
    }

    /// Cancels one order by our client id — never all of them. An order that was already done
    /// comes back as it ended (the venue says "unknown order" to a cancel of a filled one).
    public func cancel(symbol: String, clientOrderID: String) async throws(VenueOrderError) -> VenueOrderState {
        let call = dialect.cancel(symbol: symbol, clientOrderID: clientOrderID)
        do {
            return try await retrying { () async throws(VenueOrderError) -> VenueOrderState in
                try self.dialect.cancelled(from: try await self.send(call), symbol: symbol, clientOrderID: clientOrderID)
            }
        } catch {
            guard error.kind == .unknownOrder, let order = try await query(symbol: symbol, clientOrderID: clientOrderID) else { throw error }
            return order
        }
    }

    public func openOrders(symbol: String) async throws(VenueOrderError) -> [VenueOrderState] {
        let call = dialect.openOrders(symbol: symbol)
        return try await retrying { () async throws(VenueOrderError) -> [VenueOrderState] in
            try self.dialect.openOrders(from: try await self.send(call))
        }
    }

    public func trades(symbol: String, startTime: Int64) async throws(VenueOrderError) -> [VenueTrade] {
        let call = dialect.trades(symbol: symbol, startTime: startTime)
        return try await retrying { () async throws(VenueOrderError) -> [VenueTrade] in try self.dialect.trades(from: try await self.send(call)) }
    }

    public func balances() async throws(VenueOrderError) -> [VenueBalance] {
        let call = dialect.balances()
        return try await retrying { () async throws(VenueOrderError) -> [VenueBalance] in try self.dialect.balances(from: try await self.send(call)) }
    }

    // MARK: - Internals

    /// Clocks drift between a sync and the venue's check: a little slack on waits that rely on its window.
    static let clockSlackMs: Int64 = 250

    private func lookUp(_ request: VenueOrderRequest) async throws(VenueOrderError) -> VenueOrderState? {
        try await query(symbol: request.symbol, clientOrderID: request.clientOrderID)
    }

    /// A read (or a cancel, which the venue does once whatever we send) tried again after no
    /// answer, a 5xx, a clock refusal or a short rate limit.
    private func retrying<T: Sendable>(_ body: () async throws(VenueOrderError) -> T) async throws(VenueOrderError) -> T {
        var last = VenueOrderError(.outcomeUnknown, "no attempt was made")
        for attempt in 1...settings.maxAttempts {
            do {
                let value = try await body()
                backoff.reset()
                return value
            } catch {
                last = error
                switch error.kind {
                case .outcomeUnknown: statistics.retries += 1
                case .clockSkew: try await syncClock()
                case .rateLimited where (error.retryAfterMs ?? .max) <= settings.maxRateLimitWaitMs: try await sleep(ms: error.retryAfterMs ?? 0)
                default: throw error
                }
            }
            if attempt < settings.maxAttempts { try await sleep(ms: backoff.nextDelayMilliseconds()) }
        }
        throw last
    }

    /// One signed exchange: held back while a limit lasts, refused while the endpoint's breaker is open.
    private func send(_ call: VenueCall) async throws(VenueOrderError) -> Data {
        let start = now()
        if start < holdUntil {
            throw .init(.rateLimited, "\(dialect.venue): holding back \(holdUntil - start) ms until its request limit resets",
                        retryAfterMs: holdUntil - start)
        }
        var breaker = breakers[call.endpoint] ?? EndpointBreaker(endpoint: call.endpoint, failureThreshold: settings.breakerThreshold,
                                                                coolOffMilliseconds: settings.breakerCoolOffMs)
        guard breaker.allows(at: start) else {
            breakers[call.endpoint] = breaker
            throw .init(.breakerOpen, "\(dialect.venue) \(call.endpoint): the breaker is open after \(breaker.consecutiveFailures) failures (\(breaker.lastError)); next probe in \(breaker.waitMilliseconds(at: start)) ms")
        }
        breakers[call.endpoint] = breaker
        let wire = dialect.encode(call, credentials: credentials, timestamp: start + clockOffsetMs, recvWindowMs: settings.recvWindowMs)
        statistics.calls += 1
        let answer: VenueHTTPAnswer
        do { answer = try await exchange(wire) } catch {
            fail(call.endpoint, error.message)
            throw error
        }
        let latency = now() - start
        statistics.record(latencyMs: latency)
        if let (used, limit) = dialect.usedWeight(answer), Double(used) >= Double(limit) * settings.weightHeadroom {
            // Hold back until the venue's minute window turns over, before it would answer 429.
            let venueNow = now() + clockOffsetMs
            holdUntil = max(holdUntil, now() + (60_000 - venueNow % 60_000))
            statistics.weightHolds += 1
        }
        if let refusal = dialect.refusal(answer) {
            switch refusal.kind {
            case .outcomeUnknown, .malformed: fail(call.endpoint, refusal.message)
            case .rateLimited, .banned:
                holdUntil = max(holdUntil, now() + (refusal.retryAfterMs ?? 60_000))
                statistics.rateLimited += 1
                succeed(call.endpoint)
            default: succeed(call.endpoint)   // the venue answered; the refusal is the caller's to handle
            }
            throw refusal
        }
        succeed(call.endpoint)
        return answer.body
    }

    private func exchange(_ wire: VenueHTTPRequest) async throws(VenueOrderError) -> VenueHTTPAnswer {
        var request = HTTPClientRequest(url: baseURL + wire.target)
        request.method = .RAW(value: wire.method)
        for (name, value) in wire.headers { request.headers.add(name: name, value: value) }
        if !wire.body.isEmpty { request.body = .bytes(ByteBuffer(string: wire.body)) }
        do {
            let response = try await client.execute(request, timeout: .milliseconds(settings.timeoutMs))
            let body = try await response.body.collect(upTo: 4 << 20)
            return VenueHTTPAnswer(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
                                   body: Data(body.readableBytesView))
        } catch {
            // The path only: the query holds the signature.
            throw .init(.outcomeUnknown, "\(dialect.venue) \(wire.method) \(wire.target.split(separator: "?").first ?? ""): no answer (\(error))")
        }
    }

    private func fail(_ endpoint: String, _ why: String) {
        statistics.failures += 1
        breakers[endpoint]?.recordFailure(why, at: now())
    }

    private func succeed(_ endpoint: String) { breakers[endpoint]?.recordSuccess() }

    private func sleep(ms: Int64) async throws(VenueOrderError) {
        guard ms > 0 else { return }
        do { try await Task.sleep(for: .milliseconds(ms)) } catch { throw .init(.outcomeUnknown, "cancelled while waiting to retry") }
    }

    private func sleep(until time: Int64) async throws(VenueOrderError) { try await sleep(ms: time - now()) }
}

/// Counts of what a gateway did, and its recent call latencies.
public struct OrderGatewayStatistics: Sendable, Equatable {
    public var calls = 0
    public var failures = 0
    public var retries = 0
    /// Orders whose answer was lost and that were found at the venue by client id.
    public var adoptedOrders = 0
    /// Orders sent again because the venue did not have them after a lost answer.
    public var resentOrders = 0
    public var rateLimited = 0
    public var weightHolds = 0
    public var clockSyncs = 0
    /// The latest call latencies (ms), about `latencyWindow` of them, oldest first.
    public private(set) var latenciesMs = SampleWindow(capacity: latencyWindow)
    public static let latencyWindow = 1_024

    mutating func record(latencyMs: Int64) { latenciesMs.append(Double(latencyMs)) }
}
