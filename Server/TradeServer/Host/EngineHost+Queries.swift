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
        if let link = hosted.venueLink {
            s.live = true
            s.execution = link.quality.figures.sorted { $0.key < $1.key }.map { ExecutionQualityRow(key: $0.key, figures: $0.value) }
            s.reconciliation = run.reconciliation
        }
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

    /// Each model's record from its running tally of closed trades (the run's whole
    /// history, though the engine holds only its recent past). A strategy without
    /// records is one model: its drawdown and Sharpe come from the run's equity curve.
    public func performance() -> [ModelPerformanceRecord] {
        guard let run else {
            return models.map { ModelPerformanceRecord(model: $0.name, roundTrips: 0, winRate: 0, realizedPnL: .zero, fees: .zero,
                                                       profitFactor: 0, expectancy: 0, maxDrawdown: 0, sharpe: 0) }
        }
        let hosted = run.hosted
        let initial = hosted.ledger.initialCash.doubleValue
        let tallies = hosted.tallies
        if let m = hosted.records {
            return m.modelStates(at: m.recordsTime).map { model in
                Self.performance(model: model.name, tally: tallies[model.name] ?? TradeTally(startEquity: initial),
                                 fees: nil, maxDrawdown: nil, sharpe: model.sharpe ?? 0)
            }
        }
        let curve = hosted.equityCurve
        let statistics = curve.statistics
            ?? PerformanceMetrics.statistics(times: curve.times, equity: curve.equity, startEquity: initial, barMs: curve.barMilliseconds)
        // One model per run: the run's metrics are the model's (fees of every fill, open trips' too).
        return [Self.performance(model: hosted.modelName, tally: tallies[hosted.modelName] ?? TradeTally(startEquity: initial),
                                 fees: hosted.ledger.feesPaid, maxDrawdown: statistics.drawdown.fraction,
                                 sharpe: PerformanceMetrics.sharpe(statistics.dailyReturns) ?? 0)]
    }

    static func performance(model: String, tally: TradeTally, fees: Money?, maxDrawdown: Double?, sharpe: Double) -> ModelPerformanceRecord {
        ModelPerformanceRecord(model: model, roundTrips: tally.count, winRate: tally.winRate, realizedPnL: tally.gross,
                               fees: fees ?? tally.fees, profitFactor: tally.profitFactor, expectancy: tally.expectancy,
                               maxDrawdown: maxDrawdown ?? tally.maxDrawdown, sharpe: sharpe.isFinite ? sharpe : 0)
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
                                         trades: runs ? Int64(run!.hosted.fills.endIndex) : 0)
                r.strategy = definition.name
                out.append(r)
                continue
            }
            let m = runs ? run!.hosted.records : nil
            let standings = m.map { m in Dictionary(uniqueKeysWithValues: m.modelStates(at: m.recordsTime).map { ($0.name, $0) }) } ?? [:]
            let tallies = runs ? run!.hosted.tallies : [:]
            for sub in definition.submodels {
                let standing = standings[sub.name]
                var r = ModelStateRecord(name: sub.name, enabled: live && (standing?.enabled ?? false), timeframes: sub.timeframes.map(\.name),
                                         signals: runs ? Int64(run!.hosted.signalCount(model: sub.name)) : 0,
                                         trades: Int64(tallies[sub.name]?.count ?? 0))
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
