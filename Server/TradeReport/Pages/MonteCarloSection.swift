import TradeCore
import TradeEngine

/// Monte Carlo: for each resampling a fan chart of equity along the paths and
/// histograms of final equity and maximum drawdown, with a table of percentiles.
enum MonteCarloSection {
    static func build(_ mc: MonteCarloReport) -> ReportPage.Section {
        var figures: [ReportPage.Figure] = []
        for o in mc.outcomes {
            let unit = o.method == "block_bootstrap" ? "days" : "trades"
            let x = o.fan.map { Double($0.step) }
            let fan = LineChart(series: [.init(name: "median", color: Palette.fan, points: Array(zip(x, o.fan.map(\.p50))), width: 1.8)],
                                bands: [.init(upper: Array(zip(x, o.fan.map(\.p95))), lower: Array(zip(x, o.fan.map(\.p5))), color: Palette.fan, opacity: 0.15),
                                        .init(upper: Array(zip(x, o.fan.map(\.p75))), lower: Array(zip(x, o.fan.map(\.p25))), color: Palette.fan, opacity: 0.3)],
                                height: 260, xAxis: .numeric(label: unit))
            let shown = min(o.paths, MonteCarlo.fanPaths)
            figures.append(.init(id: "mc-fan-\(o.method)", caption: "\(o.method): equity over \(unit), median with 25–75 % and 5–95 % bands (\(shown) of \(o.paths) paths).",
                                 svg: fan.svg(label: "Monte Carlo fan, \(o.method)")))
            // Reordering the same trades never changes where they end: no histogram to draw there.
            if o.finalEquity.sorted.first != o.finalEquity.sorted.last {
                let finals = Histogram(values: o.finalEquity.sorted, format: { ReportFormat.money($0) },
                                       percentiles: [("p5", o.finalEquity.p5), ("p50", o.finalEquity.p50), ("p95", o.finalEquity.p95)])
                figures.append(.init(id: "mc-final-\(o.method)", caption: "\(o.method): final equity of \(o.paths) paths.",
                                     svg: finals.svg(label: "Final equity, \(o.method)")))
            }
            let drawdowns = Histogram(values: o.maxDrawdown.sorted, format: { ReportFormat.percent($0, digits: 2) },
                                      percentiles: [("p5", o.maxDrawdown.p5), ("p50", o.maxDrawdown.p50), ("p95", o.maxDrawdown.p95)],
                                      color: Palette.drawdown)
            figures.append(.init(id: "mc-drawdown-\(o.method)", caption: "\(o.method): maximum drawdown of \(o.paths) paths.",
                                 svg: drawdowns.svg(label: "Maximum drawdown, \(o.method)")))
        }
        let rows = mc.outcomes.map { o in
            ReportPage.Row(cells: [o.method, String(o.paths), ReportFormat.money(o.finalEquity.p5), ReportFormat.money(o.finalEquity.p50),
                                   ReportFormat.money(o.finalEquity.p95), ReportFormat.percent(o.maxDrawdown.p50), ReportFormat.percent(o.maxDrawdown.p95),
                                   ReportFormat.number(o.longestDrawdown.p50, digits: 0), ReportFormat.number(o.longestDrawdown.p95, digits: 0),
                                   ReportFormat.percent(o.killSwitchProbability, digits: 1)])
        }
        return .init(id: "monte-carlo", heading: "Monte Carlo",
                     note: "\(mc.trades) closed trades and \(mc.days) daily returns, seed \(mc.seed), blocks of \(mc.blockDays) days; the kill switch counts a fall of \(ReportFormat.money(mc.killSwitchLoss)) below the start.",
                     figures: figures,
                     tables: [.init(caption: "", header: ["method", "paths", "final p5", "final p50", "final p95", "max DD p50", "max DD p95",
                                                         "longest DD p50", "longest DD p95", "P(kill switch)"], rows: rows)])
    }
}
