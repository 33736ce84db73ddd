import Foundation
import TradeCore
import TradeEngine

extension ReplayEngineHost {
    /// How often a running engine publishes a status snapshot (wall clock).
    static var statusInterval: Duration { .seconds(1) }

    /// The replay loop of one run: batches of candles, paced to the run's speed,
    /// with a suspension between batches so commands and queries get their turn.
    func drive(runID: Int) async {
        while !Task.isCancelled {
            guard let run, run.id == runID, isActive else { return }
            let factor = run.options.speed.wallSecondsPerMarketSecond
            var due = Int64.max
            if factor > 0 {
                let elapsed = ContinuousClock.now - run.wallStart
                let wallSeconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
                due = run.marketStart + Int64(wallSeconds / factor * 1000)
            }
            var processed = 0
            let debugLogs = bus.wantsDebugLogs
            while processed < batchSize, let k = run.nextSymbol(), run.series[k].candles[run.cursor[k]].openTime <= due {
                guard processNext(run, symbol: k, debugLogs: debugLogs) else { break }
                processed += 1
            }
            flushEvents()
            if lifecycle == .failed { return }
            if run.nextSymbol() == nil {
                finishRun(run)
                return
            }
            if ContinuousClock.now - run.lastStatusPublish >= Self.statusInterval {
                run.lastStatusPublish = .now
                publishStatus()
            }
            if factor == 0 {
                await Task.yield()
            } else {
                // Sleep until the next candle is due, but wake at least 4 times a
                // second so a stop or a speed change is never far away.
                let k = run.nextSymbol()!
                let nextTime = run.series[k].candles[run.cursor[k]].openTime
                let waitSeconds = Double(nextTime - run.marketStart) / 1000 * factor
                    - (ContinuousClock.now - run.wallStart).seconds
                let ms = min(250, max(1, Int(waitSeconds * 1000)))
                try? await Task.sleep(for: .milliseconds(ms))
            }
        }
    }

    /// Feeds the next candle to the engine and publishes what it caused.
    /// Returns false at the end of the data or when the engine failed.
    @discardableResult
    func processNext(_ run: ReplayRun, symbol: Int? = nil, debugLogs: Bool = false) -> Bool {
        guard let k = symbol ?? run.nextSymbol() else { return false }
        let i = run.cursor[k]
        let candle = run.series[k].candles[i]
        if candle.openTime >= run.nextMidnight {
            // Equity at the previous close is the day's opening equity.
            if run.nextMidnight != .min { run.dayStartEquity = run.session.equity }
            let day = PerformanceMetrics.dayMs
            run.nextMidnight = (candle.openTime / day + 1) * day
        }
        do {
            try run.session.handle(symbol: k, candle: candle, barIndex: run.series[k].firstBarIndex + i)
        } catch {
            run.endedAt = .now
            lifecycle = .failed
            message = "engine error: \(error.description)"
            log(.error, message)
            publishStatus()
            return false
        }
        run.cursor[k] = i + 1
        run.candlesProcessed += 1
        if debugLogs {
            log(.debug, "\(run.symbols[k]) \(candle.openTime) close \(candle.close)", component: "candles")
        }
        harvest(run)
        return true
    }

    /// Turns what the last candle produced (orders, blocked entries, fills) into
    /// signal and trade records and events. Costs two comparisons when nothing happened.
    func harvest(_ run: ReplayRun) {
        let session = run.session
        if session.orderCount > run.ordersSeen {
            let orders = session.orders
            for order in orders[run.ordersSeen...] {
                let model = run.model(of: order)
                if model == "operator" {
                    log(.warning, "operator order \(order.id): \(order.side.rawValue) \(order.quantity) \(run.symbols[order.symbol]) (\(order.reason))")
                    continue
                }
                let rejected = order.status == .rejected
                var reasons = [order.reason]
                if rejected { reasons.append(order.statusMessage) }
                addSignal(run, model: model, symbol: order.symbol, side: order.side, quantity: order.quantity,
                          outcome: rejected ? .rejected : .accepted, reasons: reasons, time: order.submittedAt,
                          orderID: order.id)
                if rejected { log(.warning, "order rejected: \(order.statusMessage)") }
            }
            run.ordersSeen = orders.count
        }
        let blocked = session.gate.hasBlocked ? session.gate.takeBlocked() : []
        for b in blocked {
            addSignal(run, model: session.modelName, symbol: b.intent.symbol, side: b.intent.side, quantity: b.intent.quantity,
                      outcome: .blocked, reasons: [b.intent.reason, session.gate.entriesBlockedReason ?? "entries blocked"],
                      time: b.time, orderID: 0)
        }
        if session.fillCount > run.fillsSeen {
            let fills = session.fills
            let orders = session.orders
            for (offset, fill) in fills[run.fillsSeen...].enumerated() {
                let order = orders[Int(fill.orderID - 1)]
                let record = TradeRecord(fill: fill, symbol: run.symbols[fill.symbol], model: run.model(of: order),
                                         reason: order.reason, sequence: Int64(run.fillsSeen + offset + 1))
                pendingEvents.append(.trade(record))
                // The trade event carries the fill; the log line is for debug-level readers only.
                log(.debug, "fill \(fill.side.rawValue) \(fill.quantity) \(record.symbol) @ \(fill.price) (\(order.reason))")
            }
            run.fillsSeen = fills.count
        }
    }

    private func addSignal(_ run: ReplayRun, model: String, symbol: Int, side: OrderSide, quantity: Quantity,
                           outcome: SignalOutcome, reasons: [String], time: Int64, orderID: Int64) {
        let record = SignalRecord(id: Int64(run.signals.count + 1), model: model, symbol: run.symbols[symbol], side: side,
                                  quantity: quantity, outcome: outcome, reasons: reasons.filter { !$0.isEmpty },
                                  time: time, orderID: orderID)
        run.signals.append(record)
        pendingEvents.append(.signal(record))
    }

    func finishRun(_ run: ReplayRun) {
        run.endedAt = .now
        run.session.finish()
        lifecycle = .finished
        message = "replay finished: \(run.candlesProcessed) candles"
        log(.info, "run \(run.id) \(message)")
        publishStatus()
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
