import TradeCore

/// Equity against buy-and-hold, the underwater chart, and the monthly returns heat map.
enum EquitySection {
    static func build(times: [Int64], equity: [Double], hold: (times: [Int64], equity: [Double]), initial: Double) -> ReportPage.Section {
        let x = times.map(Double.init)
        let equityChart = LineChart(series: [
            .init(name: "buy and hold", color: Palette.benchmark, points: Downsample.minMax(x: hold.times.map(Double.init), y: hold.equity), width: 1.2),
            .init(name: "strategy", color: Palette.strategy, points: Downsample.minMax(x: x, y: equity), width: 1.8),
        ], height: 320, yFormat: { ReportFormat.tick($0, step: $1) })
        return .init(id: "equity", heading: "Equity", figures: [
            .init(id: "equity", caption: "Equity (USDT, marked at each bar's close) against holding the same symbols from the first bar, equal weights.",
                  svg: equityChart.svg(label: "Equity against buy and hold")),
            .init(id: "underwater", caption: "Underwater: how far equity is below its running peak.",
                  svg: underwater(x: x, equity: equity, initial: initial, name: "drawdown from the running peak", height: 200, label: "Drawdown")),
        ])
    }

    /// The underwater chart: how far equity is below its running peak (from `initial`), as a filled area.
    static func underwater(x: [Double], equity: [Double], initial: Double, name: String, height: Double, label: String) -> String {
        var peak = initial
        let below = equity.map { e -> Double in
            peak = max(peak, e)
            return peak > 0 ? e / peak - 1 : 0
        }
        return LineChart(series: [.init(name: name, color: Palette.drawdown, points: Downsample.minMax(x: x, y: below), width: 1.2, area: true)],
                         height: height, baseline: 0, yFormat: { v, _ in ReportFormat.percent(v, digits: 1) }).svg(label: label)
    }

    /// Return of each UTC calendar month: equity at its last bar against the
    /// previous month's last bar (the first month against the start).
    static func monthlyReturns(times: [Int64], equity: [Double], initial: Double) -> [(year: Int, month: Int, value: Double)] {
        var out: [(Int, Int, Double)] = []
        var previous = initial
        var current: (Int, Int)? = nil
        var last = initial
        var lastDay = Int.min, lastYM = (0, 0)
        for (t, e) in zip(times, equity) {
            let day = Int(ReportFormat.floorDiv(t, UTC.dayMs))
            if day != lastDay {
                let c = ReportFormat.civil(day: day)
                lastDay = day
                lastYM = (c.year, c.month)
            }
            if let cur = current, cur != lastYM {
                out.append((cur.0, cur.1, last / previous - 1))
                previous = last
            }
            current = lastYM
            last = e
        }
        if let cur = current { out.append((cur.0, cur.1, last / previous - 1)) }
        return out
    }

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    static func monthly(times: [Int64], equity: [Double], initial: Double) -> ReportPage.Section {
        let months = monthlyReturns(times: times, equity: equity, initial: initial)
        let years = Array(Set(months.map(\.year))).sorted()
        var values = [[Double?]](repeating: [Double?](repeating: nil, count: 13), count: years.count)
        for m in months { values[years.firstIndex(of: m.year)!][m.month - 1] = m.value }
        for (i, y) in years.enumerated() {
            let inYear = months.filter { $0.year == y }
            values[i][12] = inYear.reduce(1.0) { $0 * (1 + $1.value) } - 1
        }
        let map = HeatMap(rowLabels: years.map(String.init), columnLabels: monthNames + ["Year"], values: values,
                          format: { ReportFormat.percent($0, digits: 2) })
        return .init(id: "monthly", heading: "Monthly returns",
                     note: "Per UTC calendar month; months the run only partly covers show the part it covered.",
                     figures: [.init(id: "monthly", caption: "Monthly returns; Year compounds the months shown.", svg: map.svg(label: "Monthly returns"))])
    }
}
