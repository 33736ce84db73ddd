import Foundation

/// The HTML report of a parameter sweep, drawn from its ranked table (the CSV
/// `sweep --out` writes and `sweep-merge` reproduces), so a sharded sweep's
/// merged table gives the same report as one machine's.
public enum SweepPage {
    public struct TableError: Error, CustomStringConvertible {
        public var description: String
    }

    /// One row of the table.
    struct Point {
        var rank: Int
        var index: Int
        var parameters: [Double]
        var eligible: Bool
        var fields: [String: String]
        func value(_ column: String) -> Double? { fields[column].flatMap(Double.init) }
    }

    public static func build(table: String, objective: String, minTrades: Int, command: String) throws -> ReportPage {
        let lines = table.split(separator: "\n").map(String.init)
        guard let header = lines.first?.split(separator: ",", omittingEmptySubsequences: false).map(String.init),
              let from = header.firstIndex(of: "index"), let to = header.firstIndex(of: "eligible"), from < to,
              header.contains(objective) else {
            throw TableError(description: "not a sweep table (expected rank,index,<parameters>,eligible,…,\(objective),…)")
        }
        let names = Array(header[(from + 1)..<to])
        var points: [Point] = []
        for line in lines.dropFirst() {
            let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard f.count == header.count, let rank = Int(f[0]), let index = Int(f[1]) else {
                throw TableError(description: "a row does not fit the header: \(line)")
            }
            points.append(Point(rank: rank, index: index, parameters: names.indices.map { Double(f[from + 1 + $0]) ?? .nan },
                                eligible: f[to] == "1", fields: Dictionary(uniqueKeysWithValues: zip(header, f))))
        }
        let money = objective == "net_pnl"
        let show: (Double) -> String = { money ? ReportFormat.money($0, signed: true) : ReportFormat.number($0) }
        let eligible = points.filter(\.eligible)
        let best = points.first
        var cards: [ReportPage.Card] = [
            .init(label: "Points", value: String(points.count)),
            .init(label: "With ≥ \(minTrades) trades", value: String(eligible.count)),
        ]
        if let best {
            let v = best.value(objective) ?? .nan
            cards.append(.init(label: "Best \(objective)", value: show(v), tone: v > 0 ? "pos" : (v < 0 ? "neg" : "")))
            for (k, n) in names.enumerated() { cards.append(.init(label: n, value: ReportFormat.value(best.parameters[k]))) }
        }
        let sections = [ranking(points, names: names, objective: objective),
                        heatMaps(eligible.isEmpty ? points : eligible, names: names, objective: objective, show: show),
                        distribution(points, objective: objective, show: show)]
        let subtitle = "Parameters: \(names.joined(separator: ", ")) · points with fewer than \(minTrades) closed trades rank after all others"
        return ReportPage(title: "Sweep · \(points.count) points · ranked by \(objective)", subtitle: subtitle, command: command,
                          cards: cards, sections: sections)
    }

    static let shownColumns = ["net_pnl", "sharpe", "calmar", "max_drawdown", "profit_factor", "win_rate", "trades"]

    static func ranking(_ points: [Point], names: [String], objective: String) -> ReportPage.Section {
        let rows = points.prefix(30).map { p in
            ReportPage.Row(cells: [String(p.rank), String(p.index)] + p.parameters.map(ReportFormat.value)
                           + [p.eligible ? "yes" : "no"] + shownColumns.map { c -> String in
                               switch c {
                               case "net_pnl": return ReportFormat.money(p.value(c) ?? .nan, signed: true)
                               case "max_drawdown", "win_rate": return ReportFormat.percent(p.value(c))
                               case "trades": return p.fields[c] ?? ""
                               default: return ReportFormat.number(p.value(c))
                               }
                           })
        }
        return .init(id: "ranking", heading: "Ranking",
                     note: points.count > 30 ? "The best 30 of \(points.count) points; the CSV has them all." : "",
                     tables: [.init(caption: "", header: ["rank", "point"] + names + ["eligible"] + shownColumns, rows: rows)])
    }

    /// For every pair of parameters (the first six pairs), the best objective
    /// over the other parameters at each pair of values; one parameter: the
    /// objective per value.
    static func heatMaps(_ points: [Point], names: [String], objective: String, show: @escaping (Double) -> String) -> ReportPage.Section {
        func values(_ k: Int) -> [Double] { Array(Set(points.map { $0.parameters[k] }.filter(\.isFinite))).sorted() }
        var figures: [ReportPage.Figure] = []
        if names.count == 1 {
            let vs = values(0)
            let groups = vs.map { v -> BarChart.Group in
                let best = points.filter { $0.parameters[0] == v }.compactMap { $0.value(objective) }.max()
                return .init(label: ReportFormat.value(v), values: [best], titles: ["\(names[0]) = \(v): \(best.map(show) ?? "–")"])
            }
            figures.append(.init(id: "sweep-\(names[0])", caption: "\(objective) by \(names[0]).",
                                 svg: BarChart(seriesNames: [objective], groups: groups).svg(label: "\(objective) by \(names[0])")))
        }
        var pairs: [(Int, Int)] = []
        for a in names.indices { for b in names.indices where b > a { pairs.append((a, b)) } }
        for (a, b) in pairs.prefix(6) {
            let rows = values(a), columns = values(b)
            var best = [[Double?]](repeating: [Double?](repeating: nil, count: columns.count), count: rows.count)
            for p in points {
                guard let i = rows.firstIndex(of: p.parameters[a]), let j = columns.firstIndex(of: p.parameters[b]),
                      let v = p.value(objective), v.isFinite else { continue }
                best[i][j] = max(best[i][j] ?? -.infinity, v)
            }
            let map = HeatMap(rowLabels: rows.map(ReportFormat.value), columnLabels: columns.map(ReportFormat.value),
                              values: best, format: show, rowTitle: names[a], columnTitle: names[b])
            figures.append(.init(id: "sweep-\(names[a])-\(names[b])",
                                 caption: "Best \(objective) over the other parameters, by \(names[a]) (rows) and \(names[b]) (columns).",
                                 svg: map.svg(label: "\(objective) by \(names[a]) and \(names[b])")))
        }
        return .init(id: "heat-maps", heading: "Heat maps",
                     note: pairs.count > 6 ? "The first six of \(pairs.count) parameter pairs." : "", figures: figures)
    }

    static func distribution(_ points: [Point], objective: String, show: @escaping (Double) -> String) -> ReportPage.Section {
        let values = points.compactMap { $0.value(objective) }.filter(\.isFinite).sorted()
        var figures: [ReportPage.Figure] = []
        if values.count > 1, values.first != values.last {
            let q = { (x: Double) -> Double in
                let h = x * Double(values.count - 1), lo = Int(h)
                return values[lo] + (h - Double(lo)) * (values[min(lo + 1, values.count - 1)] - values[lo])
            }
            figures.append(.init(id: "sweep-distribution", caption: "\(objective) of every point: how much of the grid is good, not only its best point.",
                                 svg: Histogram(values: values, bins: min(30, max(5, values.count / 2)), format: show,
                                                percentiles: [("p50", q(0.5))]).svg(label: "Distribution of \(objective)")))
        }
        return .init(id: "distribution", heading: "Distribution", note: figures.isEmpty ? "Every point has the same \(objective)." : "",
                     figures: figures)
    }
}
