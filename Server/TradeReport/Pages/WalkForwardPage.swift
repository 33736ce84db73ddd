import TradeCore
import TradeEngine

/// The HTML report of a walk-forward run: the windows on a time line, the
/// stitched out-of-sample equity and its drawdown, in-sample against
/// out-of-sample PnL per day for every window (the overfitting signal), and
/// each window's chosen parameters.
public enum WalkForwardPage {
    public static func build(results: [WalkForward.WindowResult], names: [String], initial: Double, subtitle: String,
                             command: String) -> ReportPage {
        let stitched = WalkForward.stitched(results, initial: initial)
        let final = stitched.equity.last ?? initial
        let n = Double(max(results.count, 1))
        let inMean = results.reduce(0) { $0 + $1.inSamplePerDay } / n
        let outMean = results.reduce(0) { $0 + $1.outOfSamplePerDay } / n
        let efficiencies = results.compactMap(\.efficiency)
        let ret = final / initial - 1
        let cards: [ReportPage.Card] = [
            .init(label: "Windows", value: String(results.count)),
            .init(label: "Out of sample, stitched", value: ReportFormat.percent(ret, signed: true), tone: ret > 0 ? "pos" : (ret < 0 ? "neg" : "")),
            .init(label: "Final equity", value: ReportFormat.money(final)),
            .init(label: "In sample PnL/day", value: ReportFormat.money(inMean, signed: true)),
            .init(label: "Out of sample PnL/day", value: ReportFormat.money(outMean, signed: true), tone: outMean > 0 ? "pos" : (outMean < 0 ? "neg" : "")),
            .init(label: "Median efficiency", value: efficiencies.isEmpty ? "–" : ReportFormat.number(efficiencies.sorted()[efficiencies.count / 2])),
            .init(label: "Out-of-sample trades", value: String(results.reduce(0) { $0 + $1.outOfSample.metrics.tradeCount })),
        ]
        let sections = [timeline(results), equity(stitched, initial: initial), windows(results, names: names)]
        return ReportPage(title: "Walk-forward · \(results.count) windows", subtitle: subtitle, command: command, cards: cards, sections: sections)
    }

    /// Each window as a row on a time axis: its in-sample span, then its out-of-sample span.
    static func timeline(_ results: [WalkForward.WindowResult]) -> ReportPage.Section {
        let lo = Double(results.map(\.window.inSample.lowerBound).min() ?? 0)
        let hi = Double(results.map(\.window.outOfSample.upperBound).max() ?? 1)
        let rowHeight = 16.0
        var frame = ChartFrame(height: 60 + Double(results.count) * rowHeight, xDomain: (lo, hi), yDomain: (0, 1))
        frame.top = 30
        var c = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawAxes(&c, xAxis: .time, yFormat: { _, _ in "" })
        for (k, r) in results.enumerated() {
            let y = frame.plotTop + Double(k) * rowHeight + 2
            let w = r.window
            c.text("\(w.index + 1)", x: frame.plotLeft - 6, y: y + 10, anchor: .end, size: 10)
            c.rect(x: frame.x(Double(w.inSample.lowerBound)), y: y, width: frame.x(Double(w.inSample.upperBound)) - frame.x(Double(w.inSample.lowerBound)),
                   height: rowHeight - 4, fill: Palette.benchmark, title: "window \(w.index + 1) in sample: \(ReportFormat.minute(w.inSample.lowerBound)) → \(ReportFormat.minute(w.inSample.upperBound))")
            c.rect(x: frame.x(Double(w.outOfSample.lowerBound)), y: y, width: frame.x(Double(w.outOfSample.upperBound)) - frame.x(Double(w.outOfSample.lowerBound)),
                   height: rowHeight - 4, fill: r.outOfSample.netPnL >= 0 ? Palette.gain : Palette.loss,
                   title: "window \(w.index + 1) out of sample: \(ReportFormat.money(r.outOfSample.netPnL, signed: true))")
        }
        frame.drawLegend(&c, [("in sample", Palette.benchmark), ("out of sample (green: made money)", Palette.gain)])
        return .init(id: "windows-timeline", heading: "Windows",
                     figures: [.init(id: "wf-timeline", caption: "Each window: parameters chosen on the grey span, run on the coloured span right after.",
                                     svg: c.svg(label: "Walk-forward windows"))])
    }

    static func equity(_ s: (times: [Int64], equity: [Double]), initial: Double) -> ReportPage.Section {
        let x = s.times.map(Double.init)
        return .init(id: "oos-equity", heading: "Out-of-sample equity", figures: [
            .init(id: "wf-equity", caption: "The out-of-sample segments chained: each starts where the previous ended.",
                  svg: LineChart(series: [.init(name: "out of sample, stitched", color: Palette.strategy, points: Downsample.minMax(x: x, y: s.equity))],
                                 height: 280).svg(label: "Stitched out-of-sample equity")),
            .init(id: "wf-underwater", caption: "Its drawdown from the running peak.",
                  svg: EquitySection.underwater(x: x, equity: s.equity, initial: initial, name: "drawdown", height: 180,
                                                label: "Out-of-sample drawdown")),
        ])
    }

    static func windows(_ results: [WalkForward.WindowResult], names: [String]) -> ReportPage.Section {
        let groups = results.map { r in
            BarChart.Group(label: String(r.window.index + 1), values: [r.inSamplePerDay, r.outOfSamplePerDay],
                           titles: ["window \(r.window.index + 1) in sample: \(ReportFormat.money(r.inSamplePerDay, signed: true))/day",
                                    "window \(r.window.index + 1) out of sample: \(ReportFormat.money(r.outOfSamplePerDay, signed: true))/day"])
        }
        let rows = results.map { r in
            let w = r.window
            return ReportPage.Row(cells: [String(w.index + 1), ReportFormat.minute(w.inSample.lowerBound), ReportFormat.minute(w.outOfSample.lowerBound),
                                          ReportFormat.minute(w.outOfSample.upperBound), String(r.chosen.index)]
                                  + names.map { ReportFormat.value(r.chosen.parameters[$0] ?? .nan) }
                                  + [ReportFormat.money(r.chosen.netPnL, signed: true), String(r.chosen.metrics.tradeCount),
                                     ReportFormat.money(r.outOfSample.netPnL, signed: true), String(r.outOfSample.metrics.tradeCount),
                                     ReportFormat.money(r.inSamplePerDay, signed: true), ReportFormat.money(r.outOfSamplePerDay, signed: true),
                                     ReportFormat.number(r.efficiency)])
        }
        return .init(id: "degradation", heading: "In sample against out of sample",
                     note: "Efficiency is out-of-sample PnL per day over in-sample PnL per day (when the in-sample one is positive): far below 1 means the choice was fitted to noise.",
                     figures: [.init(id: "wf-degradation", caption: "Net PnL per day: in sample (the winner of the sweep) and out of sample (the same parameters, next window).",
                                     svg: BarChart(seriesNames: ["in sample", "out of sample"], groups: groups, signColored: false).svg(label: "In-sample and out-of-sample PnL per day"))],
                     tables: [.init(caption: "", header: ["window", "in sample from", "out of sample from", "to", "point"] + names
                                    + ["in-sample PnL", "trades", "out-of-sample PnL", "trades", "IS/day", "OOS/day", "efficiency"], rows: rows)])
    }
}
