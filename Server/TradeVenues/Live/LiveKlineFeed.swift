import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import TradeCore
import HummingbirdWSClient

/// One venue's one-minute klines for a set of symbols, delivered closed and in
/// backtest order into a `LiveCandleBuffer`.
///
/// On every (re)connect: sync the venue's clock, backfill every symbol from
/// REST from where the buffer stands (so a restart or a disconnect leaves no
/// hole, and nothing is invented), then stream. A hole seen on the stream is
/// filled from REST before anything after it is released; a symbol that falls
/// behind the others is checked against REST. REST calls go through a breaker
/// per endpoint and are retried (they are reads) with full-jitter backoff; the
/// stream reconnects the same way. A silent stream is marked stale — the host
/// freezes entries — and remade.
public actor LiveKlineFeed {
    public let settings: FeedSettings
    public let buffer: LiveCandleBuffer
    private let logger: Logger
    private let http: HTTPClient
    private var merger: CandleMerger
    private var breakers: [String: EndpointBreaker] = [:]
    private var reconnectBackoff: ReconnectBackoff
    private var retrySeed: UInt64
    private var clockOffset: Int64 = 0
    /// Wall ms of the last kline frame (closed or not) on the stream.
    private var lastFrameAt: Int64 = 0
    private var outbox: [(Int, Candle, Int64?)] = []
    private var outboxHead = 0
    private var symbolIndex: [String: Int] = [:]
    private var framesSinceConnect = 0

    public init(settings: FeedSettings, buffer: LiveCandleBuffer, logger: Logger = Logger(label: "tradeengine.feed")) {
        precondition(settings.symbols.count == buffer.instruments.count, "one buffer queue per symbol")
        self.settings = settings
        self.buffer = buffer
        self.logger = logger
        self.http = HTTPClient(eventLoopGroupProvider: .singleton)
        var merger = CandleMerger(symbolCount: settings.symbols.count, start: buffer.start)
        for (k, after) in buffer.resumePoints.enumerated() { merger.resume(symbol: k, after: after) }
        self.merger = merger
        self.reconnectBackoff = ReconnectBackoff(baseMilliseconds: settings.timing.backoffBaseMilliseconds,
                                                 capMilliseconds: settings.timing.backoffCapMilliseconds, seed: settings.timing.seed)
        self.retrySeed = settings.timing.seed &* 0x9E37_79B9_7F4A_7C15
        for (k, s) in settings.symbols.enumerated() { symbolIndex[s] = k }
        for name in ["time", "klines", "stream"] {
            breakers[name] = EndpointBreaker(endpoint: name, failureThreshold: settings.timing.breakerThreshold,
                                             coolOffMilliseconds: settings.timing.breakerCoolOffMilliseconds)
        }
        let endpoint = settings.endpoint
        let initial = breakers.values.sorted { $0.endpoint < $1.endpoint }
        buffer.updateStatus { $0.endpoint = endpoint; $0.breakers = initial }
    }

    /// Runs until the task is cancelled; then closes its HTTP client.
    public func run() async {
        while !Task.isCancelled {
            do {
                try await syncClock()
                try await backfillAll()
                try await stream()
            } catch is CancellationError {
                break
            } catch {
                if Task.isCancelled { break }
                note("feed: \(error)")
            }
            buffer.updateStatus { $0.connected = false; $0.reconnects += 1 }
            if framesSinceConnect > 0 { reconnectBackoff.reset() }
            let wait = max(reconnectBackoff.nextDelayMilliseconds(), breakers["stream"]!.waitMilliseconds(at: Self.wallNow()))
            do { try await Task.sleep(for: .milliseconds(wait)) } catch { break }
        }
        buffer.updateStatus { $0.connected = false }
        try? await http.shutdown()
    }

    static func wallNow() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    private func note(_ message: String) {
        logger.warning("\(message)")
        buffer.updateStatus { $0.message = message }
    }

    private func publishBreakers() {
        let all = breakers.values.sorted { $0.endpoint < $1.endpoint }
        buffer.updateStatus { $0.breakers = all }
    }

    // MARK: - REST

    /// A GET through the endpoint's breaker, retried (it is a read) until it
    /// answers and `read` accepts the body, or the task is cancelled.
    private func fetch<T>(_ endpoint: String, _ pathAndQuery: String, read: (Data) throws(VenueFeedError) -> T) async throws -> T {
        var backoff = ReconnectBackoff(baseMilliseconds: settings.timing.backoffBaseMilliseconds,
                                       capMilliseconds: settings.timing.backoffCapMilliseconds, seed: retrySeed)
        retrySeed &+= 1
        while true {
            try Task.checkCancellation()
            guard breakers[endpoint]!.allows(at: Self.wallNow()) else {
                publishBreakers()
                try await Task.sleep(for: .milliseconds(max(50, breakers[endpoint]!.waitMilliseconds(at: Self.wallNow()))))
                continue
            }
            var retryAfter: Int64 = 0
            do {
                let body = try await get(pathAndQuery)
                let value = try read(body)
                breakers[endpoint]!.recordSuccess()
                publishBreakers()
                return value
            } catch let error as VenueFeedError {
                breakers[endpoint]!.recordFailure(error.description, at: Self.wallNow())
                publishBreakers()
                note("\(settings.dialect.venue) \(endpoint): \(error.description)")
                retryAfter = Int64(error.retryAfterSeconds ?? 0) * 1_000
            }
            try await Task.sleep(for: .milliseconds(max(backoff.nextDelayMilliseconds(), retryAfter)))
        }
    }

    private func get(_ pathAndQuery: String) async throws -> Data {
        let url = settings.endpoint.trimmingSuffix("/") + pathAndQuery
        let response: HTTPClientResponse
        let body: ByteBuffer
        do {
            response = try await http.execute(HTTPClientRequest(url: url), timeout: .milliseconds(settings.timing.requestTimeoutMilliseconds))
            body = try await response.body.collect(upTo: 32 << 20)
        } catch is CancellationError {
            throw CancellationError()
        } catch {
            throw VenueFeedError(.transport, "GET \(pathAndQuery): \(error)")
        }
        let headers = response.headers.map { ($0.name, $0.value) }
        let data = Data(body.readableBytesView)
        switch response.status.code {
        case 200:
            if let weight = settings.dialect.requestWeight(headers: headers),
               Double(weight.used) >= Double(weight.limit) * settings.timing.weightPauseShare {
                // Proactive: wait for the venue's minute window to roll over instead of meeting a 429.
                let now = Self.wallNow() + clockOffset
                let wait = 60_000 - now % 60_000 + 50
                note("\(settings.dialect.venue) request weight \(weight.used)/\(weight.limit): pausing REST \(wait) ms")
                try await Task.sleep(for: .milliseconds(wait))
            }
            return data
        case 429, 418:
            let retry = response.headers.first(name: "Retry-After").flatMap(Int.init) ?? 1
            throw VenueFeedError(.rateLimited, "GET \(pathAndQuery): HTTP \(response.status.code), retry after \(retry) s",
                                 retryAfterSeconds: retry)
        default:
            throw VenueFeedError(.http, "GET \(pathAndQuery): HTTP \(response.status.code) \(String(decoding: data.prefix(200), as: UTF8.self))")
        }
    }

    /// Venue clock minus ours, from the midpoint of the request.
    private func syncClock() async throws {
        let dialect = settings.dialect
        let sent = Self.wallNow()
        let server = try await fetch("time", dialect.serverTimeRequest()) { (body) throws(VenueFeedError) in try dialect.serverTime(from: body) }
        let received = Self.wallNow()
        clockOffset = server - (sent + received) / 2
        let offset = clockOffset
        buffer.updateStatus { $0.clockOffsetMilliseconds = offset }
    }

    // MARK: - Backfill

    private func backfillAll() async throws {
        for k in settings.symbols.indices { try await backfill(symbol: k, through: nil) }
    }

    /// Fetches symbol `k`'s candles after the merger's confirmed point: all the
    /// venue has closed (`through` nil), or up to `through`. What the venue
    /// answered for a span is the truth for it: missing minutes there do not exist.
    private func backfill(symbol k: Int, through: Int64?) async throws {
        let dialect = settings.dialect
        let limit = dialect.klinesPerRequest
        while true {
            let from = merger.confirmedThrough[k] + CandleMerger.minute
            if let through, from > through { return }
            let candles = try await fetch("klines", dialect.klinesRequest(symbol: settings.symbols[k], start: from, limit: limit)) {
                (body) throws(VenueFeedError) in try dialect.klines(from: body)
            }
            let serverNow = Self.wallNow() + clockOffset
            let closed = candles.filter { $0.openTime >= from && $0.openTime + CandleMerger.minute <= serverNow }
            var added = 0
            for c in closed where merger.add(symbol: k, c) != .duplicate { added += 1 }
            if let last = closed.last { merger.confirmNone(symbol: k, through: last.openTime) }
            if candles.count < limit, let through, closed.last.map({ $0.openTime < through }) ?? true {
                // The venue has nothing more up to `through` (the others' candles there have closed).
                merger.confirmNone(symbol: k, through: through)
            }
            let n = added
            buffer.updateStatus { $0.backfilledCandles += n }
            try await flush()
            if candles.count < limit || closed.isEmpty { return }
        }
    }

    /// Hands every releasable candle to the buffer, in order, waiting while it is full. `received`: the
    /// wall time (µs) of the stream frame that released them (nil when REST did).
    private func flush(received: Int64? = nil) async throws {
        merger.release { k, c in outbox.append((k, c, received)) }
        while outboxHead < outbox.count {
            let (k, c, stamp) = outbox[outboxHead]
            if buffer.append(symbol: k, c, received: stamp) {
                outboxHead += 1
                let now = Self.wallNow()
                buffer.updateStatus { $0.lastCandleArrivedAt = now; $0.stale = false }
                continue
            }
            try await Task.sleep(for: .milliseconds(10))
        }
        if outboxHead > 4_096 || outboxHead == outbox.count {
            outbox.removeFirst(outboxHead)
            outboxHead = 0
        }
    }

    // MARK: - Stream

    private func stream() async throws {
        guard breakers["stream"]!.allows(at: Self.wallNow()) else {
            throw VenueFeedError(.transport, "the stream's breaker is open")
        }
        let url = settings.dialect.streamURL(restEndpoint: settings.endpoint)
        let subscribe = settings.dialect.subscribeMessages(symbols: settings.symbols)
        let keepAlive = settings.dialect.keepAlive
        let stale = settings.timing.staleAfterMilliseconds
        framesSinceConnect = 0
        lastFrameAt = Self.wallNow()
        let feed = self
        do {
            try await WebSocketClient.connect(url: url, configuration: .init(maxFrameSize: 1 << 22, closeTimeout: .seconds(2)),
                                              logger: logger) { inbound, outbound, _ in
                for message in subscribe { try await outbound.write(.text(message)) }
                await feed.streamOpened()
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var lastPing = Self.wallNow()
                        while true {
                            try await Task.sleep(for: .milliseconds(max(10, min(250, stale / 4))))
                            if let keepAlive, Self.wallNow() - lastPing >= keepAlive.everyMilliseconds {
                                try await outbound.write(.text(keepAlive.message))
                                lastPing = Self.wallNow()
                            }
                            if await feed.isSilent() {
                                await feed.markStale()
                                try? await outbound.close(.goingAway, reason: "stale feed")
                                return
                            }
                        }
                    }
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 22) {
                            guard case .text(let text) = message else { continue }
                            try await feed.receive(text)
                        }
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        } catch is CancellationError {
            throw CancellationError()
        } catch let error as VenueFeedError {
            streamFailed(error.description)
            throw error
        } catch {
            streamFailed("\(error)")
            throw VenueFeedError(.transport, "stream \(url): \(error)")
        }
        if framesSinceConnect == 0 { streamFailed("the stream closed before any kline") }
        throw VenueFeedError(.transport, "the stream closed")
    }

    private func streamFailed(_ message: String) {
        breakers["stream"]!.recordFailure(message, at: Self.wallNow())
        publishBreakers()
    }

    private func streamOpened() {
        buffer.updateStatus { $0.connected = true }
    }

    private func isSilent() -> Bool { Self.wallNow() - lastFrameAt > settings.timing.staleAfterMilliseconds }

    private func markStale() {
        let after = settings.timing.staleAfterMilliseconds
        note("no kline for \(after) ms: the feed is stale; reconnecting")
        buffer.updateStatus { $0.stale = true }
    }

    private func receive(_ text: String) async throws {
        let message: StreamMessage
        do { message = try settings.dialect.streamMessage(text) } catch {
            note("\(settings.dialect.venue) stream: \(error.description)")  // refused, counted, never applied
            return
        }
        guard case .kline(let symbol, let candle, let closed) = message, let k = symbolIndex[symbol] else { return }
        let received = Int64(Date().timeIntervalSince1970 * 1_000_000)
        lastFrameAt = Self.wallNow()
        if framesSinceConnect == 0 {
            breakers["stream"]!.recordSuccess()
            publishBreakers()
        }
        framesSinceConnect += 1
        guard closed else { return }
        if case .gap(let from, let to) = merger.add(symbol: k, candle) {
            logger.info("\(settings.symbols[k]): stream skipped \(from)…\(to); backfilling")
            try await backfill(symbol: k, through: to)
        }
        // A symbol the others have left behind is checked against REST.
        let ahead = merger.confirmedThrough.max() ?? .min
        for j in settings.symbols.indices where merger.confirmedThrough[j] < ahead - CandleMerger.minute && merger.openGap(symbol: j) == nil {
            try await backfill(symbol: j, through: ahead - CandleMerger.minute)
        }
        try await flush(received: received)
    }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var s = self
        while s.hasSuffix(suffix) { s.removeLast(suffix.count) }
        return s
    }
}
