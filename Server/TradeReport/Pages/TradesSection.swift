import TradeCore
import TradeEngine

/// Each symbol's close price with the run's fills on it: buys as green
/// triangles pointing up, sells as red triangles pointing down.
enum TradesSection {
    /// Most markers drawn per symbol (evenly thinned beyond it; the trade list has them all).
    static let maxMarkers = 1_500

    static func build(series: [MarketSeries], fills: [Fill], symbols: [String]) -> ReportPage.Section {
        var figures: [ReportPage.Figure] = []
        for (i, s) in series.enumerated() {
            let closes = Downsample.minMax(x: s.candles.map { Double($0.openTime) }, y: s.candles.map(\.close))
            let mine = fills.filter { $0.symbol == i }
            let step = max(1, (mine.count + maxMarkers - 1) / maxMarkers)
            let markers = stride(from: 0, to: mine.count, by: step).map { k -> LineChart.Marker in
                let f = mine[k]
                let buy = f.side == .buy
                return .init(x: Double(f.time), y: f.price.doubleValue, up: buy, color: buy ? Palette.gain : Palette.loss,
                             title: "\(buy ? "BUY" : "SELL") \(f.quantity) @ \(ReportFormat.money(f.price.doubleValue)) · \(ReportFormat.minute(f.time))")
            }
            let chart = LineChart(series: [.init(name: "\(symbols[i]) close", color: Palette.price, points: closes, width: 1)],
                                  markers: markers, height: 300)
            let thinned = step > 1 ? " (every \(step)th of \(mine.count) fills drawn)" : ""
            figures.append(.init(id: "price-\(symbols[i])", caption: "\(symbols[i]): \(mine.count) fills\(thinned); ▲ buy, ▼ sell.",
                                 svg: chart.svg(label: "\(symbols[i]) price and trades")))
        }
        return .init(id: "trades", heading: "Trades on the price", figures: figures)
    }
}
