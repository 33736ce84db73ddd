import TradeCore
import TradeEngine

/// The HTML report of one backtest (or replay): headline numbers, equity
/// against buy-and-hold, drawdown, monthly returns, trades on the price chart,
/// the models' sections (PnL over time and per day, exits, the resolver) and
/// Monte Carlo when the run had it.
public enum BacktestPage {
    public static func build(report rep: BacktestReport, result: BacktestResult, series: [MarketSeries],
                             command: String) -> ReportPage {
        let initial = Double(rep.initialCash) ?? 0
        let curve = result.equityCurve
        let times = curve.times
        let hold = BuyAndHold.equityCurve(series: series, initialCash: initial)
        let symbols = result.instruments.map(\.symbol)
        let span = rep.data.isEmpty ? "" : "\(ReportFormat.minute(rep.data.map(\.firstOpenTime).min()!)) → \(ReportFormat.minute(rep.data.map(\.lastOpenTime).max()!)) UTC"
        var sections = [EquitySection.build(times: times, equity: curve.equity, hold: hold, initial: initial),
                        EquitySection.monthly(times: times, equity: curve.equity, initial: initial),
                        TradesSection.build(series: series, fills: result.fills, symbols: symbols),
                        metricsSection(rep)]
        if let models = rep.models, let strategy = result.models {
            sections += ModelsSection.build(report: models, trades: Array(strategy.trades), start: times.first ?? 0, symbols: symbols)
        }
        if let mc = rep.monteCarlo { sections.append(MonteCarloSection.build(mc)) }
        return ReportPage(title: "Backtest · \(rep.strategy) · \(symbols.joined(separator: ", "))",
                          subtitle: "\(span) · fill at \(rep.costs.fill), taker \(ReportFormat.number(rep.costs.takerFeeBps)) bps, slippage \(ReportFormat.number(rep.costs.slippageBps)) bps",
                          command: command, cards: cards(rep), sections: sections)
    }

    static func cards(_ rep: BacktestReport) -> [ReportPage.Card] {
        let m = rep.metrics
        let net = m.finalEquity - m.startEquity
        func tone(_ x: Double?) -> String { guard let x else { return "" }; return x > 0 ? "pos" : (x < 0 ? "neg" : "") }
        return [
            .init(label: "Final equity", value: ReportFormat.money(m.finalEquity)),
            .init(label: "Net PnL", value: ReportFormat.money(net, signed: true), tone: tone(net)),
            .init(label: "Total return", value: ReportFormat.percent(m.totalReturn, signed: true), tone: tone(m.totalReturn)),
            .init(label: "Buy and hold", value: ReportFormat.percent(rep.buyAndHold.totalReturn, signed: true), tone: tone(rep.buyAndHold.totalReturn)),
            .init(label: "Max drawdown", value: ReportFormat.percent(m.maxDrawdown)),
            .init(label: "Sharpe", value: ReportFormat.number(m.sharpe)),
            .init(label: "Closed trades", value: String(m.tradeCount)),
            .init(label: "Win rate", value: ReportFormat.percent(m.winRate, digits: 1)),
            .init(label: "Profit factor", value: ReportFormat.number(m.profitFactor)),
            .init(label: "Fees", value: ReportFormat.money(m.feesPaid)),
        ]
    }

    static func metricsSection(_ rep: BacktestReport) -> ReportPage.Section {
        let (a, b) = (rep.metrics, rep.buyAndHold)
        func row(_ name: String, _ f: (PerformanceMetrics) -> String) -> ReportPage.Row { .init(cells: [name, f(a), f(b)]) }
        let rows = [
            row("Start equity") { ReportFormat.money($0.startEquity) },
            row("Final equity") { ReportFormat.money($0.finalEquity) },
            row("Total return") { ReportFormat.percent($0.totalReturn) },
            row("CAGR") { ReportFormat.percent($0.cagr) },
            row("Sharpe") { ReportFormat.number($0.sharpe) },
            row("Sortino") { ReportFormat.number($0.sortino) },
            row("Calmar") { ReportFormat.number($0.calmar) },
            row("Max drawdown") { ReportFormat.percent($0.maxDrawdown) },
            row("Longest drawdown (days)") { ReportFormat.number($0.maxDrawdownDurationDays, digits: 1) },
            row("Exposure") { ReportFormat.percent($0.exposure, digits: 1) },
            row("Days") { ReportFormat.number($0.days, digits: 1) },
        ]
        let data = rep.data.map { d in
            ReportPage.Row(cells: [d.symbol, d.interval, String(d.rows), ReportFormat.minute(d.firstOpenTime), ReportFormat.minute(d.lastOpenTime),
                                   String(d.gapCount), String(d.missingCandles), d.file])
        }
        return .init(id: "metrics", heading: "Metrics", note: rep.sharpeConvention,
                     tables: [.init(caption: "Strategy against buy-and-hold", header: ["", "strategy", "buy and hold"], rows: rows),
                              .init(caption: "Data", header: ["symbol", "interval", "bars", "first", "last", "gaps", "missing", "file"], rows: data)])
    }
}
