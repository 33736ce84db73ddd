import Foundation
import TradeAPI

/// What `tradectl top` shows, kept from the streams and polls, and drawn as
/// lines: the engine and its account, the models with their breakers,
/// budgets, positions, the latest signals and the health score's parts.
struct Dashboard {
    var server = ""
    var status: Tradeengine_V1_EngineStatus?
    var risk: Tradeengine_V1_RiskReport?
    var positions: [Tradeengine_V1_Position] = []
    var signals: [Tradeengine_V1_Signal] = []
    var connection = "connecting"
    var updated: Date?
    static let signalsKept = 8

    mutating func add(_ s: Tradeengine_V1_Signal) {
        signals.append(s)
        if signals.count > Self.signalsKept { signals.removeFirst(signals.count - Self.signalsKept) }
    }

    func lines() -> [String] {
        var out: [String] = []
        guard let s = status else {
            return ["tradeengine top — \(server)   (q to quit)", "", connection]
        }
        let health = s.hasHealth ? "health \(Format.number(s.health.score, 1))/100" : ""
        out.append("tradeengine top — \(server)   \(Format.state(s.state).uppercased())   \(health)   (q to quit)")
        out.append("clock \(Format.time(s.hasEngineTime ? s.engineTime : nil))   candles \(s.candlesProcessed)/\(s.candlesTotal)"
                   + "   parameters v\(s.parameterVersion)   symbols \(s.symbols.joined(separator: ","))")
        out.append("equity \(Format.decimal(s.equity))   pnl today \(Format.decimal(s.pnlToday))   pnl total \(Format.decimal(s.pnlTotal))"
                   + "   fees \(Format.decimal(s.feesPaid))   open positions \(s.openPositions)   kill switch \(s.killSwitch == .open ? "OPEN" : "closed")")
        if !s.message.isEmpty { out.append("message: \(s.message)") }
        out.append("")
        var models = Table("MODEL", "STATE", "BREAKER", "SIGNALS", "TRADES")
        for m in s.models { models.add(m.name, m.enabled ? "enabled" : "idle", m.breaker.isEmpty ? "-" : m.breaker, "\(m.signals)", "\(m.trades)") }
        out += section("MODELS", models)
        if let r = risk {
            var budgets = Table("BUDGET", "LIMIT", "USED", "LEFT")
            for b in r.budgets { budgets.add(b.name, Format.decimal(b.limit), Format.decimal(b.used), Format.decimal(b.left)) }
            out += section("BUDGETS   (VaR 95% \(Format.percent(r.var95)), gross \(Format.decimal(r.grossExposure)))", budgets)
        }
        var p = Table("SYMBOL", "QUANTITY", "AVG PRICE", "MARK", "UNREALIZED")
        for x in positions { p.add(x.symbol, Format.quantity(x.quantity), Format.decimal(x.averagePrice), Format.decimal(x.markPrice), Format.decimal(x.unrealizedPnl)) }
        out += section("POSITIONS", p)
        var sig = Table("TIME", "MODEL", "SYMBOL", "SIDE", "OUTCOME", "RULE")
        for x in signals.reversed() { sig.add(Format.time(x.time), x.model, x.symbol, Format.side(x.side), Format.name(x.outcome), x.rule.isEmpty ? "-" : x.rule) }
        out += section("LATEST SIGNALS", sig)
        if s.hasHealth {
            var h = Table("HEALTH PART", "POINTS", "REASON")
            for part in s.health.parts { h.add(part.name, "\(Format.number(part.weight * part.score, 1))/\(Format.number(part.weight, 0))", part.reason) }
            out += section("HEALTH", h)
        }
        let stamp = updated.map { ISO8601DateFormatter().string(from: $0) } ?? "-"
        out.append("\(connection) · updated \(stamp)")
        return out
    }

    private func section(_ title: String, _ table: Table) -> [String] {
        [title] + table.render().split(separator: "\n", omittingEmptySubsequences: false).dropLast().map { "  " + $0 } + [""]
    }
}
