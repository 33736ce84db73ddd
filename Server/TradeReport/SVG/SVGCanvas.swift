import Foundation

/// Builds one `<svg>` element as text. Coordinates are rounded to 0.1 px so
/// a report's bytes are the same on every machine and stay small.
///
/// Every data mark (a line, an area, a bar, a cell, a marker) carries the
/// class `mark`, which is what the browser test counts: a chart that drew
/// nothing has no mark with a size.
struct SVGCanvas {
    let width: Double
    let height: Double
    private(set) var body = ""

    init(width: Double, height: Double) {
        self.width = width
        self.height = height
    }

    static func n(_ x: Double) -> String {
        guard x.isFinite else { return "0" }
        let r = (x * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(format: "%.1f", r)
    }

    static func escape(_ s: String) -> String {
        var out = ""
        for c in s {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(c)
            }
        }
        return out
    }

    /// A polyline through `points` (skipping non-finite ones, which break the line).
    mutating func line(_ points: [(Double, Double)], stroke: String, width w: Double = 1.5, dash: String? = nil,
                       cls: String = "mark", title: String? = nil) {
        let d = Self.pathData(points)
        guard !d.isEmpty else { return }
        body += "<path class=\"\(cls)\" d=\"\(d)\" fill=\"none\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\""
        if let dash { body += " stroke-dasharray=\"\(dash)\"" }
        body += title.map { "><title>\(Self.escape($0))</title></path>" } ?? "/>"
    }

    /// The region between `upper` and `lower` (same x values), filled.
    mutating func band(upper: [(Double, Double)], lower: [(Double, Double)], fill: String, opacity: Double = 1) {
        guard upper.count >= 2, upper.count == lower.count else { return }
        let d = Self.pathData(upper) + " " + Self.pathData(lower.reversed()).replacingOccurrences(of: "M", with: "L") + " Z"
        body += "<path class=\"mark\" d=\"\(d)\" fill=\"\(fill)\" fill-opacity=\"\(String(format: "%.2f", opacity))\" stroke=\"none\"/>"
    }

    mutating func rect(x: Double, y: Double, width w: Double, height h: Double, fill: String, cls: String = "mark",
                       title: String? = nil) {
        body += "<rect class=\"\(cls)\" x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" width=\"\(Self.n(max(w, 0)))\" height=\"\(Self.n(max(h, 0)))\" fill=\"\(fill)\""
        body += title.map { "><title>\(Self.escape($0))</title></rect>" } ?? "/>"
    }

    /// A small triangle pointing up (`up`) or down, centred on (x, y).
    mutating func triangle(x: Double, y: Double, up: Bool, size: Double = 5, fill: String, title: String? = nil) {
        let h = size * 1.6
        let (tip, base) = up ? (y - h / 2, y + h / 2) : (y + h / 2, y - h / 2)
        let d = "M\(Self.n(x)) \(Self.n(tip))L\(Self.n(x - size)) \(Self.n(base))L\(Self.n(x + size)) \(Self.n(base))Z"
        body += "<path class=\"mark\" d=\"\(d)\" fill=\"\(fill)\" stroke=\"#fff\" stroke-width=\"0.5\""
        body += title.map { "><title>\(Self.escape($0))</title></path>" } ?? "/>"
    }

    mutating func rule(x1: Double, y1: Double, x2: Double, y2: Double, stroke: String = "#d0d4da", width w: Double = 1) {
        body += "<line x1=\"\(Self.n(x1))\" y1=\"\(Self.n(y1))\" x2=\"\(Self.n(x2))\" y2=\"\(Self.n(y2))\" stroke=\"\(stroke)\" stroke-width=\"\(Self.n(w))\"/>"
    }

    enum Anchor: String { case start, middle, end }

    mutating func text(_ s: String, x: Double, y: Double, anchor: Anchor = .start, size: Double = 11, fill: String = "#4a5260",
                       bold: Bool = false, rotate: Double? = nil) {
        body += "<text x=\"\(Self.n(x))\" y=\"\(Self.n(y))\" text-anchor=\"\(anchor.rawValue)\" font-size=\"\(Self.n(size))\" fill=\"\(fill)\""
        if bold { body += " font-weight=\"600\"" }
        if let rotate { body += " transform=\"rotate(\(Self.n(rotate)) \(Self.n(x)) \(Self.n(y)))\"" }
        body += ">\(Self.escape(s))</text>"
    }

    static func pathData<S: Sequence>(_ points: S) -> String where S.Element == (Double, Double) {
        var d = ""
        var pen = false
        for (x, y) in points {
            guard x.isFinite, y.isFinite else { pen = false; continue }
            d += (pen ? "L" : "M") + n(x) + " " + n(y)
            pen = true
        }
        return d
    }

    /// The finished element; `label` is its accessible name.
    func svg(label: String) -> String {
        "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(Self.n(width)) \(Self.n(height))\" width=\"\(Self.n(width))\" height=\"\(Self.n(height))\" role=\"img\" aria-label=\"\(Self.escape(label))\">"
            + body + "</svg>"
    }
}
