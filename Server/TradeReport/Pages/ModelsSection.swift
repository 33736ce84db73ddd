import TradeCore
import TradeEngine

/// What the three models did: realized PnL over time and per UTC day, exits
/// by reason, the resolver's decisions, breaker transitions and kill-switch trips.
enum ModelsSection {
    static func build(report: ModelsReport, trades: [ClosedTrade], start: Int64, symbols: [String]) -> [ReportPage.Section] {
        [pnl(report: report, trades: trades, start: start), exits(report), resolver(report)]
    }

    static func pnl(report: ModelsReport, trades: [ClosedTrade], start: Int64) -> ReportPage.Section {
        let sorted = trades.sorted { ($0.exitTime, $0.model.rawValue) < ($1.exitTime, $1.model.rawValue) }
        let end = Double(sorted.last?.exitTime ?? start)
        var series: [LineChart.Series] = []
        for (k, m) in ModelID.allCases.enumerated() {
            var total = 0.0
            var points: [(Double, Double)] = [(Double(start), 0)]
            for t in sorted where t.model == m {
                total += t.netPnL.doubleValue
                points.append((Double(t.exitTime), total))
            }
            points.append((end, total))
            series.append(.init(name: m.name, color: Palette.series(k), points: points))
        }
        let overTime = LineChart(series: series, height: 280, baseline: 0)
        let days = Array(Set(report.models.flatMap { $0.dailyRealized.map(\.day) })).sorted()
        let byDay = days.map { day in
            BarChart.Group(label: String(day.dropFirst(5)), values: report.models.map { m in m.dailyRealized.first { $0.day == day }?.realizedPnL },
                           titles: report.models.map { m in
                               let d = m.dailyRealized.first { $0.day == day }
                               return "\(m.model) \(day): \(ReportFormat.money(d?.realizedPnL ?? 0, signed: true)) in \(d?.trades ?? 0) trades"
                           })
        }
        var figures = [ReportPage.Figure(id: "model-pnl", caption: "Cumulative realized PnL per model, after fees, at each trade's exit.",
                                         svg: overTime.svg(label: "Realized PnL per model over time"))]
        if !days.isEmpty {
            figures.append(.init(id: "model-days", caption: "Realized PnL per model per UTC day (days with a closed trade).",
                                 svg: BarChart(seriesNames: report.models.map(\.model), groups: byDay).svg(label: "Realized PnL per model per day")))
        }
        let rows = report.models.map { m in
            ReportPage.Row(cells: [m.model, m.enabled ? "yes" : "no", String(m.trades), ReportFormat.percent(m.winRate, digits: 1),
                                   ReportFormat.money(Double(m.netPnL) ?? .nan, signed: true), ReportFormat.money(Double(m.fees) ?? .nan),
                                   String(m.signals.accepted), String(m.signals.resized), String(m.signals.vetoed), m.breakerState,
                                   String(m.openPositions)])
        }
        return .init(id: "models", heading: "Models", figures: figures,
                     tables: [.init(caption: "Per model", header: ["model", "enabled", "trades", "win rate", "net PnL", "fees", "accepted",
                                                                  "resized", "vetoed", "breaker", "open"], rows: rows)])
    }

    static func exits(_ report: ModelsReport) -> ReportPage.Section {
        var totals: [String: (count: Int, net: Double)] = [:]
        var order: [String] = []
        for m in report.models {
            for e in m.exitsByReason {
                if totals[e.reason] == nil { order.append(e.reason) }
                totals[e.reason, default: (0, 0)].count += e.count
                totals[e.reason, default: (0, 0)].net += e.netPnL
            }
        }
        let rows = order.sorted { totals[$0]!.count > totals[$1]!.count || (totals[$0]!.count == totals[$1]!.count && $0 < $1) }
        var figures: [ReportPage.Figure] = []
        if !rows.isEmpty {
            let chart = HorizontalBarChart(rows: rows.map { r in
                let t = totals[r]!
                return .init(label: r, value: Double(t.count), text: "\(t.count) · net \(ReportFormat.money(t.net, signed: true))",
                             color: t.net >= 0 ? Palette.gain : Palette.loss)
            })
            figures.append(.init(id: "exits", caption: "Closed trades by exit reason, all models; bar colour is the reason's net PnL sign.",
                                 svg: chart.svg(label: "Exits by reason")))
        }
        let table = report.models.flatMap { m in
            m.exitsByReason.map { ReportPage.Row(cells: [m.model, $0.reason, String($0.count), ReportFormat.money($0.netPnL, signed: true)]) }
        }
        return .init(id: "exits", heading: "Exits by reason", note: rows.isEmpty ? "No closed trades." : "",
                     figures: figures, tables: table.isEmpty ? [] : [.init(caption: "", header: ["model", "reason", "trades", "net PnL"], rows: table)])
    }

    static func resolver(_ report: ModelsReport) -> ReportPage.Section {
        let rows = report.resolver.map { ReportPage.Row(cells: [$0.model, $0.decision, $0.rule, String($0.count)]) }
        var tables = [ReportPage.Table(caption: "The resolver's decisions on \(report.signals) signals", header: ["model", "decision", "rule", "signals"],
                                       rows: rows)]
        if !report.breakerTransitions.isEmpty {
            tables.append(.init(caption: "Circuit-breaker transitions", header: ["time (UTC)", "model", "from", "to", "trigger", "severity"],
                                rows: report.breakerTransitions.prefix(200).map { .init(cells: [ReportFormat.minute($0.time), $0.model, $0.from, $0.to, $0.trigger, $0.severity]) }))
        }
        if !report.killSwitch.isEmpty {
            tables.append(.init(caption: "Kill-switch trips", header: ["time (UTC)", "equity", "loss", "positions flattened"],
                                rows: report.killSwitch.map { .init(cells: [ReportFormat.minute($0.time), ReportFormat.money($0.equity), ReportFormat.money($0.loss), String($0.positionsFlattened)]) }))
        }
        return .init(id: "resolver", heading: "Resolver", note: "Every signal, and what the veto hierarchy decided about it (rule \"none\": accepted as asked).",
                     tables: tables)
    }
}
