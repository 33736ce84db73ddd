import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
import TradeStore
@testable import TradeServer

/// Alerts reach a person: delivered to loopback webhooks in the generic,
/// Slack and Telegram shapes, retried with backoff, cut off by a breaker when
/// the receiver stays dead, and never holding up whoever raises them.
@Suite(.serialized) struct AlertTests {
    static func settings(_ hooks: [AlertSettings.Webhook], retries: Int = 2) -> AlertSettings {
        var s = AlertSettings()
        s.webhooks = hooks
        s.retries = retries
        s.retryBaseMilliseconds = 5
        s.timeoutMilliseconds = 300
        return s
    }

    static let sample = Alert(kind: "kill_switch", severity: .critical, title: "kill switch tripped",
                              text: "loss 2000.93 USDT", fields: ["run": "3"])

    @Test func everyReceiverGetsItsOwnShape() async throws {
        let generic = try await WebhookReceiver(), slack = try await WebhookReceiver(), telegram = try await WebhookReceiver()
        let metrics = EngineMetrics()
        let d = AlertDispatcher(settings: Self.settings([.init(name: "pager", kind: .generic, url: generic.url),
                                                         .init(name: "ops", kind: .slack, url: slack.url),
                                                         .init(name: "phone", kind: .telegram, url: telegram.url, chatID: "42")]),
                                metrics: metrics, log: { _ in })
        d.raise(Self.sample)
        d.raise(Alert(kind: "breaker", severity: .info, title: "below the minimum severity", text: ""))
        for r in [generic, slack, telegram] { await r.wait(for: 1) }
        #expect(generic.json(0)?["kind"] as? String == "kill_switch" && generic.json(0)?["severity"] as? String == "critical")
        #expect((generic.json(0)?["fields"] as? [String: String])?["run"] == "3")
        #expect(slack.json(0)?["text"] as? String == "*[CRITICAL] kill switch tripped*\nloss 2000.93 USDT")
        #expect(telegram.json(0)?["chat_id"] as? String == "42")
        #expect((telegram.json(0)?["text"] as? String)?.hasPrefix("[CRITICAL] kill switch tripped") == true)
        await d.shutdown()
        // The info alert was below warning: nobody got it.
        #expect(generic.received.count == 1 && slack.received.count == 1 && telegram.received.count == 1)
        #expect(metrics.exposition().contains("tradeengine_alert_deliveries_total{sink=\"ops\",result=\"delivered\"} 1"))
        for r in [generic, slack, telegram] { await r.close() }
    }

    @Test func aFailingReceiverIsRetriedThenItsBreakerOpensAndEveryFailureIsVisible() async throws {
        let receiver = try await WebhookReceiver(.status(503))
        let metrics = EngineMetrics()
        let lines = LockedLines()
        let d = AlertDispatcher(settings: Self.settings([.init(name: "ops", kind: .slack, url: receiver.url)], retries: 2),
                                metrics: metrics, log: { lines.append($0.message) })
        // Five alerts fail (3 attempts each), the sixth meets the open breaker.
        for k in 0..<6 { d.raise(Alert(kind: "breaker", severity: .warning, title: "alert \(k)", text: "")) }
        await d.shutdown(grace: .seconds(20))
        #expect(receiver.received.count == 15, "3 attempts × 5 alerts, none for the sixth")
        let text = metrics.exposition()
        #expect(text.contains("tradeengine_alert_deliveries_total{sink=\"ops\",result=\"failed\"} 5"))
        #expect(text.contains("tradeengine_alert_deliveries_total{sink=\"ops\",result=\"retried\"} 10"))
        #expect(text.contains("tradeengine_alert_deliveries_total{sink=\"ops\",result=\"breaker_open\"} 1"))
        #expect(lines.all.contains { $0.contains("after 3 attempt(s): the receiver answered HTTP 503") })
        #expect(lines.all.contains { $0.contains("breaker open") })
        await receiver.close()
    }

    @Test func deadAndSlowReceiversNeverHoldUpTheCaller() async throws {
        let dead = try await WebhookReceiver.deadURL()
        let slow = try await WebhookReceiver(.slow(.seconds(2)))
        let metrics = EngineMetrics()
        let d = AlertDispatcher(settings: Self.settings([.init(name: "dead", kind: .generic, url: dead),
                                                         .init(name: "slow", kind: .generic, url: slow.url)], retries: 0),
                                metrics: metrics, log: { _ in })
        // 300 alerts: raise returns at once every time; each queue keeps the newest 128 and counts the rest.
        for k in 0..<300 { d.raise(Alert(kind: "breaker", severity: .warning, title: "alert \(k)", text: "")) }
        let dropped = metrics.exposition()
        #expect(dropped.contains("tradeengine_alerts_dropped_total"))
        await d.shutdown(grace: .seconds(3))
        let text = metrics.exposition()
        #expect(text.contains("sink=\"dead\",result=\"failed\""))
        #expect(text.contains("sink=\"slow\",result=\"failed\""), "the slow receiver timed out")
        #expect(!text.contains("result=\"delivered\""))
        await slow.close()
    }

    @Test func theHostAlertsWhenAnOperatorHalts() async throws {
        let receiver = try await WebhookReceiver()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite").path
        let host = try EngineHost(store: TradeStore(path: path), dataDirectories: [EngineHostTests.dataDir])
        let d = AlertDispatcher(settings: Self.settings([.init(name: "pager", kind: .generic, url: receiver.url)]),
                                metrics: nil, log: { _ in })
        await host.attach(alerts: d)
        _ = try await host.start(StartOptions(mode: .replay, source: .files([EngineHostTests.file]), speed: .x60, models: ["models"]))
        _ = try await host.halt(reason: "exchange incident")
        await receiver.wait(for: 1)
        #expect(receiver.json(0)?["kind"] as? String == "kill_switch")
        #expect((receiver.json(0)?["text"] as? String)?.contains("exchange incident") == true)
        #expect((receiver.json(0)?["fields"] as? [String: String])?["run"] == "1")
        _ = try await host.stop(flatten: false)
        await d.shutdown()
        await receiver.close()
    }
}

extension AlertTests {
    /// On the summer files the models' own kill switch trips (2025-06-12, a
    /// 2,000 USDT loss): the run raises it once, with the numbers, and the
    /// breaker and degradation changes of the run as they happen.
    @Test func theModelsOwnKillSwitchAndBreakersRaiseAlertsOnce() async throws {
        let receiver = try await WebhookReceiver()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite").path
        let host = try EngineHost(store: TradeStore(path: path), dataDirectories: [EngineHostTests.dataDir])
        var settings = Self.settings([.init(name: "pager", kind: .generic, url: receiver.url)])
        settings.minSeverity = .info
        let d = AlertDispatcher(settings: settings, metrics: nil, log: { _ in })
        await host.attach(alerts: d)
        _ = try await host.start(StartOptions(mode: .replay, source: .files(["BTCUSDT-1m-20250520-20250818.csv.gz", "ETHUSDT-1m-20250520-20250818.csv.gz"]),
                                              speed: .max, models: ["models"]))
        for _ in 0..<1200 where await host.status().state == .running { try await Task.sleep(for: .milliseconds(50)) }
        #expect(await host.status().state == .finished)
        await d.shutdown()
        let alerts = receiver.received.indices.compactMap { receiver.json($0) }
        let kills = alerts.filter { $0["kind"] as? String == "kill_switch" }
        #expect(kills.count == 1, "\(alerts)")
        #expect((kills.first?["text"] as? String)?.contains("2025-06-12") == true)
        #expect(alerts.allSatisfy { ["kill_switch", "breaker", "degradation", "edge_decay", "stale_feed"].contains($0["kind"] as? String ?? "") })
        await receiver.close()
    }
}

extension AlertTests {
    /// A database that refuses a write fails the run, and someone is told: a critical alert, and
    /// the health score's journal part at zero.
    @Test func aRefusedDatabaseWriteIsACriticalAlert() async throws {
        let receiver = try await WebhookReceiver()
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("alerts-\(UUID().uuidString).sqlite").path
        var options = TradeStore.Options()
        options.maximumPageCount = 400
        let host = try EngineHost(store: TradeStore(path: path, options: options), dataDirectories: [EngineHostTests.dataDir])
        let d = AlertDispatcher(settings: Self.settings([.init(name: "pager", kind: .generic, url: receiver.url)]), metrics: nil, log: { _ in })
        await host.attach(alerts: d)
        _ = try await host.start(EngineHostTests.reference([EngineHostTests.file]))
        for _ in 0..<600 where await host.status().state == .running { try await Task.sleep(for: .milliseconds(50)) }
        let status = await host.status()
        #expect(status.state == .failed)
        #expect(status.health.parts.first { $0.name == "journal" }?.score == 0)
        await receiver.wait(for: 1)
        #expect(receiver.json(0)?["kind"] as? String == "database" && receiver.json(0)?["severity"] as? String == "critical")
        #expect((receiver.json(0)?["text"] as? String)?.contains("full") == true)
        await d.shutdown()
        await receiver.close()
    }
}

final class LockedLines: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []
    func append(_ s: String) { lock.withLock { lines.append(s) } }
    var all: [String] { lock.withLock { lines } }
}
