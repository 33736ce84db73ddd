import TradeAPI

/// Tables and field blocks for each kind of result.
enum Render {
    static func status(_ s: Tradeengine_V1_EngineStatus) -> String {
        var f = Fields()
        // Unmistakable: the first line of a live run's status says real money is at stake.
        if s.live || s.mode == .live { f.add("LIVE", "*** LIVE TRADING: real orders on the venue account ***") }
        f.add("state", Format.state(s.state))
        if s.mode != .unspecified { f.add("mode", modeName(s.mode)) }
        if s.speed != .unspecified { f.add("speed", s.speed == .realtime ? "1x" : s.speed == .x60 ? "60x" : "max") }
        if !s.symbols.isEmpty { f.add("symbols", s.symbols.joined(separator: ", ")) }
        f.add("engine clock", Format.time(s.hasEngineTime ? s.engineTime : nil))
        f.add("uptime", Format.number(s.uptimeSeconds, 1) + " s")
        if s.candlesTotal > 0 {
            f.add("candles", "\(s.candlesProcessed) / \(s.candlesTotal)")
        }
        f.add("equity", Format.decimal(s.equity))
        f.add("cash", Format.decimal(s.cash))
        f.add("pnl today", Format.decimal(s.pnlToday))
        f.add("pnl total", Format.decimal(s.pnlTotal))
        f.add("realized pnl", Format.decimal(s.realizedPnl))
        f.add("fees paid", Format.decimal(s.feesPaid))
        f.add("open positions", "\(s.openPositions)")
        f.add("kill switch", s.killSwitch == .open ? "OPEN (entries blocked until resume)" : "closed")
        f.add("parameters", "v\(s.parameterVersion)")
        if s.context.bias != .neutral && s.context.bias != .unspecified {
            f.add("context", "\(Format.name(s.context.bias))\(s.context.note.isEmpty ? "" : " — \(s.context.note)")")
        }
        for m in s.models {
            f.add("model \(m.name)", "\(m.enabled ? "enabled" : "idle"), \(m.timeframes.joined(separator: "/")), \(m.signals) signals, \(m.trades) fills")
        }
        if s.hasFeed {
            let feed = s.feed
            f.add("feed", feedLine(feed))
            f.add("last candle", Format.time(feed.hasLastCandle ? feed.lastCandle : nil) + (feed.hasLastCandle ? ", \(Format.number(feed.lagSeconds, 1)) s ago" : ""))
            if !feed.message.isEmpty { f.add("feed message", feed.message) }
        }
        if !s.reconciliation.isEmpty { f.add("reconciled", s.reconciliation) }
        for e in s.execution {
            f.add("execution \(e.model)@\(e.venue)", executionLine(e))
        }
        if !s.message.isEmpty { f.add("message", s.message) }
        if s.hasHealth {
            f.add("health", Format.number(s.health.score, 1) + " / 100")
            for p in s.health.parts where p.score < 1 {
                f.add("  \(p.name)", "\(Format.number(p.weight * p.score, 1)) of \(Format.number(p.weight, 0)): \(p.reason)")
            }
        }
        return f.render()
    }

    static func modeName(_ m: Tradeengine_V1_EngineMode) -> String {
        switch m {
        case .replay: return "replay"
        case .paper: return "paper (live candles, paper fills)"
        case .paperOnReplay: return "paper-on-replay"
        case .live: return "LIVE (live candles, real orders)"
        default: return "unknown"
        }
    }

    /// Fill ratio, slippage and acknowledgement latency of one model's orders at one venue.
    static func executionLine(_ e: Tradeengine_V1_ExecutionQuality) -> String {
        func ms(_ v: Double) -> String { v.isNaN ? "-" : Format.number(v, 1) }
        return "\(e.ordersSent) sent, \(e.acknowledged) acked, \(e.rejected) refused, \(e.cancelled) cancelled; fill ratio \(Format.number(e.fillRatio * 100, 1)) %, "
            + "slippage p50 \(ms(e.slippageBpsP50)) / p99 \(ms(e.slippageBpsP99)) bps, ack p50 \(ms(e.ackMsP50)) / p99 \(ms(e.ackMsP99)) ms"
    }

    static func feedLine(_ feed: Tradeengine_V1_FeedStatus) -> String {
        var parts = [feed.venue, feed.connected ? "connected" : "DISCONNECTED"]
        if feed.stale { parts.append("STALE (entries frozen)") }
        parts.append("breaker \(Format.name(feed.breaker))")
        parts.append("\(feed.reconnects) reconnects, \(feed.backfilledCandles) backfilled, clock offset \(feed.clockOffsetMs) ms")
        return parts.joined(separator: ", ")
    }

    static func venues(_ list: [Tradeengine_V1_VenueConnection]) -> String {
        var t = Table("VENUE", "ENDPOINT", "SYMBOLS", "FEED", "BREAKER", "FAILURES", "LAST ERROR")
        for v in list {
            for b in v.breakers {
                t.add(v.venue, v.endpoint, v.symbols.joined(separator: ","), "\(b.endpoint): \(v.feed.connected ? "connected" : "disconnected")\(v.feed.stale ? ", stale" : "")",
                      Format.name(b.state), "\(b.consecutiveFailures)", b.lastError.isEmpty ? "-" : b.lastError)
            }
        }
        return t.render()
    }

    static func positions(_ list: [Tradeengine_V1_Position]) -> String {
        var t = Table("SYMBOL", "QUANTITY", "AVG PRICE", "MARK", "NOTIONAL", "UNREALIZED")
        for p in list {
            t.add(p.symbol, Format.quantity(p.quantity), Format.decimal(p.averagePrice), Format.decimal(p.markPrice),
                  Format.decimal(p.notional), Format.decimal(p.unrealizedPnl))
        }
        return t.render()
    }

    static func orders(_ list: [Tradeengine_V1_Order]) -> String {
        var t = Table("ID", "TIME", "SYMBOL", "SIDE", "TYPE", "QUANTITY", "FILLED", "STATUS", "MODEL", "REASON")
        for o in list {
            let reason = o.statusMessage.isEmpty ? o.reason : "\(o.reason): \(o.statusMessage)"
            t.add("\(o.id)", Format.time(o.submittedAt), o.symbol, Format.side(o.side), Format.name(o.type),
                  Format.quantity(o.quantity), Format.quantity(o.filledQuantity), Format.name(o.status), o.model, reason)
        }
        return t.render()
    }

    static func trades(_ list: [Tradeengine_V1_Trade]) -> String {
        var t = Table("#", "TIME", "SYMBOL", "SIDE", "PRICE", "QUANTITY", "FEE", "MODEL", "REASON")
        for x in list {
            t.add("\(x.sequence)", Format.time(x.time), x.symbol, Format.side(x.side), Format.decimal(x.price),
                  Format.quantity(x.quantity), Format.decimal(x.fee, digits: 4), x.model, x.reason)
        }
        return t.render()
    }

    static func signals(_ list: [Tradeengine_V1_Signal]) -> String {
        var t = Table("ID", "TIME", "MODEL", "SYMBOL", "SIDE", "QUANTITY", "OUTCOME", "RULE", "REASONS")
        for s in list {
            t.add("\(s.id)", Format.time(s.time), s.model, s.symbol, Format.side(s.side), Format.quantity(s.quantity),
                  Format.name(s.outcome), s.rule.isEmpty ? "-" : s.rule, s.reasons.joined(separator: "; "))
        }
        return t.render()
    }

    static func models(_ list: [Tradeengine_V1_ModelState]) -> String {
        var t = Table("MODEL", "STRATEGY", "STATE", "TIMEFRAMES", "SIGNALS", "TRADES", "BREAKER")
        for m in list {
            t.add(m.name, m.strategy, m.enabled ? "enabled" : "idle", m.timeframes.joined(separator: ","), "\(m.signals)", "\(m.trades)",
                  m.breaker.isEmpty ? "-" : m.breaker)
        }
        return t.render()
    }

    static func performance(_ list: [Tradeengine_V1_ModelPerformance]) -> String {
        var t = Table("MODEL", "ROUND TRIPS", "WIN RATE", "REALIZED", "FEES", "PROFIT FACTOR", "EXPECTANCY", "MAX DD", "SHARPE")
        for p in list {
            t.add(p.model, "\(p.trades)", Format.percent(p.winRate), Format.decimal(p.realizedPnl), Format.decimal(p.fees),
                  Format.number(p.profitFactor), Format.number(p.expectancy), Format.percent(p.maxDrawdown), Format.number(p.sharpe))
        }
        return t.render()
    }

    static func risk(_ r: Tradeengine_V1_RiskReport) -> String {
        var f = Fields()
        f.add("equity", Format.decimal(r.equity))
        f.add("gross exposure", Format.decimal(r.grossExposure))
        f.add("net exposure", Format.decimal(r.netExposure))
        f.add("leverage", Format.number(r.leverage, 3))
        f.add("VaR 95% (1 bar)", Format.percent(r.var95))
        f.add("CVaR 95% (1 bar)", Format.percent(r.cvar95))
        f.add("kill switch", r.killSwitch == .open ? "OPEN" : "closed")
        var out = f.render()
        var budgets = Table("BUDGET", "LIMIT", "USED", "LEFT")
        for b in r.budgets { budgets.add(b.name, Format.decimal(b.limit), Format.decimal(b.used), Format.decimal(b.left)) }
        out += "\n" + budgets.render()
        // Cooldowns only when there are any (an empty table would print a stray "(none)").
        if !r.cooldowns.isEmpty {
            var cooldowns = Table("COOLDOWN SYMBOL", "MODEL", "UNTIL", "REASON")
            for c in r.cooldowns { cooldowns.add(c.symbol, c.model, Format.time(c.until), c.reason) }
            out += "\n" + cooldowns.render()
        }
        return out
    }

    static func parameters(_ p: Tradeengine_V1_ParameterSet) -> String {
        var out = "version \(p.version) by \(p.createdBy) at \(Format.time(p.createdAt))"
            + (p.restoredFrom > 0 ? ", restored from v\(p.restoredFrom)" : "") + (p.comment.isEmpty ? "" : " — \(p.comment)") + "\n"
        if !p.changes.isEmpty {
            out += "changed\(p.forced ? " (forced past the step limit)" : ""): "
                + p.changes.map { "\($0.model).\($0.name) \($0.from.isNaN ? "absent" : "\($0.from)") → \($0.to.isNaN ? "absent" : "\($0.to)")" }.joined(separator: ", ") + "\n"
        }
        var t = Table("MODEL", "PARAMETER", "VALUE")
        for x in p.parameters { t.add(x.model, x.name, value(x)) }
        out += t.render()
        return out
    }

    static func parameterVersions(_ list: [Tradeengine_V1_ParameterSet]) -> String {
        var t = Table("VERSION", "CREATED", "BY", "RESTORED FROM", "CHANGES", "COMMENT")
        for p in list {
            t.add("\(p.version)", Format.time(p.createdAt), p.createdBy, p.restoredFrom > 0 ? "v\(p.restoredFrom)" : "-",
                  p.changes.isEmpty ? "-" : "\(p.changes.count)\(p.forced ? " forced" : "")", p.comment)
        }
        return t.render()
    }

    static func value(_ p: Tradeengine_V1_Parameter) -> String {
        switch p.value {
        case .number(let x)?: return "\(x)"
        case .integer(let i)?: return "\(i)"
        case .flag(let b)?: return "\(b)"
        case nil: return "-"
        }
    }

    static func runs(_ list: [Tradeengine_V1_Run]) -> String {
        var t = Table("RUN", "STATE", "STRATEGY", "SYMBOLS", "STARTED", "ENDED (ENGINE TIME)", "MESSAGE")
        for r in list {
            t.add("\(r.id)", r.state, r.strategy, r.symbols.joined(separator: ","), Format.time(r.startedAt),
                  r.hasEndedAt ? Format.time(r.endedAt) : "-", r.message)
        }
        return t.render()
    }

    static func breakers(_ list: [Tradeengine_V1_BreakerTransition]) -> String {
        var t = Table("TIME", "MODEL", "SYMBOL", "BREAKER", "FROM", "TO", "REASON")
        for b in list { t.add(Format.time(b.time), b.model, b.symbol.isEmpty ? "-" : b.symbol, b.breaker, b.from, b.to, b.reason) }
        return t.render()
    }

    static func audit(_ list: [Tradeengine_V1_AuditEntry]) -> String {
        var t = Table("ID", "TIME", "CALLER", "ROLE", "METHOD", "OUTCOME", "REQUEST", "MESSAGE")
        for e in list {
            t.add("\(e.id)", Format.time(e.time), e.caller, Format.name(e.role), e.method.split(separator: "/").last.map(String.init) ?? e.method,
                  Format.name(e.outcome), e.requestSummary, e.message)
        }
        return t.render()
    }

    static func candles(_ list: [Tradeengine_V1_Candle]) -> String {
        var t = Table("OPEN TIME", "SYMBOL", "OPEN", "HIGH", "LOW", "CLOSE", "VOLUME")
        for c in list {
            t.add(Format.time(c.openTime), c.symbol, "\(c.open)", "\(c.high)", "\(c.low)", "\(c.close)", "\(c.volume)")
        }
        return t.render()
    }

    static func log(_ l: Tradeengine_V1_LogLine) -> String {
        "\(Format.time(l.time)) \(Format.name(l.level)) [\(l.component)] \(l.message)"
    }

    static func signalLine(_ s: Tradeengine_V1_Signal) -> String {
        "\(Format.time(s.time)) signal #\(s.id) \(s.model) \(s.symbol) \(Format.side(s.side)) \(Format.quantity(s.quantity)) \(Format.name(s.outcome)): \(s.reasons.joined(separator: "; "))"
    }

    static func tradeLine(_ t: Tradeengine_V1_Trade) -> String {
        "\(Format.time(t.time)) fill #\(t.sequence) \(t.symbol) \(Format.side(t.side)) \(Format.quantity(t.quantity)) @ \(Format.decimal(t.price)) fee \(Format.decimal(t.fee, digits: 4)) (\(t.model): \(t.reason))"
    }

    static func statusLine(_ s: Tradeengine_V1_EngineStatus) -> String {
        "\(Format.time(s.hasEngineTime ? s.engineTime : nil)) status \(Format.state(s.state)) equity \(Format.decimal(s.equity)) pnl \(Format.decimal(s.pnlTotal)) positions \(s.openPositions) candles \(s.candlesProcessed)/\(s.candlesTotal)"
    }
}
