import Foundation
import SwiftProtobuf
import TradeAPI
import TradeCore
import TradeVenues

/// Domain → wire for the engine's status and context. Money and prices go out
/// as exact decimal strings (the scales are stated in common.proto).
enum StatusMapping {
    static func status(_ s: EngineStatusSnapshot) -> Tradeengine_V1_EngineStatus {
        var m = Tradeengine_V1_EngineStatus()
        m.state = state(s.state)
        if let mode = s.mode { m.mode = EnumMapping.mode(mode) }
        if let speed = s.speed { m.speed = EnumMapping.speed(speed) }
        if let t = s.engineTime { m.engineTime = Timestamps.from(ms: t) }
        if let started = s.startedAt { m.startedAt = Google_Protobuf_Timestamp(date: started) }
        m.uptimeSeconds = s.uptimeSeconds
        m.equity = s.equity.wire
        m.cash = s.cash.wire
        m.pnlToday = s.pnlToday.wire
        m.pnlTotal = s.pnlTotal.wire
        m.realizedPnl = s.realizedPnL.wire
        m.feesPaid = s.feesPaid.wire
        m.openPositions = Int32(s.openPositions)
        m.killSwitch = s.killSwitchTripped ? .open : .closed
        m.models = s.models.map(model)
        m.candlesProcessed = s.candlesProcessed
        m.candlesTotal = s.candlesTotal
        m.parameterVersion = s.parameterVersion
        m.message = s.message
        m.context = context(s.context)
        m.symbols = s.symbols
        m.health = health(s.health)
        if let feed = s.feed { m.feed = Self.feed(feed) }
        m.live = s.live
        m.reconciliation = s.reconciliation
        m.execution = s.execution.map { row in
            var e = Tradeengine_V1_ExecutionQuality()
            let f = row.figures
            e.model = row.key.model
            e.venue = row.key.venue
            e.ordersSent = Int64(f.ordersSent)
            e.acknowledged = Int64(f.acknowledged)
            e.cancelled = Int64(f.cancelled)
            e.rejected = Int64(f.rejected)
            e.fillRatio = f.fillRatio
            e.cancelRate = f.cancelRate
            e.slippageBpsP50 = f.slippageP50 ?? .nan
            e.slippageBpsP99 = f.slippageP99 ?? .nan
            e.ackMsP50 = f.acknowledgementP50 ?? .nan
            e.ackMsP99 = f.acknowledgementP99 ?? .nan
            return e
        }
        return m
    }

    static func feed(_ f: FeedStatus, now: Date = Date()) -> Tradeengine_V1_FeedStatus {
        var m = Tradeengine_V1_FeedStatus()
        m.venue = f.venue
        m.connected = f.connected
        if let t = f.lastCandleOpenTime { m.lastCandle = Timestamps.from(ms: t) }
        if let arrived = f.lastCandleArrivedAt {
            m.lagSeconds = max(0, now.timeIntervalSince1970 - Double(arrived) / 1000)
        }
        m.stale = f.stale
        m.reconnects = Int64(f.reconnects)
        m.backfilledCandles = Int64(f.backfilledCandles)
        m.clockOffsetMs = f.clockOffsetMilliseconds
        m.breaker = breaker(f.worstBreaker)
        m.message = f.message
        return m
    }

    static func breaker(_ state: EndpointBreaker.State) -> Tradeengine_V1_BreakerState {
        switch state {
        case .closed: return .closed
        case .open: return .open
        case .halfOpen: return .halfOpen
        }
    }

    static func venue(_ v: VenueConnectionRecord) -> Tradeengine_V1_VenueConnection {
        var m = Tradeengine_V1_VenueConnection()
        m.venue = v.feed.venue
        m.endpoint = v.feed.endpoint
        m.symbols = v.symbols
        m.feed = feed(v.feed)
        m.breakers = v.feed.breakers.map { b in
            var x = Tradeengine_V1_EndpointBreaker()
            x.endpoint = b.endpoint
            x.state = breaker(b.state)
            x.consecutiveFailures = Int32(b.consecutiveFailures)
            x.lastError = b.lastError
            if let opened = b.openedAt { x.openedAt = Timestamps.from(ms: opened) }
            return x
        }
        return m
    }

    static func health(_ h: HealthScore) -> Tradeengine_V1_HealthScore {
        var m = Tradeengine_V1_HealthScore()
        m.score = h.score
        m.parts = h.parts.map { p in
            var x = Tradeengine_V1_HealthPart()
            x.name = p.name
            x.weight = p.weight
            x.score = p.score
            x.reason = p.reason
            return x
        }
        return m
    }

    static func model(_ r: ModelStateRecord) -> Tradeengine_V1_ModelState {
        var m = Tradeengine_V1_ModelState()
        m.name = r.name
        m.enabled = r.enabled
        m.timeframes = r.timeframes
        m.signals = r.signals
        m.trades = r.trades
        m.breaker = r.breaker
        m.strategy = r.strategy
        return m
    }

    static func context(_ c: OperatorContext) -> Tradeengine_V1_MarketContext {
        var m = Tradeengine_V1_MarketContext()
        m.bias = EnumMapping.bias(c.bias)
        m.note = c.note
        if let e = c.expiresAt { m.expiresAt = Google_Protobuf_Timestamp(date: e) }
        if let s = c.setAt { m.setAt = Google_Protobuf_Timestamp(date: s) }
        m.setBy = c.setBy
        return m
    }

    static func state(_ s: EngineLifecycle) -> Tradeengine_V1_EngineState {
        switch s {
        case .idle: return .idle
        case .running: return .running
        case .paused: return .paused
        case .halted: return .halted
        case .finished: return .finished
        case .failed: return .failed
        }
    }
}

/// Unix milliseconds ⇄ google.protobuf.Timestamp.
enum Timestamps {
    static func from(ms: Int64) -> Google_Protobuf_Timestamp {
        var seconds = ms / 1000
        var millis = ms % 1000
        if millis < 0 { seconds -= 1; millis += 1000 }
        return Google_Protobuf_Timestamp(seconds: seconds, nanos: Int32(millis) * 1_000_000)
    }

    static func ms(_ t: Google_Protobuf_Timestamp) -> Int64 {
        t.seconds * 1000 + Int64(t.nanos / 1_000_000)
    }
}
