/// Vertical bars in groups along a categorical axis: one bar per series in
/// each group (one series: green above zero, red below).
struct BarChart {
    struct Group {
        var label: String
        var values: [Double?]
        var titles: [String]
    }

    var seriesNames: [String]
    var groups: [Group]
    var height = 260.0
    var yFormat: (Double, Double) -> String = { ReportFormat.tick($0, step: $1) }
    /// Colour bars by sign when there is one series.
    var signColored = true
    /// Most x labels to write (evenly thinned).
    var maxLabels = 16

    func svg(label: String) -> String {
        let values = groups.flatMap { $0.values.compactMap { $0 } }
        let frame = ChartFrame(height: height, xDomain: (0, Double(max(groups.count, 1))),
                               yDomain: LinearScale.extent(values, pad: 0.05, including: 0))
        var c = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawAxes(&c, xAxis: .none, yFormat: yFormat)
        let slot = (frame.plotRight - frame.plotLeft) / Double(max(groups.count, 1))
        let k = Double(max(seriesNames.count, 1))
        let barWidth = max(1, slot * 0.8 / k)
        let zero = frame.y(0)
        let every = max(1, (groups.count + maxLabels - 1) / maxLabels)
        for (g, group) in groups.enumerated() {
            let x0 = frame.plotLeft + Double(g) * slot + slot * 0.1
            for (s, v) in group.values.enumerated() {
                guard let v, v.isFinite else { continue }
                let color = seriesNames.count == 1 && signColored ? (v >= 0 ? Palette.gain : Palette.loss) : Palette.series(s)
                let top = min(frame.y(v), zero), h = max(abs(frame.y(v) - zero), 0.8)
                c.rect(x: x0 + Double(s) * barWidth, y: top, width: barWidth, height: h, fill: color,
                       title: s < group.titles.count ? group.titles[s] : nil)
            }
            if g % every == 0 {
                c.text(group.label, x: x0 + slot * 0.4, y: frame.plotBottom + 16, anchor: .middle, size: 10)
            }
        }
        if seriesNames.count > 1 { frame.drawLegend(&c, seriesNames.enumerated().map { ($1, Palette.series($0)) }) }
        return c.svg(label: label)
    }
}

/// Horizontal bars, one per row, labelled on the left and valued on the right.
struct HorizontalBarChart {
    struct Row {
        var label: String
        var value: Double
        var text: String
        var color: String
    }

    var rows: [Row]

    func svg(label: String) -> String {
        let rowHeight = 24.0, left = 170.0, right = 150.0
        let height = Double(rows.count) * rowHeight + 16
        var c = SVGCanvas(width: ChartFrame.width, height: height)
        let peak = rows.map { abs($0.value) }.max() ?? 1
        let span = ChartFrame.width - left - right
        for (i, r) in rows.enumerated() {
            let y = 8 + Double(i) * rowHeight
            c.text(r.label, x: left - 8, y: y + 15, anchor: .end, size: 11.5)
            let w = peak > 0 ? abs(r.value) / peak * span : 0
            c.rect(x: left, y: y + 3, width: max(w, 1), height: rowHeight - 8, fill: r.color, title: "\(r.label): \(r.text)")
            c.text(r.text, x: left + max(w, 1) + 6, y: y + 15, size: 11)
        }
        return c.svg(label: label)
    }
}
