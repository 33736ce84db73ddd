import Foundation

/// A histogram of values (Monte Carlo outcomes): equal-width bins, drawn as
/// bars, with the 5th, 50th and 95th percentiles marked.
struct Histogram {
    var values: [Double]
    var bins = 30
    var format: (Double) -> String
    var percentiles: [(String, Double)] = []
    var color = Palette.strategy

    func svg(label: String) -> String {
        let (lo, hi) = LinearScale.extent(values)
        let width = hi > lo ? (hi - lo) / Double(bins) : 1
        var counts = [Int](repeating: 0, count: bins)
        for v in values where v.isFinite {
            counts[min(bins - 1, max(0, Int(((v - lo) / width).rounded(.down))))] += 1
        }
        let frame = ChartFrame(height: 220, xDomain: (lo, hi > lo ? hi : lo + 1), yDomain: (0, Double(counts.max() ?? 1) * 1.08))
        var c = SVGCanvas(width: frame.width, height: frame.height)
        frame.drawAxes(&c, xAxis: .none, yFormat: { ReportFormat.tick($0, step: max($1, 1)) })
        for (i, n) in counts.enumerated() where n > 0 {
            let a = lo + Double(i) * width
            let x0 = frame.x(a), x1 = frame.x(a + width)
            c.rect(x: x0 + 0.5, y: frame.y(Double(n)), width: x1 - x0 - 1, height: frame.y(0) - frame.y(Double(n)), fill: color,
                   title: "\(format(a)) … \(format(a + width)): \(n) paths")
        }
        for (k, t) in [lo, (lo + hi) / 2, hi].enumerated() {
            c.text(format(t), x: frame.x(t), y: frame.plotBottom + 16, anchor: k == 0 ? .start : (k == 1 ? .middle : .end), size: 10.5)
        }
        for (name, v) in percentiles where v.isFinite {
            c.rule(x1: frame.x(v), y1: frame.plotTop, x2: frame.x(v), y2: frame.plotBottom, stroke: "#24292f", width: 1)
            c.text("\(name) \(format(v))", x: frame.x(v) + 3, y: frame.plotTop + 10, size: 10, fill: "#24292f")
        }
        return c.svg(label: label)
    }
}
