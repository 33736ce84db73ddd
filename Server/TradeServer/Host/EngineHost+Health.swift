import Foundation
import TradeCore
import TradeEngine
import TradeRuntime

extension EngineHost {
    /// Orders of this host go to the paper broker.
    static let venue = "paper"

    /// A bounded label for an engine-gate rejection (its message carries numbers).
    static func rejectionReason(_ message: String) -> String {
        let known: [(String, String)] = [
            ("quantity must be positive", "non_positive_quantity"), ("rounds to zero", "below_lot"),
            ("price must be positive", "non_positive_price"), ("below the minimum", "min_notional"),
            ("entries are blocked", "entries_blocked"), ("shorting is disabled", "shorting_disabled"),
            ("insufficient buying power", "buying_power"), ("client order id", "client_order_id"),
        ]
        return known.first { message.contains($0.0) }?.1 ?? "other"
    }

    /// Counts one batch: candles, the mean decision time per candle (the batch
    /// without its commits) and each commit's latency.
    func countBatch(_ run: ReplayRun, candles n: Int, took: Duration, commitsBefore: CommitTiming) {
        let timing = run.hosted.commitTiming
        defer { run.commitsSeen = timing.count }
        guard let metrics else { return }
        metrics.candlesProcessed(n)
        let committing = timing.total - commitsBefore.total
        metrics.decision(perCandle: (took - committing) / n)
        if timing.count > run.commitsSeen { metrics.journalCommit(timing.last) }
    }

    /// The health score of the engine as it is now.
    func health(state: EngineLifecycle) -> HealthScore {
        var i = HealthInputs()
        i.killSwitchTripped = state == .halted
        i.diskFreeBytes = HealthInputs.freeBytes(at: store.path)
        guard let run else { return .assess(i) }
        i.running = isActive
        i.journalFailure = run.failure
        let since = run.lastCandleAt ?? run.wallStart
        i.secondsSinceLastCandle = (clock.now - since).seconds
        // Three candles' worth of wall time at the run's pace, and never under 5 s (commits, scheduling).
        let factor = run.options.speed.wallSecondsPerMarketSecond
        i.feedStaleAfterSeconds = max(5, 3 * Double(run.interval.milliseconds) / 1000 * factor)
        let timing = run.hosted.commitTiming
        if timing.count > 0 { i.lastCommitSeconds = timing.last.seconds }
        if let m = run.hosted.records {
            for model in m.modelStates(at: m.recordsTime) where model.enabled {
                i.breakers.append(.init(model: model.name, state: model.breaker))
                i.degradation.append(.init(model: model.name, severity: model.severity))
            }
            i.staleSymbols = m.staleSymbols.map { run.symbols[$0] }
        }
        return .assess(i)
    }

    /// Sets every gauge from the host's state now (called at each scrape).
    public func sampleMetrics() {
        guard let metrics else { return }
        let s = status()
        let r = risk()
        metrics.gauge("tradeengine_up", 1)
        metrics.gauge("tradeengine_running", isActive ? 1 : 0)
        metrics.gauge("tradeengine_equity", s.equity.doubleValue)
        metrics.gauge("tradeengine_pnl_today", s.pnlToday.doubleValue)
        metrics.gauge("tradeengine_pnl_total", s.pnlTotal.doubleValue)
        metrics.gauge("tradeengine_open_positions", Double(s.openPositions))
        metrics.gauge("tradeengine_exposure_gross", r.grossExposure.doubleValue)
        metrics.gauge("tradeengine_exposure_net", r.netExposure.doubleValue)
        metrics.gauge("tradeengine_var95", r.var95)
        metrics.gauge("tradeengine_kill_switch_tripped", s.killSwitchTripped ? 1 : 0)
        if let m = run?.hosted.records {
            for model in m.modelStates(at: m.recordsTime) {
                metrics.gauge("tradeengine_breaker_state", Double(model.breaker.rawValue), [("model", model.name)])
            }
        }
        let lag = run.flatMap { r in isActive ? (clock.now - (r.lastCandleAt ?? r.wallStart)).seconds : nil } ?? 0
        metrics.gauge("tradeengine_feed_lag_seconds", lag)
        metrics.gauge("tradeengine_health_score", s.health.score)
        for p in s.health.parts { metrics.gauge("tradeengine_health_part", p.score, [("part", p.name)]) }
        var bytes = 0.0
        for suffix in ["", "-wal", "-shm"] {
            if let size = (try? FileManager.default.attributesOfItem(atPath: store.path + suffix))?[.size] as? NSNumber { bytes += size.doubleValue }
        }
        metrics.gauge("tradeengine_store_bytes", bytes)
        metrics.gauge("tradeengine_stream_watchers", Double(bus.subscriberCount))
        metrics.gauge("tradeengine_stream_lag_markers", Double(bus.lagMarkers))
    }
}
