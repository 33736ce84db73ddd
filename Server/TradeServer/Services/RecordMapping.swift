import Foundation
import SwiftProtobuf
import TradeAPI
import TradeCore

/// Domain records → wire messages for everything the queries and streams return.
enum RecordMapping {
    static func position(_ p: PositionRecord) -> Tradeengine_V1_Position {
        var m = Tradeengine_V1_Position()
        m.symbol = p.symbol
        m.quantity = p.quantity.description
        m.averagePrice = p.averagePrice.description
        m.markPrice = p.markPrice.description
        m.notional = p.notional.wire
        m.unrealizedPnl = p.unrealizedPnL.wire
        return m
    }

    static func order(_ r: OrderRecord) -> Tradeengine_V1_Order {
        var m = Tradeengine_V1_Order()
        let o = r.order
        m.id = o.id
        m.clientOrderID = o.clientOrderID
        m.symbol = r.symbol
        m.side = EnumMapping.side(o.side)
        m.type = EnumMapping.orderType(o.type)
        m.quantity = o.quantity.description
        m.filledQuantity = o.filledQuantity.description
        switch o.type {
        case .limit(let p), .stop(let p): m.limitPrice = p.description
        case .market: break
        }
        m.status = EnumMapping.orderStatus(o.status)
        m.model = r.model
        m.reason = o.reason
        m.statusMessage = o.statusMessage
        m.submittedAt = Timestamps.from(ms: o.submittedAt)
        return m
    }

    static func trade(_ r: TradeRecord) -> Tradeengine_V1_Trade {
        var m = Tradeengine_V1_Trade()
        m.orderID = r.fill.orderID
        m.symbol = r.symbol
        m.side = EnumMapping.side(r.fill.side)
        m.price = r.fill.price.description
        m.quantity = r.fill.quantity.description
        m.fee = r.fill.fee.wire
        m.liquidity = r.fill.liquidity == .maker ? .maker : .taker
        m.model = r.model
        m.reason = r.reason
        m.time = Timestamps.from(ms: r.fill.time)
        m.sequence = r.sequence
        return m
    }

    static func signal(_ r: SignalRecord) -> Tradeengine_V1_Signal {
        var m = Tradeengine_V1_Signal()
        m.id = r.id
        m.model = r.model
        m.symbol = r.symbol
        m.side = EnumMapping.side(r.side)
        m.quantity = r.quantity.description
        m.outcome = EnumMapping.outcome(r.outcome)
        m.reasons = r.reasons
        m.time = Timestamps.from(ms: r.time)
        m.orderID = r.orderID
        m.rule = r.rule
        m.confidence = r.confidence
        return m
    }

    static func performance(_ r: ModelPerformanceRecord) -> Tradeengine_V1_ModelPerformance {
        var m = Tradeengine_V1_ModelPerformance()
        m.model = r.model
        m.trades = Int64(r.roundTrips)
        m.winRate = r.winRate
        m.realizedPnl = r.realizedPnL.wire
        m.fees = r.fees.wire
        m.profitFactor = r.profitFactor.isFinite ? r.profitFactor : 0
        m.expectancy = r.expectancy
        m.maxDrawdown = r.maxDrawdown
        m.sharpe = r.sharpe
        return m
    }

    static func risk(_ r: RiskSnapshot) -> Tradeengine_V1_RiskReport {
        var m = Tradeengine_V1_RiskReport()
        m.equity = r.equity.wire
        m.grossExposure = r.grossExposure.wire
        m.netExposure = r.netExposure.wire
        m.leverage = r.leverage
        m.var95 = r.var95
        m.cvar95 = r.cvar95
        m.budgets = r.budgets.map { b in
            var x = Tradeengine_V1_RiskBudget()
            x.name = b.name
            x.limit = b.limit.wire
            x.used = b.used.wire
            x.left = b.left.wire
            return x
        }
        m.cooldowns = r.cooldowns.map { c in
            var x = Tradeengine_V1_Cooldown()
            x.symbol = c.symbol
            x.model = c.model
            x.reason = c.reason
            x.until = Timestamps.from(ms: c.until)
            return x
        }
        m.killSwitch = r.killSwitchTripped ? .open : .closed
        return m
    }

    static func parameterSet(_ r: ParameterSetRecord) -> Tradeengine_V1_ParameterSet {
        var m = Tradeengine_V1_ParameterSet()
        m.version = r.version
        m.parameters = r.parameters.map(parameter)
        m.createdAt = Google_Protobuf_Timestamp(date: r.createdAt)
        m.createdBy = r.createdBy
        m.comment = r.comment
        m.restoredFrom = r.restoredFrom
        m.forced = r.forced
        m.changes = r.changes.map { c in
            var x = Tradeengine_V1_ParameterChange()
            x.model = c.model
            x.name = c.name
            x.from = c.from ?? .nan
            x.to = c.to ?? .nan
            return x
        }
        return m
    }

    static func parameter(_ p: ParameterValue) -> Tradeengine_V1_Parameter {
        var m = Tradeengine_V1_Parameter()
        m.model = p.model
        m.name = p.name
        switch p.value {
        case .number(let x): m.number = x
        case .integer(let i): m.integer = i
        case .flag(let b): m.flag = b
        }
        return m
    }

    static func run(_ r: RunSummary) -> Tradeengine_V1_Run {
        var m = Tradeengine_V1_Run()
        m.id = r.id
        m.state = r.state
        m.message = r.message
        m.startedAt = Google_Protobuf_Timestamp(date: r.startedAt)
        if let ended = r.endedAt { m.endedAt = Timestamps.from(ms: ended) }
        m.strategy = r.strategy
        m.symbols = r.symbols
        m.settings = r.settings
        return m
    }

    static func breakerTransition(_ r: BreakerTransitionRecord) -> Tradeengine_V1_BreakerTransition {
        var m = Tradeengine_V1_BreakerTransition()
        m.time = Timestamps.from(ms: r.time)
        m.model = r.model
        m.symbol = r.symbol
        m.breaker = r.breaker
        m.from = r.from
        m.to = r.to
        m.reason = r.reason
        return m
    }

    static func candle(_ r: CandleRecord) -> Tradeengine_V1_Candle {
        var m = Tradeengine_V1_Candle()
        m.symbol = r.symbol
        m.openTime = Timestamps.from(ms: r.candle.openTime)
        m.open = r.candle.open
        m.high = r.candle.high
        m.low = r.candle.low
        m.close = r.candle.close
        m.volume = r.candle.volume
        return m
    }

    static func log(_ r: LogRecord) -> Tradeengine_V1_LogLine {
        var m = Tradeengine_V1_LogLine()
        m.time = Google_Protobuf_Timestamp(date: r.time)
        m.level = EnumMapping.level(r.level)
        m.component = r.component
        m.message = r.message
        m.fields = r.fields
        return m
    }

    static func audit(_ r: AuditRecord) -> Tradeengine_V1_AuditEntry {
        var m = Tradeengine_V1_AuditEntry()
        m.id = r.id
        m.time = Google_Protobuf_Timestamp(date: r.time)
        m.caller = r.caller
        if let role = r.role { m.role = EnumMapping.role(role) }
        m.method = r.method
        m.requestSummary = r.requestSummary
        m.outcome = r.outcome.wire
        m.statusCode = r.statusCode
        m.message = r.message
        return m
    }

    static func pageInfo<T>(_ page: RecordPage<T>) -> Tradeengine_V1_PageInfo {
        var m = Tradeengine_V1_PageInfo()
        m.nextPageToken = page.nextOffset.map { PageToken.encode($0, cursor: page.nextCursor) } ?? ""
        m.totalCount = Int64(page.total)
        return m
    }
}
