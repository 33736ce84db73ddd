import Foundation
import TradeCore
import TradeEngine

extension ReplayEngineHost {
    public func status() -> EngineStatusSnapshot {
        var s = EngineStatusSnapshot()
        s.state = lifecycle
        s.message = message
        s.context = context.effective(at: Date())
        s.killSwitchTripped = lifecycle == .halted
        s.parameterVersion = run?.parameterVersion ?? parameters.active.version
        s.models = modelStates()
        guard let run else {
            s.equity = settings.initialCash ?? EngineConfiguration(instruments: []).initialCash
            s.cash = s.equity
            return s
        }
        let ledger = run.session.ledger
        let equity = run.session.equity
        s.mode = run.options.mode
        s.speed = run.options.speed
        s.engineTime = run.candlesProcessed > 0 ? latestTime(run) : nil
        s.startedAt = run.startedAt
        // A run's uptime stops when it ends, so a finished replay reports how long it took.
        s.uptimeSeconds = ((run.endedAt ?? .now) - run.wallStart).seconds
        s.equity = equity
        s.cash = ledger.cash
        s.pnlToday = equity - run.dayStartEquity
        s.pnlTotal = equity - ledger.initialCash
        s.realizedPnL = ledger.realizedPnL
        s.feesPaid = ledger.feesPaid
        s.openPositions = ledger.openPositionCount
        s.candlesProcessed = Int64(run.candlesProcessed)
        s.candlesTotal = Int64(run.candlesTotal)
        s.symbols = run.symbols
        return s
    }

    public func catalog() -> HostCatalog {
        let symbols = run?.symbols ?? []
        return HostCatalog(symbols: symbols, models: models.map(\.name) + ["operator"])
    }

    public func positions() -> [PositionRecord] {
        guard let run else { return [] }
        let ledger = run.session.ledger
        let marks = run.session.marks
        return ledger.positions.enumerated().compactMap { i, p in
            guard !p.isFlat else { return nil }
            return PositionRecord(symbol: run.symbols[i], quantity: p.quantity, averagePrice: Price(p.averageEntryPrice),
                                  markPrice: marks[i], notional: Money(notionalOf: p.quantity, at: marks[i]),
                                  unrealizedPnL: p.unrealizedPnL(at: marks[i]))
        }
    }

    public func orders(_ query: RecordQuery, statuses: Set<OrderStatus>) -> RecordPage<OrderRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let records = run.session.orders.lazy
            .filter { statuses.isEmpty || statuses.contains($0.status) }
            .map { OrderRecord(order: $0, symbol: run.symbols[$0.symbol], model: run.model(of: $0)) }
        return query.page(records, time: \.order.submittedAt, symbol: \.symbol, model: \.model)
    }

    public func trades(_ query: RecordQuery) -> RecordPage<TradeRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let orders = run.session.orders
        let records = run.session.fills.lazy.enumerated().map { n, fill in
            let order = orders[Int(fill.orderID - 1)]
            return TradeRecord(fill: fill, symbol: run.symbols[fill.symbol], model: run.model(of: order),
                               reason: order.reason, sequence: Int64(n + 1))
        }
        return query.page(records, time: \.fill.time, symbol: \.symbol, model: \.model)
    }

    public func signals(_ query: RecordQuery, outcome: SignalOutcome?) -> RecordPage<SignalRecord> {
        guard let run else { return RecordPage(items: [], total: 0, offset: query.offset) }
        let matching = run.signals.lazy.filter { outcome == nil || $0.outcome == outcome }
        return query.page(matching, time: \.time, symbol: \.symbol, model: \.model)
    }

    public func performance() -> [ModelPerformanceRecord] {
        guard let run else {
            return models.map { ModelPerformanceRecord(model: $0.name, roundTrips: 0, winRate: 0, realizedPnL: .zero, fees: .zero,
                                                       profitFactor: 0, expectancy: 0, maxDrawdown: 0, sharpe: 0) }
        }
        let session = run.session
        let trips = RoundTripBuilder.build(fills: session.fills, symbolCount: run.symbols.count).closed
        let curve = session.equityCurve
        let metrics = PerformanceMetrics.compute(times: curve.times, equity: curve.equity,
                                                 startEquity: session.ledger.initialCash.doubleValue,
                                                 barMs: run.interval.milliseconds, roundTrips: trips,
                                                 stepsInMarket: curve.stepsInMarket,
                                                 feesPaid: session.ledger.feesPaid.doubleValue)
        let realized = trips.reduce(Money.zero) { $0 + $1.grossPnL }
        let fees = session.fills.reduce(Money.zero) { $0 + $1.fee }
        // One model per run: the run's metrics are the model's.
        return [ModelPerformanceRecord(model: session.modelName, roundTrips: trips.count, winRate: metrics.winRate ?? 0,
                                       realizedPnL: realized, fees: fees, profitFactor: metrics.profitFactor ?? 0,
                                       expectancy: metrics.expectancy ?? 0, maxDrawdown: metrics.maxDrawdown,
                                       sharpe: metrics.sharpe ?? 0)]
    }

    public func risk() -> RiskSnapshot {
        var r = RiskSnapshot()
        r.killSwitchTripped = lifecycle == .halted
        guard let run else { return r }
        let session = run.session
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
        let limit = Money(raw: Int128((r.equity.doubleValue * leverage * 1e8).rounded()) * 100_000_000)
        let left = limit - r.grossExposure
        r.budgets = [RiskSnapshot.Budget(name: "gross_exposure", limit: limit, used: r.grossExposure,
                                         left: left.raw > 0 ? left : .zero)]
        return r
    }

    public func parameters(version: Int64?) throws(HostError) -> ParameterSetRecord {
        guard let version else { return parameters.active }
        guard let record = parameters.version(version) else {
            throw .notFound("there is no parameter version \(version); versions are 1…\(parameters.versions.count)")
        }
        return record
    }

    public func parameterHistory() -> [ParameterSetRecord] { parameters.versions.reversed() }

    public func candles(_ query: RecordQuery) throws(HostError) -> RecordPage<CandleRecord> {
        guard let run else { throw .failedPrecondition("no run has been started, so there are no candles yet") }
        guard let symbol = query.symbol else { throw .invalidArgument("give a symbol: \(run.symbols.joined(separator: ", "))") }
        guard let k = run.symbolIndex(symbol) else {
            throw .invalidArgument("\(symbol) is not in this run; symbols: \(run.symbols.joined(separator: ", "))")
        }
        // Only what the engine has seen: a replay does not reveal its future.
        let seen = run.series[k].candles[..<run.cursor[k]]
        return query.page(seen.lazy.map { CandleRecord(symbol: symbol, candle: $0) }, time: \.candle.openTime, symbol: \.symbol)
    }

    public nonisolated func subscribe(_ filter: EventFilter) -> EventSubscription {
        bus.subscribe(filter)
    }

    private func latestTime(_ run: ReplayRun) -> Int64 {
        var latest = Int64.min
        for k in 0..<run.series.count where run.cursor[k] > 0 {
            latest = max(latest, run.series[k].candles[run.cursor[k] - 1].openTime)
        }
        return latest
    }

    private func modelStates() -> [ModelStateRecord] {
        models.map { m in
            let runs = run?.session.modelName == m.name
            let signals = runs ? Int64(run!.signals.count) : 0
            let trades = runs ? Int64(run!.session.fillCount) : 0
            return ModelStateRecord(name: m.name, enabled: runs && isActive, timeframes: m.timeframes.map(\.name),
                                    signals: signals, trades: trades)
        }
    }
}
