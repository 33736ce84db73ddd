import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeVenues

extension EngineHost {
    /// How often a running engine publishes a status snapshot (wall clock).
    static var statusInterval: Duration { .seconds(1) }
    /// The longest a run on a live feed waits for a candle before it looks again (stale feed, status).
    static var feedWait: Duration { .milliseconds(250) }

    /// Each streamed candle of the last batch: from its frame's arrival to now, when its decision is committed.
    /// `stamps` are in the order the engine took the candles, as `lastBatchOrdered` is; backfilled ones carry none.
    func recordLatency(_ run: ReplayRun, stamps: [Int64]) {
        let ordered = run.hosted.lastBatchOrdered
        let now = clock.date.timeIntervalSince1970 * 1_000_000
        for (stamp, sentOrder) in zip(stamps.suffix(ordered.count), ordered.suffix(stamps.count)) where stamp != .min {
            let micros = max(0, now - Double(stamp))
            run.latency.record(microseconds: micros, ordered: sentOrder)
            metrics?.candleToJournal(.microseconds(Int64(micros)), order: sentOrder)
        }
    }

    func startLoop(_ run: ReplayRun) {
        guard run.hosted.state.isActive else { return }
        let runID = run.id
        if let live = run.live, run.feedTask == nil {
            let feed = LiveKlineFeed(settings: live.settings, buffer: live.buffer)
            run.feedTask = Task { await feed.run() }
        }
        run.loop = Task(executorPreference: executor) { await self.drive(runID: runID) }
    }

    /// The replay loop of one run: batches of candles (each one commit), paced
    /// to the run's speed, with a suspension between batches so commands and
    /// queries get their turn.
    func drive(runID: Int64) async {
        while !Task.isCancelled {
            guard let run, run.id == runID, isActive else { return }
            // A feed is paced by the market itself: its candles come when they close.
            let factor = run.live != nil ? 0 : run.options.speed.wallSecondsPerMarketSecond
            var due = Int64.max
            if factor > 0 {
                let wallSeconds = (clock.now - run.wallStart).seconds
                due = run.marketStart + Int64(wallSeconds / factor * 1000)
            }
            if run.live != nil {
                do {
                    if try freezeForStaleFeed(run), let live = run.live {
                        await exchange(run)   // exits and answers keep flowing while entries are frozen
                        await live.buffer.waitForArrival(timeout: Self.feedWait)
                        continue
                    }
                } catch {
                    message = "\(error)"
                    publishStatus()
                    return
                }
            }
            do {
                let began = clock.now
                let commitsBefore = run.hosted.commitTiming
                let n = try run.hosted.advance(maxCandles: batchSize, notAfter: due)
                if n > 0 {
                    run.lastCandleAt = clock.now
                    countBatch(run, candles: n, took: clock.now - began, commitsBefore: commitsBefore)
                    if let live = run.live { recordLatency(run, stamps: live.buffer.takeConsumedStamps()) }
                }
            } catch {
                run.endedAt = clock.now
                run.stopFeed()
                run.failure = "the run stopped: \(error)"
                message = run.failure!
                log(.error, message)
                checkAlerts(run)
                publishStatus()
                return
            }
            publishCommitted(run)
            // A live run's orders go out after the commit that journaled them; its venue's answers come back in.
            await exchange(run)
            guard self.run === run else { return }
            checkAlerts(run)
            if !run.hosted.state.isActive {
                run.endedAt = clock.now
                run.stopFeed()
                if run.hosted.state == .finished { message = "replay finished: \(run.hosted.candlesDone) candles" }
                log(.info, "run \(run.id) \(message)")
                publishStatus()
                return
            }
            flushEvents()
            if clock.now - run.lastStatusPublish >= Self.statusInterval {
                run.lastStatusPublish = clock.now
                publishStatus()
            }
            if run.live != nil {
                // A feed's candles come when they close: wait for the next while the buffer has none
                // (woken by its arrival; the timeout re-checks a stale feed, a stop, the status).
                if run.hosted.nextCandleTime == nil, let live = run.live { await live.buffer.waitForArrival(timeout: Self.feedWait) } else { await Task.yield() }
            } else if factor == 0 {
                await Task.yield()
            } else if let nextTime = run.hosted.nextCandleTime {
                // Sleep until the next candle is due, but wake at least 4 times a
                // second so a stop or a speed change is never far away.
                let waitSeconds = Double(nextTime - run.marketStart) / 1000 * factor - (clock.now - run.wallStart).seconds
                let ms = min(250, max(1, Int(waitSeconds * 1000)))
                try? await clock.sleep(for: .milliseconds(ms))
            }
        }
    }

    /// A silent feed freezes entries (a journaled pause, so a replay of the journal
    /// sees it where it happened), and its first candle after lifts the freeze —
    /// before that candle is processed, so no decision is ever made while frozen
    /// by staleness. Returns true while the feed is stale (nothing to process).
    /// An operator's own pause is left alone: the host lifts only its own.
    func freezeForStaleFeed(_ run: ReplayRun) throws(HostError) -> Bool {
        guard let live = run.live else { return false }
        let status = live.buffer.status
        // Frozen only once every candle that came is processed: decisions on real,
        // closed candles already here are not stale; none come while it lasts.
        if status.stale, run.hosted.nextCandleTime == nil {
            if !run.frozenByStale, run.hosted.state == .running {
                try command { try run.hosted.apply(.pauseEntries(reason: "stale feed: \(status.message)")) }
                run.frozenByStale = true
                log(.warning, "entries frozen: the \(status.venue) feed is stale (\(status.message))")
                publishStatus()
            }
            return true
        }
        if run.frozenByStale {
            run.frozenByStale = false
            if run.hosted.state == .paused, run.hosted.message.hasPrefix(ReplayRun.staleFreezePrefix) { try command { try run.hosted.apply(.resume) } }
            log(.info, "entries unfrozen: the \(status.venue) feed delivers again")
            publishStatus()
        }
        return false
    }

    /// Queues what the last commits stored and nobody has seen yet: the run's
    /// new signals and fills, as events; then lets the run forget them (they are
    /// stored, and lists read the store). Costs a few comparisons when nothing happened.
    func publishCommitted(_ run: ReplayRun) {
        let hosted = run.hosted
        let (signals, signalCount) = hosted.signals(after: run.signalsSeen)
        for (offset, s) in signals.enumerated() {
            pendingEvents.append(.signal(Self.apiSignal(s, id: Int64(run.signalsSeen + offset + 1))))
            metrics?.signal(model: s.stored.model, outcome: s.stored.outcome.rawValue)
            if s.stored.outcome == .rejected {
                log(.warning, "order rejected: \(s.stored.reasons)", fields: ["model": s.stored.model, "symbol": s.stored.symbol])
            }
        }
        run.signalsSeen = signalCount
        let fills = hosted.fills
        let orders = hosted.orders
        if fills.endIndex > run.fillsSeen {
            for n in run.fillsSeen..<fills.endIndex {
                let fill = fills[n]
                let order = orders[Int(fill.orderID - 1)]
                let record = TradeRecord(fill: fill, symbol: run.symbols[fill.symbol], model: hosted.model(of: order),
                                         reason: order.reason, sequence: Int64(n + 1))
                pendingEvents.append(.trade(record))
                metrics?.fill(model: record.model, venue: Self.venue)
                log(.debug, "fill \(fill.side.rawValue) \(fill.quantity) \(record.symbol) @ \(fill.price) (\(order.reason))",
                    fields: ["model": record.model, "symbol": record.symbol])
            }
            run.fillsSeen = fills.endIndex
        }
        if orders.endIndex > run.ordersSeen {
            if let metrics {
                for order in orders[run.ordersSeen...] {
                    metrics.order(model: hosted.model(of: order), venue: Self.venue)
                    if order.status == .rejected { metrics.rejection(reason: Self.rejectionReason(order.statusMessage)) }
                }
            }
            run.ordersSeen = orders.endIndex
        }
        hosted.forgetPublishedHistory()
    }

    static func apiSignal(_ s: HostedSignal, id: Int64) -> SignalRecord {
        let outcome: SignalOutcome
        switch s.stored.outcome {
        case .accepted: outcome = .accepted
        case .resized: outcome = .resized
        case .vetoed: outcome = .vetoed
        case .rejected: outcome = .rejected
        case .blocked: outcome = .blocked
        }
        return SignalRecord(id: id, model: s.stored.model, symbol: s.stored.symbol, side: s.side, quantity: s.quantity,
                            outcome: outcome, reasons: s.stored.reasons.components(separatedBy: "; ").filter { !$0.isEmpty },
                            time: s.stored.time, orderID: s.orderID, rule: s.stored.rule, confidence: s.stored.confidence)
    }

    /// Publishes a status snapshot (after the batch's events), or just the batch when no one wants status.
    func publishStatus() {
        if bus.hasSubscribers(for: .status) { pendingEvents.append(.status(status())) }
        flushEvents()
    }
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
