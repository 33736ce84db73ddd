import Foundation
import TradeCore

/// The readable summary a backtest prints: the strategy beside buy-and-hold.
public enum BacktestSummary {
    public static func render(_ r: BacktestReport) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line("backtest  \(r.strategy)   fill \(r.costs.fill)   fees \(fmt(r.costs.makerFeeBps))/\(fmt(r.costs.takerFeeBps)) bps maker/taker   slippage \(fmt(r.costs.slippageBps)) bps + \(fmt(r.costs.volatilitySlippage))×range")
        for d in r.data {
            var gaps = "no gaps"
            if d.gapCount > 0 {
                gaps = "\(d.gapCount) gaps, \(d.missingCandles) missing, largest \(d.largestGapMissing)"
                if let s = d.largestGapStart { gaps += " at \(isoTime(s))" }
            }
            line("  \(d.symbol) \(d.interval)  \(d.rows) candles  \(isoTime(d.firstOpenTime)) → \(isoTime(d.lastOpenTime))  \(gaps), \(d.zeroVolumeCandles) zero-volume  (\(d.file))")
        }
        line()
        let m = r.metrics, h = r.buyAndHold
        let rows: [(String, String, String)] = [
            ("final equity", Money(r.finalEquity)?.formatted(digits: 2) ?? r.finalEquity, fmt(h.finalEquity, 2)),
            ("total return", pct(m.totalReturn), pct(h.totalReturn)),
            ("CAGR", pct(m.cagr), pct(h.cagr)),
            ("Sharpe (daily, √365)", opt(m.sharpe), opt(h.sharpe)),
            ("Sortino", opt(m.sortino), opt(h.sortino)),
            ("Calmar", opt(m.calmar), opt(h.calmar)),
            ("max drawdown", pct(m.maxDrawdown), pct(h.maxDrawdown)),
            ("drawdown duration", "\(fmt(m.maxDrawdownDurationDays, 2)) d", "\(fmt(h.maxDrawdownDurationDays, 2)) d"),
            ("exposure", pct(m.exposure), pct(h.exposure)),
            ("round trips", "\(m.tradeCount)", "-"),
            ("win rate", m.winRate.map(pct) ?? "-", "-"),
            ("profit factor", opt(m.profitFactor), "-"),
            ("expectancy / trade", opt(m.expectancy), "-"),
            ("average win / loss", "\(opt(m.averageWin)) / \(opt(m.averageLoss))", "-"),
            ("fees paid", fmt(m.feesPaid, 2), "0.00"),
        ]
        let w0 = rows.map(\.0.count).max() ?? 0
        let w1 = max(rows.map(\.1.count).max() ?? 0, "strategy".count)
        line("  " + pad("", w0) + "  " + padLeft("strategy", w1) + "  " + "buy & hold")
        for (name, a, b) in rows { line("  " + pad(name, w0) + "  " + padLeft(a, w1) + "  " + b) }
        line()
        line("  fills \(r.fills), rejected orders \(r.ordersRejected), open positions \(r.openPositions.count) (marked at last close, no exit fee)")
        for p in r.openPositions { line("    \(p.symbol) \(p.quantity) @ \(fmt(p.averageEntryPrice, 2)), mark \(p.mark), unrealized \(p.unrealizedPnL)") }
        if let models = r.models { out += renderModels(models) }
        if let mc = r.monteCarlo { out += renderMonteCarlo(mc) }
        line("  load \(fmt(r.timing.loadSeconds, 3)) s   run \(fmt(r.timing.runSeconds, 3)) s   \(r.timing.candles) candles   \(fmt(r.timing.candlesPerSecond / 1e6, 2))M candles/s")
        return out
    }

    static func renderMonteCarlo(_ m: MonteCarloReport) -> String {
        var out = "\n  Monte Carlo: \(m.paths) paths, seed \(m.seed), \(m.trades) trades, \(m.days) days (blocks of \(m.blockDays)); kill switch at a \(fmt(m.killSwitchLoss, 2)) loss\n"
        out += "    method            final equity p5 / p50 / p95         max drawdown p5 / p50 / p95   longest DD p50   P(kill switch)\n"
        for o in m.outcomes {
            let f = o.finalEquity, d = o.maxDrawdown
            out += "    " + o.method.padding(toLength: 16, withPad: " ", startingAt: 0)
                + "  \(fmt(f.p5, 2)) / \(fmt(f.p50, 2)) / \(fmt(f.p95, 2))".padding(toLength: 36, withPad: " ", startingAt: 0)
                + "  \(fmt(d.p5 * 100, 2))% / \(fmt(d.p50 * 100, 2))% / \(fmt(d.p95 * 100, 2))%".padding(toLength: 30, withPad: " ", startingAt: 0)
                + "  \(fmt(o.longestDrawdown.p50, 0)) \(o.method == "block_bootstrap" ? "days" : "trades")".padding(toLength: 17, withPad: " ", startingAt: 0)
                + "\(fmt(o.killSwitchProbability * 100, 1))%\n"
        }
        return out
    }

    static func renderModels(_ r: ModelsReport) -> String {
        var out = ""
        func line(_ s: String = "") { out += s + "\n" }
        line()
        line("  models              trades   win %       net PnL      fees   exp(30)  signals a/r/v    breaker")
        for m in r.models where m.enabled {
            let exp30 = m.expectancy.first.map { $0.sampleSize > 0 ? fmt($0.expectancy, 2) : "-" } ?? "-"
            let signals = "\(m.signals.accepted)/\(m.signals.resized)/\(m.signals.vetoed)"
            line("  " + pad(m.model, 18) + padLeft("\(m.trades)", 8) + padLeft(m.winRate.map(pct) ?? "-", 8)
                 + padLeft(Money(m.netPnL)?.formatted(digits: 2) ?? m.netPnL, 14) + padLeft(Money(m.fees)?.formatted(digits: 2) ?? m.fees, 10)
                 + padLeft(exp30, 10) + "  " + pad(signals, 15) + "  " + m.breakerState)
        }
        line()
        line("  exits by reason (count, net PnL)")
        for m in r.models where m.enabled && !m.exitsByReason.isEmpty {
            line("    " + pad(m.model, 12) + m.exitsByReason.map { "\($0.reason) \($0.count) (\(fmt($0.netPnL, 2)))" }.joined(separator: ", "))
        }
        line()
        line("  realized PnL per UTC day (days with a closed trade)")
        let enabled = r.models.filter(\.enabled)
        var days = Set<String>()
        for m in enabled { for d in m.dailyRealized { days.insert(d.day) } }
        line("    " + pad("day", 12) + enabled.map { padLeft($0.model, 14) }.joined())
        for day in days.sorted() {
            let cells = enabled.map { m in padLeft(m.dailyRealized.first { $0.day == day }.map { fmt($0.realizedPnL, 2) } ?? "", 14) }
            line("    " + pad(day, 12) + cells.joined())
        }
        line()
        line("  resolver: \(r.signals) signals")
        for row in r.resolver { line("    " + pad(row.model, 12) + pad(row.decision, 9) + pad(row.rule, 26) + padLeft("\(row.count)", 8)) }
        line()
        line("  circuit breakers: \(r.breakerTransitions.count) transitions")
        for t in r.breakerTransitions.prefix(40) {
            line("    \(t.timeUTC)  " + pad(t.model, 12) + "\(t.from) → \(t.to)  (\(t.trigger), severity \(t.severity))")
        }
        if r.breakerTransitions.count > 40 { line("    … \(r.breakerTransitions.count - 40) more in the JSON report") }
        for a in r.edgeDecayAlerts.prefix(20) {
            line("  edge decay \(a.raised ? "ALERT" : "cleared") \(isoTime(a.time)) \(a.model): 30-day Sharpe \(fmt(a.sharpe, 2))")
        }
        let v = r.peakRisk
        if v.observations > 0 {
            line("  peak VaR of the book (1 day, % of equity): parametric 95/99 \(pct(v.parametricVaR95))/\(pct(v.parametricVaR99)), historical 95/99 \(pct(v.historicalVaR95))/\(pct(v.historicalVaR99)); CVaR 99 parametric \(pct(v.parametricCVaR99)), historical \(pct(v.historicalCVaR99))")
        }
        for k in r.killSwitch {
            line("  KILL SWITCH tripped \(k.timeUTC): equity \(fmt(k.equity, 2)), loss \(fmt(k.loss, 2)); \(k.positionsFlattened) positions flattened; entries halted")
        }
        line()
        return out
    }

    public static func isoTime(_ ms: Int64) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withFullDate, .withTime, .withColonSeparatorInTime, .withDashSeparatorInDate]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: Date(timeIntervalSince1970: Double(ms) / 1000)).replacingOccurrences(of: "T", with: " ")
    }

    static func fmt(_ v: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", v) }
    static func pct(_ v: Double) -> String { String(format: "%.2f%%", v * 100) }
    static func opt(_ v: Double?) -> String { v.map { fmt($0, 2) } ?? "-" }
    static func pad(_ s: String, _ w: Int) -> String { s + String(repeating: " ", count: max(0, w - s.count)) }
    static func padLeft(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
}
