import AsyncHTTPClient
import Foundation
import NIOCore
import TradeEngine

/// Sends alerts to webhooks without ever holding the engine up.
///
/// `raise` only appends to a bounded queue per receiver (the newest 128 are
/// kept; an alert pushed out is counted and logged). One task per receiver
/// delivers in order through AsyncHTTPClient: a 2xx answer is delivered;
/// anything else (refused connection, timeout, 4xx/5xx) is retried after a
/// random wait in [0, base × 2^attempt] (full jitter), up to `retries` times.
/// After 5 alerts in a row that could not be delivered, the receiver's breaker
/// opens for 60 s: alerts for it are dropped (counted, logged) instead of
/// piling up, and the first one after that is a probe. Every outcome is a
/// metric (`tradeengine_alert_deliveries_total{sink,result}`) and every failure
/// a warning log line, so a dead receiver is itself visible.
public final class AlertDispatcher: Sendable {
    public let settings: AlertSettings
    private let receivers: [Receiver]
    private let tasks: [Task<Void, Never>]
    private let metrics: EngineMetrics?
    private let log: @Sendable (LogRecord) -> Void

    private struct Receiver: Sendable {
        var webhook: AlertSettings.Webhook
        var queue: AsyncStream<Alert>.Continuation
    }

    public init(settings: AlertSettings, metrics: EngineMetrics?, log: @escaping @Sendable (LogRecord) -> Void,
                client: HTTPClient = .shared) {
        self.settings = settings
        var receivers: [Receiver] = []
        var tasks: [Task<Void, Never>] = []
        for webhook in settings.webhooks {
            let (stream, continuation) = AsyncStream.makeStream(of: Alert.self, bufferingPolicy: .bufferingNewest(128))
            receivers.append(Receiver(webhook: webhook, queue: continuation))
            let delivery = Delivery(webhook: webhook, settings: settings, client: client, metrics: metrics, log: log)
            tasks.append(Task { await delivery.run(stream) })
        }
        self.receivers = receivers
        self.tasks = tasks
        self.metrics = metrics
        self.log = log
    }

    /// Queues `alert` for every receiver (if it is severe enough); returns at once.
    public func raise(_ alert: Alert) {
        guard alert.severity >= settings.minSeverity else { return }
        for r in receivers {
            if case .dropped = r.queue.yield(alert) {
                metrics?.alertDropped()
                log(LogRecord(level: .warning, component: "alerts",
                              message: "alert queue for \(r.webhook.name) is full: the oldest alert was dropped",
                              fields: ["sink": r.webhook.name]))
            }
        }
    }

    /// Stops taking alerts and waits up to `grace` for the queued ones.
    public func shutdown(grace: Duration = .seconds(5)) async {
        for r in receivers { r.queue.finish() }
        let tasks = self.tasks
        await withTaskGroup(of: Void.self) { group in
            group.addTask { for t in tasks { await t.value } }
            group.addTask { try? await Task.sleep(for: grace) }
            await group.next()
            group.cancelAll()
            for t in tasks { t.cancel() }
        }
    }
}

/// One receiver's delivery loop, with its breaker.
private struct Delivery: Sendable {
    let webhook: AlertSettings.Webhook
    let settings: AlertSettings
    let client: HTTPClient
    let metrics: EngineMetrics?
    let log: @Sendable (LogRecord) -> Void
    static let breakerThreshold = 5
    static let breakerOpenFor: Duration = .seconds(60)

    func run(_ alerts: AsyncStream<Alert>) async {
        var failuresInARow = 0
        var openUntil: ContinuousClock.Instant?
        for await alert in alerts {
            if let until = openUntil, ContinuousClock.now < until {
                metrics?.alertDelivery(sink: webhook.name, result: "breaker_open")
                warn("not sent (the receiver failed \(failuresInARow) alerts in a row; breaker open): \(alert.title)")
                continue
            }
            let probing = openUntil != nil
            var attempt = 0
            while true {
                do {
                    try await send(alert)
                    metrics?.alertDelivery(sink: webhook.name, result: "delivered")
                    failuresInARow = 0
                    openUntil = nil
                    break
                } catch {
                    if Task.isCancelled || attempt >= (probing ? 0 : settings.retries) {
                        metrics?.alertDelivery(sink: webhook.name, result: "failed")
                        failuresInARow += 1
                        warn("could not deliver \"\(alert.title)\" after \(attempt + 1) attempt(s): \(error)")
                        if failuresInARow >= Self.breakerThreshold {
                            openUntil = ContinuousClock.now + Self.breakerOpenFor
                            warn("breaker open for \(Self.breakerOpenFor) after \(failuresInARow) failed alerts")
                        }
                        break
                    }
                    metrics?.alertDelivery(sink: webhook.name, result: "retried")
                    let cap = min(30_000.0, Double(settings.retryBaseMilliseconds) * pow(2, Double(attempt)))
                    try? await Task.sleep(for: .milliseconds(Int(Double.random(in: 0...cap))))
                    attempt += 1
                }
            }
        }
    }

    private func send(_ alert: Alert) async throws {
        var request = HTTPClientRequest(url: webhook.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "tradeengine-alerts")
        request.body = .bytes(ByteBuffer(bytes: alert.body(for: webhook)))
        let response = try await client.execute(request, timeout: .milliseconds(Int64(settings.timeoutMilliseconds)))
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else { throw DeliveryError(status: Int(response.status.code)) }
    }

    private func warn(_ text: String) {
        log(LogRecord(level: .warning, component: "alerts", message: "\(webhook.name) (\(webhook.kind.rawValue)): \(text)",
                      fields: ["sink": webhook.name]))
    }
}

struct DeliveryError: Error, CustomStringConvertible {
    let status: Int
    var description: String { "the receiver answered HTTP \(status)" }
}
