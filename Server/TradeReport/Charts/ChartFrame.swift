/// The plot area of a chart (inside its margins), its scales and its axes.
struct ChartFrame {
    static let width = 960.0
    var width = ChartFrame.width
    var height: Double
    var left = 70.0, right = 20.0, top = 26.0, bottom = 34.0
    var x: LinearScale
    var y: LinearScale

    init(height: Double = 300, left: Double = 70, bottom: Double = 34, xDomain: (Double, Double), yDomain: (Double, Double)) {
        self.height = height
        self.left = left
        self.bottom = bottom
        x = LinearScale(domain: xDomain, range: (left, ChartFrame.width - right))
        y = LinearScale(domain: yDomain, range: (height - bottom, top))
    }

    var plotLeft: Double { left }
    var plotRight: Double { width - right }
    var plotTop: Double { top }
    var plotBottom: Double { height - bottom }

    enum XAxis {
        case time
        case numeric(label: String)
        case none
    }

    /// Grid lines and tick labels on both axes; y labels by `yFormat`.
    func drawAxes(_ c: inout SVGCanvas, xAxis: XAxis, yFormat: (Double, Double) -> String) {
        let yTicks = y.ticks(5)
        let yStep = yTicks.count > 1 ? yTicks[1] - yTicks[0] : 1
        for t in yTicks {
            c.rule(x1: plotLeft, y1: y(t), x2: plotRight, y2: y(t), stroke: t == 0 ? "#8c959f" : "#eaeef2")
            c.text(yFormat(t, yStep), x: plotLeft - 6, y: y(t) + 4, anchor: .end, size: 10.5)
        }
        switch xAxis {
        case .time:
            for (t, label) in TimeTicks.ticks(from: Int64(x.domain.0), to: Int64(x.domain.1)) {
                c.rule(x1: x(Double(t)), y1: plotTop, x2: x(Double(t)), y2: plotBottom, stroke: "#f3f5f7")
                // Labels near an edge are anchored inward, so none is cut off.
                let px = x(Double(t))
                let anchor: SVGCanvas.Anchor = px > plotRight - 36 ? .end : (px < plotLeft + 36 ? .start : .middle)
                c.text(label, x: px, y: plotBottom + 16, anchor: anchor, size: 10.5)
            }
        case .numeric(let label):
            let ticks = x.ticks(8)
            let step = ticks.count > 1 ? ticks[1] - ticks[0] : 1
            for t in ticks {
                c.text(ReportFormat.tick(t, step: step), x: x(t), y: plotBottom + 16, anchor: .middle, size: 10.5)
            }
            c.text(label, x: plotRight, y: plotBottom + 30, anchor: .end, size: 10.5)
        case .none:
            break
        }
        c.rule(x1: plotLeft, y1: plotBottom, x2: plotRight, y2: plotBottom, stroke: "#8c959f")
    }

    /// A legend across the top: a swatch and a name per entry.
    func drawLegend(_ c: inout SVGCanvas, _ entries: [(name: String, color: String)]) {
        var x = plotLeft
        for e in entries {
            c.rect(x: x, y: 8, width: 14, height: 4, fill: e.color, cls: "legend")
            c.text(e.name, x: x + 19, y: 14, size: 11)
            x += 19 + Double(e.name.count) * 6.4 + 18
        }
    }
}
