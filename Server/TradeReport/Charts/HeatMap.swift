/// A grid of coloured cells with their values written in: monthly returns,
/// and a sweep's objective over two parameters. Colours diverge around zero
/// (red losses, green gains), scaled to the largest magnitude in the grid.
struct HeatMap {
    var rowLabels: [String]
    var columnLabels: [String]
    /// `values[row][column]`; nil cells are drawn empty.
    var values: [[Double?]]
    var format: (Double) -> String
    var rowTitle = ""
    var columnTitle = ""

    func svg(label: String) -> String {
        let left = rowTitle.isEmpty ? 90.0 : max(90, Double(rowTitle.count) * 6.5 + 14), top = 40.0, cellHeight = 30.0
        let cellWidth = min(110, (ChartFrame.width - left - 20) / Double(max(columnLabels.count, 1)))
        let height = top + Double(rowLabels.count) * cellHeight + 12
        var c = SVGCanvas(width: left + cellWidth * Double(columnLabels.count) + 20, height: height)
        let peak = values.flatMap { $0.compactMap { $0 } }.filter(\.isFinite).map(abs).max() ?? 0
        // The column parameter centred above the columns; the row parameter over the row labels.
        if !columnTitle.isEmpty { c.text(columnTitle, x: left + cellWidth * Double(columnLabels.count) / 2, y: 13, anchor: .middle, size: 11, bold: true) }
        if !rowTitle.isEmpty { c.text(rowTitle, x: left - 8, y: top - 8, anchor: .end, size: 11, bold: true) }
        for (j, name) in columnLabels.enumerated() {
            c.text(name, x: left + (Double(j) + 0.5) * cellWidth, y: top - 8, anchor: .middle, size: 10.5)
        }
        for (i, name) in rowLabels.enumerated() {
            let y = top + Double(i) * cellHeight
            c.text(name, x: left - 8, y: y + cellHeight / 2 + 4, anchor: .end, size: 10.5)
            for j in columnLabels.indices {
                let x = left + Double(j) * cellWidth
                guard j < values[i].count, let v = values[i][j], v.isFinite else {
                    c.rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2, fill: "#f6f8fa", cls: "empty")
                    continue
                }
                let text = format(v)
                c.rect(x: x + 1, y: y + 1, width: cellWidth - 2, height: cellHeight - 2,
                       fill: Palette.diverging(peak > 0 ? v / peak : 0), title: "\(name) · \(columnLabels[j]): \(text)")
                c.text(text, x: x + cellWidth / 2, y: y + cellHeight / 2 + 4, anchor: .middle, size: 10,
                       fill: peak > 0 && abs(v / peak) > 0.6 ? "#ffffff" : "#24292f")
            }
        }
        return c.svg(label: label)
    }
}
