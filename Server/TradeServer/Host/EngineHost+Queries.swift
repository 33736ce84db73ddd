import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeStore

extension EngineHost {
    public func status() -> EngineStatusSnapshot {
        var s = EngineStatusSnapshot()
        s.state = lifecycle
        s.context = context.effective(at: clock.date)
        s.killSwitchTripped = lifecycle == .halted
        s.parameterVersion = run?.hosted.parameterVersion ?? ((try? parameterStore.current())??.version ?? 0)
        // Only the strategy that runs (all of them while idle: what could be started).
        s.models = modelStates().filter { run == nil || $0.strategy == run!.hosted.modelName }
        s.health = health(state: s.state)
        guard let run else {
            s.message = message
            s.equity = settings.initialCash ?? EngineConfiguration(instruments: []).initialCash
            s.cash = s.equity
            return s
        }
        let hosted = run.hosted
        let ledger = hosted.ledger
        let equity = hosted.equity
        s.message = run.failure ?? (hosted.state.isActive ? hosted.message : message)
        s.mode = run.options.mode
        s.speed = run.live == nil ? run.options.speed : nil  // a paper run goes at the market's pace
        s.engineTime = hosted.candlesDone > 0 ? hosted.engineTime : nil
        s.startedAt = run.startedAt
        // A run's uptime stops when it ends, so a finished replay reports how long it took.
        s.uptimeSeconds = ((run.endedAt ?? clock.now) - run.wallStart).seconds
        s.equity = equity
        s.cash = ledger.cash
        s.pnlToday = equity - Money(approximating: run.dayStartEquity())
        s.pnlTotal = equity - ledger.initialCash
        s.realizedPnL = ledger.realizedPnL
        s.feesPaid = ledger.feesPaid
        s.openPositions = ledger.openPositionCount
        s.candlesProcessed = Int64(hosted.candlesDone)
        s.candlesTotal = Int64(hosted.candlesTotal)
        s.symbols = run.symbols
        s.feed = run.live?.buffer.status
        return s
    }

    /// The current run's venue connections (a paper run has one; a replay none).
    public func venues() -> [VenueConnectionRecord] {
        guard let run, let live = run.live else { return [] }
        return [VenueConnectionRecord(symbols: run.symbols, feed: live.buffer.status)]
    }

    public func catalog() -> HostCatalog {
        let symbols = run?.symbols ?? []
        return HostCatalog(symbols: symbols, models: models.map(\.name) + ModelID.allCases.map(\.name) + ["operator"])
    }

    public func positions() -> [PositionRecord] {
        guard let run else { return [] }
        let ledger = run.hosted.ledger
        let marks = run.hosted.marks
        return ledger.positions.enumerated().compactMap { i, p in
            guard !p.isFlat else { return nil }
            return PositionRecord(symbol: run.symbols[i], quantity: p.quantity, averagePrice: Price(p.averageEntryPrice),
                                  markPrice: marks[i], notional: Money(notionalOf: p.quantity, at: marks[i]),
                                  unrealizedPnL: p.unrealizedPnL(at: marks[i]))
        }
    }

    public func orders(_ query: RecordQuery, statuses: Set<OrderStatus>) -> RecordPage<OrderRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let records = run.hosted.orders.lazy
            .filter { statuses.isEmpty || statuses.contains($0.status) }
            .map { OrderRecord(order: $0, symbol: run.symbols[$0.symbol], model: run.hosted.model(of: $0)) }
        return query.page(records, time: \.order.submittedAt, symbol: \.symbol, model: \.model)
    }

    public func trades(_ query: RecordQuery) -> RecordPage<TradeRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let orders = run.hosted.orders
        let records = run.hosted.fills.lazy.enumerated().map { n, fill in
            let order = orders[Int(fill.orderID - 1)]
            return TradeRecord(fill: fill, symbol: run.symbols[fill.symbol], model: run.hosted.model(of: order),
                               reason: order.reason, sequence: Int64(n + 1))
        }
        return query.page(records, time: \.fill.time, symbol: \.symbol, model: \.model)
    }

    public func signals(_ query: RecordQuery, outcome: SignalOutcome?) -> RecordPage<SignalRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let matching = run.hosted.signals.lazy.enumerated()
            .map { Self.apiSignal($0.element, id: Int64($0.offset + 1)) }
            .filter { outcome == nil || $0.outcome == outcome }
        return query.page(matching, time: \.time, symbol: \.symbol, model: \.model)
    }

    public func performance() -> [ModelPerformanceRecord] {
        guard let run else {
            return models.map { ModelPerformanceRecord(model: $0.name, roundTrips: 0, winRate: 0, realizedPnL: .zero, fees: .zero,
                                                       profitFactor: 0, expectancy: 0, maxDrawdown: 0, sharpe: 0) }
        }
        let hosted = run.hosted
        if let m = hosted.records {
            // Each model's own round trips, from its own books.
            let trades = m.closedTrades
            return m.modelStates(at: m.recordsTime).map { model in
                let own = trades.filter { $0.model.name == model.name }
                return Self.performance(model: model.name, net: own.map(\.netPnL), gross: own.map(\.grossPnL),
                                        fees: own.map(\.fees), initial: hosted.ledger.initialCash.doubleValue,
                                        sharpe: model.sharpe ?? 0)
            }
        }
        let trips = RoundTripBuilder.build(fills: hosted.fills, symbolCount: run.symbols.count).closed
        let curve = hosted.equityCurve
        let metrics = PerformanceMetrics.compute(times: curve.times, equity: curve.equity,
                                                 startEquity: hosted.ledger.initialCash.doubleValue,
                                                 barMs: run.interval.milliseconds, roundTrips: trips,
                                                 stepsInMarket: curve.stepsInMarket,
                                                 feesPaid: hosted.ledger.feesPaid.doubleValue)
        let realized = trips.reduce(Money.zero) { $0 + $1.grossPnL }
        let fees = hosted.fills.reduce(Money.zero) { $0 + $1.fee }
        // One model per run: the run's metrics are the model's.
        return [ModelPerformanceRecord(model: hosted.modelName, roundTrips: trips.count, winRate: metrics.winRate ?? 0,
                                       realizedPnL: realized, fees: fees, profitFactor: metrics.profitFactor ?? 0,
                                       expectancy: metrics.expectancy ?? 0, maxDrawdown: metrics.maxDrawdown,
                                       sharpe: metrics.sharpe ?? 0)]
    }

    /// A model's record from its closed trades (drawdown of its cumulative PnL against the run's starting equity).
    static func performance(model: String, net: [Money], gross: [Money], fees: [Money], initial: Double,
                            sharpe: Double) -> ModelPerformanceRecord {
        let wins = net.filter { $0.raw > 0 }.count
        let profit = net.filter { $0.raw > 0 }.reduce(0.0) { $0 + $1.doubleValue }
        let loss = -net.filter { $0.raw < 0 }.reduce(0.0) { $0 + $1.doubleValue }
        var equity = initial, peak = initial, drawdown = 0.0
        for n in net {
            equity += n.doubleValue
            peak = max(peak, equity)
            drawdown = max(drawdown, peak > 0 ? (peak - equity) / peak : 0)
        }
        let total = net.reduce(0.0) { $0 + $1.doubleValue }
        return ModelPerformanceRecord(model: model, roundTrips: net.count, winRate: net.isEmpty ? 0 : Double(wins) / Double(net.count),
                                      realizedPnL: gross.reduce(Money.zero, +), fees: fees.reduce(Money.zero, +),
                                      profitFactor: loss > 0 ? profit / loss : 0,
                                      expectancy: net.isEmpty ? 0 : total / Double(net.count),
                                      maxDrawdown: drawdown, sharpe: sharpe.isFinite ? sharpe : 0)
    }

    public func risk() -> RiskSnapshot {
        var r = RiskSnapshot()
        r.killSwitchTripped = lifecycle == .halted
        guard let run else { return r }
        let session = run.hosted
        let marks = session.marks
        let ledger = session.ledger
        r.equity = session.equity
        r.grossExposure = ledger.grossExposure(marks: marks)
        r.netExposure = ledger.positions.enumerated().reduce(Money.zero) { total, item in
            total + Money(notionalOf: item.element.quantity, at: marks[item.offset])
        }
        r.leverage = r.equity.raw > 0 ? r.grossExposure.doubleValue / r.equity.doubleValue : 0
        (r.var95, r.cvar95) = RiskMeasures.historical(equity: session.equityCurve.equity)
        let leverage = session.configuration.maxLeverage
        let limit = Money(approximating: r.equity.doubleValue * leverage)
        let left = limit - r.grossExposure
        r.budgets = [RiskSnapshot.Budget(name: "gross_exposure", limit: limit, used: r.grossExposure,
                                         left: left.raw > 0 ? left : .zero)]
        if let m = session.records {
            // Each model's own budget: today's loss against its daily limit, and today's trades (as counts).
            for model in m.modelStates(at: session.engineTime) where model.enabled {
                r.budgets.append(Self.budget("\(model.name).daily_loss", limit: model.dailyLossLimit, used: model.lostToday))
                if let cap = model.maxTradesPerDay {
                    r.budgets.append(Self.budget("\(model.name).trades_today", limit: Double(cap), used: Double(model.tradesToday)))
                }
                if let cooldown = model.cooldown {
                    r.cooldowns.append(RiskSnapshot.Cooldown(symbol: "", model: model.name, reason: cooldown.reason, until: cooldown.until))
                }
            }
            r.killSwitchTripped = r.killSwitchTripped || m.killSwitchTripped
        }
        return r
    }

    /// The current run's stream-to-journal latency (nil unless it is a paper run on a live feed).
    public func feedLatency() -> FeedLatency? {
        guard let run, run.live != nil else { return nil }
        return run.latency
    }

    public func candles(_ query: RecordQuery) throws(HostError) -> RecordPage<CandleRecord> {
        guard let run else { throw .failedPrecondition("no run has been started, so there are no candles yet") }
        guard let symbol = query.symbol else { throw .invalidArgument("give a symbol: \(run.symbols.joined(separator: ", "))") }
        guard let k = run.symbolIndex(symbol) else {
            throw .invalidArgument("\(symbol) is not in this run; symbols: \(run.symbols.joined(separator: ", "))")
        }
        // Only what the engine has seen: a replay does not reveal its future.
        let now = run.hosted.engineTime
        let seen = run.live?.buffer.recentCandles(symbol: k)
            ?? run.series[k].candles.prefix { run.hosted.candlesDone > 0 && $0.openTime <= now }
        return query.page(seen.lazy.map { CandleRecord(symbol: symbol, candle: $0) }, time: \.candle.openTime, symbol: \.symbol)
    }

    public nonisolated func subscribe(_ filter: EventFilter) -> EventSubscription {
        bus.subscribe(filter)
    }

    /// Each strategy, and for a strategy made of several models each of them with its breaker.
    private func modelStates() -> [ModelStateRecord] {
        var out: [ModelStateRecord] = []
        for definition in models {
            let runs = run?.hosted.modelName == definition.name
            let live = runs && isActive
            guard !definition.submodels.isEmpty else {
                var r = ModelStateRecord(name: definition.name, enabled: live, timeframes: definition.timeframes.map(\.name),
                                         signals: runs ? Int64(run!.hosted.signalCount(model: definition.name)) : 0,
                                         trades: runs ? Int64(run!.hosted.fills.count) : 0)
                r.strategy = definition.name
                out.append(r)
                continue
            }
            let m = runs ? run!.hosted.records : nil
            let standings = m.map { m in Dictionary(uniqueKeysWithValues: m.modelStates(at: m.recordsTime).map { ($0.name, $0) }) } ?? [:]
            let trades = m?.closedTrades ?? []
            for sub in definition.submodels {
                let standing = standings[sub.name]
                var r = ModelStateRecord(name: sub.name, enabled: live && (standing?.enabled ?? false), timeframes: sub.timeframes.map(\.name),
                                         signals: runs ? Int64(run!.hosted.signalCount(model: sub.name)) : 0,
                                         trades: Int64(trades.lazy.filter { $0.model.name == sub.name }.count))
                r.breaker = standing.map { "\($0.breaker)" } ?? ""
                r.strategy = definition.name
                out.append(r)
            }
        }
        return out
    }


    static func budget(_ name: String, limit: Double, used: Double) -> RiskSnapshot.Budget {
        RiskSnapshot.Budget(name: name, limit: Money(approximating: limit), used: Money(approximating: used),
                            left: Money(approximating: max(0, limit - used)))
    }
}
