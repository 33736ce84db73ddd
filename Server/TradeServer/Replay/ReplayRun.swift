import Foundation
import TradeCore
import TradeEngine

/// Everything one run owns: its data and cursor, its engine session, the
/// signals it produced and its clocks. Kept after the run ends so its results
/// stay queryable until the next start. Owned and touched by the host actor only.
final class ReplayRun {
    let id: Int
    let options: StartOptions
    let series: [MarketSeries]
    let interval: Timeframe
    let session: any ReplaySession
    let parameterVersion: Int64
    let startedAt: Date
    let wallStart: ContinuousClock.Instant
    let marketStart: Int64
    let candlesTotal: Int
    let symbols: [String]

    /// Next candle index per symbol.
    var cursor: [Int]
    var candlesProcessed = 0
    var signals: [SignalRecord] = []
    var ordersSeen = 0
    var fillsSeen = 0
    var dayStartEquity: Money
    var nextMidnight: Int64 = .min
    var lastStatusPublish: ContinuousClock.Instant
    /// When the run stopped consuming candles (finished, stopped or failed).
    var endedAt: ContinuousClock.Instant?
    var loop: Task<Void, Never>?

    init(id: Int, options: StartOptions, data: ReplayData, session: any ReplaySession, parameterVersion: Int64) {
        self.id = id
        self.options = options
        self.series = data.series
        self.interval = data.interval
        self.session = session
        self.parameterVersion = parameterVersion
        self.startedAt = Date()
        self.wallStart = .now
        self.lastStatusPublish = .now
        self.marketStart = data.series.map { $0.candles.first?.openTime ?? .max }.min() ?? 0
        self.candlesTotal = data.series.reduce(0) { $0 + $1.candles.count }
        self.symbols = data.series.map(\.instrument.symbol)
        self.cursor = Array(repeating: 0, count: data.series.count)
        self.dayStartEquity = session.configuration.initialCash
    }

    /// The symbol whose next candle comes first (ties in symbol order), or nil at the end.
    func nextSymbol() -> Int? {
        var next: Int?
        var nextTime = Int64.max
        for k in 0..<series.count where cursor[k] < series[k].candles.count {
            let t = series[k].candles[cursor[k]].openTime
            if t < nextTime { nextTime = t; next = k }
        }
        return next
    }

    func symbolIndex(_ symbol: String) -> Int? { symbols.firstIndex(of: symbol) }

    /// Model name of an order: the operator's own orders are marked as such.
    func model(of order: Order) -> String {
        order.reason.hasPrefix("operator: ") ? "operator" : session.modelName
    }
}
