import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// The brain through the whole engine on real files: kill switch, stale data,
/// the signal log, configuration.
@Suite(.serialized) struct ModelsIntegrationTests {
    /// With the default 2,000 USDT kill switch, the summer window's real losses
    /// trip it (2025-06-12): every position is flattened on the next bars, no
    /// entry is sent afterwards, and every later signal is vetoed by it. In
    /// January the loss never reaches it.
    @Test func theKillSwitchFlattensAndHaltsOnARealLossAndStaysQuietOtherwise() throws {
        let (result, strategy) = try ModelsRun.run(try ModelsRun.series(ModelsRun.summer))
        #expect(strategy.killSwitchEvents.count == 1)
        let trip = try #require(strategy.killSwitchEvents.first)
        #expect(trip.loss >= 2_000 && trip.time > SharedData.utc(2025, 6, 1) && trip.time < SharedData.utc(2025, 7, 1))
        #expect(result.orders.filter { $0.submittedAt >= trip.time && $0.reason.hasPrefix("entry:") }.isEmpty)
        let flattening = result.orders.filter { $0.submittedAt == trip.time && $0.reason == "exit:kill_switch" }
        #expect(flattening.count == trip.positionsFlattened && trip.positionsFlattened >= 1)
        #expect(result.fills.filter { $0.time > trip.time + 60_000 }.isEmpty, "fills after the flattening")
        #expect(result.ledger.openPositionCount == 0)
        let later = strategy.log.records.filter { $0.signal.time >= trip.time }
        #expect(later.count > 100 && later.allSatisfy { $0.verdict.rule == .killSwitch && $0.decision == .vetoed })
        // The host reads all of this through the strategy protocol's records, not the concrete type.
        let records = try #require(strategy.records)
        #expect(records.killSwitchTripped && records.killSwitchEvents == strategy.killSwitchEvents
                && records.signalLog == strategy.log.records && records.closedTrades == strategy.trades)
        let standings = records.modelStates(at: records.recordsTime)
        #expect(standings.map(\.name) == ModelID.allCases.map(\.name) && standings.allSatisfy { $0.dailyLossLimit > 0 })
        #expect(result.orders.allSatisfy { $0.origin == .strategy }, "the kill switch is the strategy's own rule, not an operator's")
        // Operator resume re-arms it from the current equity.
        var resumed = strategy
        resumed.resumeAfterKillSwitch()
        #expect(!resumed.risk.killSwitch.isTripped && resumed.risk.killSwitch.reference == resumed.risk.equity)

        let (_, january) = try ModelsRun.run(try ModelsRun.series(ModelsRun.january))
        #expect(january.killSwitchEvents.isEmpty)
        #expect(!january.log.records.contains { $0.verdict.rule == .killSwitch })
    }

    /// A 20-minute hole cut into ETH's real feed freezes ETH entries for the 15
    /// bars after it — the model's signals there are vetoed as stale — and no
    /// other symbol, and no other time, is affected. A hole in the step's last
    /// symbol (SOL) is decided on the next bar without breaking any limit.
    @Test func aFeedHoleFreezesOnlyThatSymbolsEntries() throws {
        let resume: Int64 = 1_735_740_180_000 - 5 * 60_000          // 2025-01-01 13:58 UTC
        let hole = (resume - 20 * 60_000)..<resume
        let solHole = (SharedData.utc(2025, 1, 20, 3))..<(SharedData.utc(2025, 1, 20, 3) + 20 * 60_000)
        let data = try ModelsRun.series(ModelsRun.january) { k, c in
            (k == 1 && hole.contains(c.openTime)) || (k == 2 && solHole.contains(c.openTime))
        }
        #expect(data[1].candles.count == 50_180 - 20 && data[2].candles.count == 50_180 - 20)
        let (auditor, _, strategy) = try ModelsRun.audit(data)
        #expect(auditor.issues.isEmpty, "\(auditor.issues)")
        let stale = strategy.log.records.filter { $0.verdict.rule == .staleData }
        #expect(!stale.isEmpty)
        #expect(stale.filter { $0.signal.symbol == 1 }.allSatisfy { $0.signal.time >= resume && $0.signal.time < resume + 15 * 60_000 })
        #expect(stale.contains { $0.signal.symbol == 1 && $0.verdict.value == 20 && $0.verdict.limit == 3 })
        #expect(stale.allSatisfy { $0.signal.symbol == 1 || ($0.signal.symbol == 2 && $0.signal.time >= solHole.upperBound) })
        // Without the hole, the same ETH minutes were not stale.
        let (_, clean) = try ModelsRun.run(try ModelsRun.series(ModelsRun.january))
        #expect(!clean.log.records.contains { $0.verdict.rule == .staleData })
    }

    /// Every signal is kept with its outcome; the log answers queries.
    @Test func everySignalIsKeptAndQueryable() throws {
        let (_, s) = try ModelsRun.run(try ModelsRun.series(ModelsRun.january))
        let log = s.log
        #expect(log.count > 1_000)
        #expect(Set(log.records.map(\.decision)) == [.accepted, .resized, .vetoed])
        let eth = log.query(model: .aggressive, symbol: 1)
        #expect(!eth.isEmpty && eth.allSatisfy { $0.signal.model == .aggressive && $0.signal.symbol == 1 })
        let week = log.query(from: SharedData.utc(2025, 1, 20), to: SharedData.utc(2025, 1, 27))
        #expect(!week.isEmpty && week.count < log.count)
        #expect(log.query(decision: .resized).allSatisfy { $0.quantity < $0.requestedQuantity && $0.verdict.rule != .sized })
        #expect(log.table().map(\.1).reduce(0, +) == log.count)
        // The signal list has one row per signal with its outcome and reasons.
        let csv = ModelsFormat.signals(log, symbols: ["BTCUSDT", "ETHUSDT", "SOLUSDT"]).split(separator: "\n")
        #expect(csv.count == log.count + 1 && csv[0] == Substring(ModelsFormat.signalHeader))
        #expect(csv.dropFirst().allSatisfy { $0.contains("rsi=") && $0.contains("volume_ratio=") })
    }

    @Test func theModelsSectionOfTheConfigIsStrict() throws {
        let text = """
        { "models": { "enabled": ["aggressive", "big-picture"],
                      "aggressive": { "families": ["mean_reversion"], "entry_threshold": 0.5, "daily_loss_limit": 500,
                                      "regime_adjustments": { "range": 0.2 }, "momentum_burst": { "min_volume_ratio": 3 } },
                      "big_picture": { "max_trades_per_week": 3 },
                      "risk": { "kill_switch_loss": 5000, "var_limit": 0.08, "round_trip_cost": 0.003,
                                "regime_multipliers": { "chop": 0.5 } },
                      "exits": { "trailing_stages": [[1, 0.8], [2.5, 0.4]], "time_limit_minutes": { "trend": 300 } },
                      "resolver": { "max_open_positions": 4 }, "posture": { "veto": false },
                      "monitors": { "min_win_rate": 0.4, "halt_cooldown_minutes": 720 } } }
        """
        let s = try RunSettings.parse(Data(text.utf8), source: "c.json")
        let m = s.models
        #expect(m.enabledModels == [.aggressive, .bigPicture])
        #expect(m[.aggressive].families.families == [.meanReversion] && m[.aggressive].thresholds.base == 0.5)
        #expect(m[.aggressive].thresholds.range == 0.2 && m[.aggressive].thresholds.chop == 0.15)
        #expect(m[.aggressive].budget.dailyLossLimit == 500 && m[.aggressive].momentumBurst.minVolumeRatio == 3)
        #expect(m[.bigPicture].budget.maxTradesPerWeek == 3 && m[.balanced].budget.dailyLossLimit == 700)
        #expect(m.risk.killSwitchLoss == 5_000 && m.risk.varLimit == 0.08 && m.risk.sizing.chopMultiplier == 0.5)
        #expect(m.exits.trailingStages == [TrailingStage(triggerR: 1, trailR: 0.8), TrailingStage(triggerR: 2.5, trailR: 0.4)])
        #expect(m.exits.timeLimitTrendMinutes == 300 && m.resolver.maxOpenPositions == 4 && !m.resolver.postureVeto)
        #expect(m.degradation.minWinRate == 0.4 && m.breaker.haltCooldownMinutes == 720)
        // An explicit round-trip cost is kept; otherwise it follows the broker's fees.
        let config = EngineConfiguration(instruments: [.spot("BTCUSDT")])
        #expect(StrategyCatalog.modelsStrategy(configuration: config, settings: s, baseTimeframe: .m1).parameters.risk.roundTripCost == 0.003)
        #expect(abs(StrategyCatalog.modelsStrategy(configuration: config, settings: RunSettings(), baseTimeframe: .m1).parameters.risk.roundTripCost - 0.002) < 1e-15)
        // Defaults are the brief's.
        let d = ModelsParameters()
        #expect(d[.aggressive].budget.dailyLossLimit == 700 && d[.aggressive].budget.maxTradesPerDay == 20)
        #expect(d[.aggressive].budget.cooldownAfterLosses == 3 && d[.aggressive].budget.cooldownMinutes == 30)
        #expect(d[.balanced].budget.dailyLossLimit == 700 && d[.balanced].budget.cooldownAfterLosses == 5 && d[.balanced].budget.cooldownMinutes == 60)
        #expect(d[.bigPicture].budget.dailyLossLimit == 600 && d[.bigPicture].budget.maxTradesPerWeek == 2)
        #expect(d.risk.killSwitchLoss == 2_000 && d.risk.varLimit == 0.1 && d.risk.sizing.explorationRisk == 0.005)
        #expect(d.risk.limits.maxPosition == 0.3 && d.risk.limits.maxAsset == 0.4 && d.risk.limits.maxGroup == 0.6 && d.risk.limits.maxTotal == 0.8)
        #expect(d.exits.timeLimitTrendMinutes == 240 && d.exits.timeLimitRangeMinutes == 120 && d.exits.timeLimitChopMinutes == 60)
        // Mistakes name the key.
        for bad in [#"{"models": {"agressive": {}}}"#, #"{"models": {"aggressive": {"famlies": []}}}"#,
                    #"{"models": {"enabled": ["huge"]}}"#, #"{"models": {"aggressive": {"families": ["magic"]}}}"#,
                    #"{"models": {"risk": {"var_confidence": 0.9}}}"#, #"{"models": {"exits": {"trailing_stages": [[2, 1], [1, 1]]}}}"#,
                    #"{"models": {"risk": {"max_position": 1.5}}}"#] {
            #expect(throws: EngineError.self) { try RunSettings.parse(Data(bad.utf8), source: "c.json") }
        }
    }
}
