import Foundation
import TradeCore
import TradeEngine
import TradeRuntime
import TradeVenues

/// Everything the host keeps about the current run besides its journaled
/// state: its data, its options, the wall clocks that pace it, and how much of
/// it has been published. Kept after the run ends so its results stay
/// queryable until the next start. Owned and touched by the host actor only.
final class ReplayRun {
    let hosted: any HostedRun
    let options: StartOptions
    let series: [MarketSeries]
    let interval: Timeframe
    /// When this process took the run up (a start, or a resume after a restart).
    let startedAt: Date
    let wallStart: ContinuousClock.Instant
    /// Market time paced from: the run's next candle when this process took it up.
    let marketStart: Int64
    let symbols: [String]
    /// A paper run's feed and the buffer between it and the engine; nil for replays.
    let live: LiveFeedPlan?
    var feedTask: Task<Void, Never>?
    /// Entries are frozen because the feed went stale (a journaled pause the host lifts itself).
    var frozenByStale = false
    /// How the run's message starts while frozen by a stale feed.
    static let staleFreezePrefix = "paused: stale feed"

    var lastStatusPublish: ContinuousClock.Instant
    /// When the run stopped consuming candles (finished, stopped or failed).
    var endedAt: ContinuousClock.Instant?
    var loop: Task<Void, Never>?
    /// Set when the run could not go on in this process (its database refused a
    /// commit): the engine is FAILED until a restart resumes it from what was stored.
    var failure: String?
    /// Signals, fills and orders already published (or counted).
    var signalsSeen = 0
    var fillsSeen = 0
    var ordersSeen = 0
    /// Journal commits already counted into the metrics.
    var commitsSeen = 0
    /// When this process last processed a candle of the run (the feed's freshness).
    var lastCandleAt: ContinuousClock.Instant?
    /// What has been alerted on already.
    var alerts: AlertWatermarks
    /// Stream-to-journal latency of a run on a live feed.
    var latency = FeedLatency()
    /// A live run must be reconciled with its venue before it trades on (see `EngineHost+Venue`).
    var needsReconcile = false
    var reconcileReason = "start"
    var lastReconcileAttempt: ContinuousClock.Instant?
    /// The last reconciliation, in words, for status.
    var reconciliation = ""
    /// Entries are frozen until a reconciliation succeeds (a journaled pause the host lifts itself).
    var frozenByReconcile = false
    var lastPoll: ContinuousClock.Instant
    /// The feed's reconnects already reconciled after.
    var reconnectsSeen = 0
    /// A conversation with the venue is under way.
    var venueBusy = false

    init(hosted: any HostedRun, options: StartOptions, data: ReplayData, clock: any HostClock) {
        self.hosted = hosted
        self.options = options
        self.series = data.series
        self.interval = data.interval
        self.startedAt = clock.date
        self.wallStart = clock.now
        self.lastStatusPublish = clock.now
        self.lastPoll = clock.now
        self.marketStart = hosted.nextCandleTime ?? data.firstTime
        self.symbols = data.instruments.map(\.symbol)
        self.live = data.live
        // A paper run stopped while frozen by a stale feed comes back frozen by it, so the
        // host lifts the freeze when candles come again (an operator's pause it leaves alone).
        self.frozenByStale = data.live != nil && hosted.state == .paused && hosted.message.hasPrefix(Self.staleFreezePrefix)
        // What was published before a restart is history; watchers see what happens from now on.
        self.signalsSeen = hosted.signals(after: .max).count
        self.fillsSeen = hosted.fills.endIndex
        self.ordersSeen = hosted.orders.endIndex
        self.commitsSeen = hosted.commitTiming.count
        self.alerts = AlertWatermarks(hosted.records)
        if !hosted.state.isActive { endedAt = clock.now }
    }

    var id: Int64 { hosted.runID }

    /// Stops the feed (the run ended or was stopped).
    func stopFeed() {
        feedTask?.cancel()
        feedTask = nil
    }

    func symbolIndex(_ symbol: String) -> Int? { symbols.firstIndex(of: symbol) }

    /// Equity at the last UTC midnight of the engine clock (the day's opening equity).
    func dayStartEquity() -> Double {
        let initial = hosted.configuration.initialCash.doubleValue
        let now = hosted.engineTime
        guard now != .min else { return initial }
        let midnight = now / PerformanceMetrics.dayMs * PerformanceMetrics.dayMs
        return hosted.equityCurve.equity(before: midnight) ?? initial
    }
}
