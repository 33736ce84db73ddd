import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The server's metrics, made through swift-metrics with a Prometheus factory
/// of their own (no process-wide bootstrap, so several servers in one test
/// process never mix their numbers), exposed by `MetricsListener`.
///
/// Counters and histograms are fed as things happen (candles, signals,
/// orders, fills, commits, RPCs); gauges are sampled from the host's status,
/// risk and health at each scrape (`sample`), so a scrape never shows a stale
/// equity.
public final class EngineMetrics: Sendable {
    public let registry: PrometheusCollectorRegistry
    let factory: PrometheusMetricsFactory

    public init() {
        registry = PrometheusCollectorRegistry()
        var f = PrometheusMetricsFactory(registry: registry)
        // A hosted replay decides a candle in microseconds; a commit takes milliseconds.
        let micro: [Duration] = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1_000, 5_000, 20_000].map { .microseconds($0) }
        f.durationHistogramBuckets["tradeengine_decision_seconds"] = micro
        f.durationHistogramBuckets["tradeengine_journal_commit_seconds"] =
            [0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1_000].map { .milliseconds($0) }
        f.durationHistogramBuckets["tradeengine_candle_to_journal_seconds"] =
            [0.1, 0.2, 0.5, 1, 2, 5, 10, 20, 50, 100, 250, 1_000].map { .milliseconds($0) }
        f.durationHistogramBuckets["tradeengine_rpc_seconds"] =
            [0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 100, 1_000].map { .milliseconds($0) }
        factory = f
    }

    // MARK: - Events

    public func candlesProcessed(_ n: Int) {
        guard n > 0 else { return }
        Counter(label: "tradeengine_candles_processed_total", factory: factory).increment(by: n)
    }

    /// The mean decision time per candle of one batch (engine work without the commit).
    public func decision(perCandle d: Duration) {
        Metrics.Timer(label: "tradeengine_decision_seconds", factory: factory).record(duration: d)
    }

    /// A streamed candle's trip from the venue's frame to its committed decision (paper runs on a feed).
    public func candleToJournal(_ d: Duration, order: Bool) {
        Metrics.Timer(label: "tradeengine_candle_to_journal_seconds", dimensions: [("order", order ? "yes" : "no")], factory: factory)
            .record(duration: d)
    }

    public func journalCommit(_ d: Duration) {
        Metrics.Timer(label: "tradeengine_journal_commit_seconds", factory: factory).record(duration: d)
    }

    public func signal(model: String, outcome: String) {
        Counter(label: "tradeengine_signals_total", dimensions: [("model", model), ("outcome", outcome)], factory: factory).increment()
    }

    public func order(model: String, venue: String) {
        Counter(label: "tradeengine_orders_total", dimensions: [("model", model), ("venue", venue)], factory: factory).increment()
    }

    public func fill(model: String, venue: String) {
        Counter(label: "tradeengine_fills_total", dimensions: [("model", model), ("venue", venue)], factory: factory).increment()
    }

    public func rejection(reason: String) {
        Counter(label: "tradeengine_order_rejections_total", dimensions: [("reason", reason)], factory: factory).increment()
    }

    public func rpc(method: String, code: String, duration: Duration) {
        Counter(label: "tradeengine_rpc_calls_total", dimensions: [("method", method), ("code", code)], factory: factory).increment()
        Metrics.Timer(label: "tradeengine_rpc_seconds", dimensions: [("method", method)], factory: factory).record(duration: duration)
    }

    public func alertDelivery(sink: String, result: String) {
        Counter(label: "tradeengine_alert_deliveries_total", dimensions: [("sink", sink), ("result", result)], factory: factory).increment()
    }

    public func alertDropped() {
        Counter(label: "tradeengine_alerts_dropped_total", factory: factory).increment()
    }

    // MARK: - Gauges

    func gauge(_ name: String, _ value: Double, _ dimensions: [(String, String)] = []) {
        Gauge(label: name, dimensions: dimensions, factory: factory).record(value)
    }

    /// The Prometheus text exposition of every metric.
    public func exposition() -> String {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }
}
