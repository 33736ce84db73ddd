/// Lines over time (or over a numeric x), with optional filled areas, bands
/// (for fan charts) and triangle markers (for trades).
struct LineChart {
    struct Series {
        var name: String
        var color: String
        var points: [(Double, Double)]
        var width = 1.5
        var dash: String? = nil
        /// Fill between the line and `LineChart.baseline` (underwater charts).
        var area = false
    }

    struct Band {
        var upper: [(Double, Double)]
        var lower: [(Double, Double)]
        var color: String
        var opacity: Double
    }

    struct Marker {
        var x: Double
        var y: Double
        var up: Bool
        var color: String
        var title: String
    }

    var series: [Series] = []
    var bands: [Band] = []
    var markers: [Marker] = []
    var height = 300.0
    var xAxis: ChartFrame.XAxis = .time
    /// A y value the areas fill to, always inside the y domain (0 for drawdowns and PnL).
    var baseline: Double? = nil
    var yFormat: (Double, Double) -> String = { ReportFormat.tick($0, step: $1) }
    var legend = true

    func svg(label: String) -> String {
        let xs = series.flatMap { $0.points.map(\.0) } + bands.flatMap { $0.upper.map(\.0) }
        let ys = series.flatMap { $0.points.map(\.1) } + bands.flatMap { $0.upper.map(\.1) + $0.lower.map(\.1) } + markers.map(\.y)
        let frame = ChartFrame(height: height, xDomain: LinearScale.extent(xs),
                               yDomain: LinearScale.extent(ys, pad: 0.04, including: baseline))
        var c = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawAxes(&c, xAxis: xAxis, yFormat: yFormat)
        let place = { (p: (Double, Double)) in (frame.x(p.0), frame.y(p.1)) }
        for b in bands {
            c.band(upper: b.upper.map(place), lower: b.lower.map(place), fill: b.color, opacity: b.opacity)
        }
        for s in series where s.area {
            let base = frame.y(baseline ?? frame.y.domain.0)
            let pts = s.points.map(place)
            c.band(upper: pts, lower: pts.map { ($0.0, base) }, fill: s.color, opacity: 0.25)
        }
        for s in series {
            c.line(s.points.map(place), stroke: s.color, width: s.width, dash: s.dash)
        }
        for m in markers {
            c.triangle(x: frame.x(m.x), y: frame.y(m.y), up: m.up, size: 4, fill: m.color, title: m.title)
        }
        if legend { frame.drawLegend(&c, series.map { ($0.name, $0.color) }) }
        return c.svg(label: label)
    }
}
