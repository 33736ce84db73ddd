import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// Parameter sweeps on real BTC minutes: points independent of the number of
/// jobs, each equal to the backtest of its parameters, shards that merge into
/// exactly the single-machine table, and grids refused with the reason.
@Suite(.serialized) struct SweepTests {
    static let series: [MarketSeries] = {
        let candles = (try? SharedData.candles("BTCUSDT-1m-20250101-20250204.csv")) ?? []
        return [MarketSeries(instrument: .spot("BTCUSDT"), candles: Array(candles.prefix(20_000)))]
    }()
    static let grid = try! ParameterGrid.parse(Data(#"{"fast_period": [8, 12], "slow_period": [21, 26, 34], "ema_cross_rsi.rsi_ceiling": [65, 70]}"#.utf8),
                                               source: "grid.json", strategy: "ema_cross_rsi", bounds: EmaCrossRsi.parameterBounds)

    static func sweep(_ indices: [Int], jobs: Int) throws -> [SweepResult] {
        let config = EngineConfiguration(instruments: series.map(\.instrument))
        return try Sweep.run(indices: indices, jobs: jobs, evaluate: { i in
            try SweepResult.evaluate(index: i, parameters: grid.point(i), strategy: "ema_cross_rsi", series: series,
                                     configuration: config, settings: RunSettings(), baseTimeframe: .m1)
        }, done: { _ in })
    }

    @Test func theGridEnumeratesEveryCombinationInAFixedOrder() {
        let g = Self.grid
        #expect(g.names == ["ema_cross_rsi.fast_period", "ema_cross_rsi.rsi_ceiling", "ema_cross_rsi.slow_period"])
        #expect(g.count == 12)
        #expect(g.point(0) == ["ema_cross_rsi.fast_period": 8, "ema_cross_rsi.rsi_ceiling": 65, "ema_cross_rsi.slow_period": 21])
        #expect(g.point(1)["ema_cross_rsi.slow_period"] == 26 && g.point(11) == ["ema_cross_rsi.fast_period": 12, "ema_cross_rsi.rsi_ceiling": 70, "ema_cross_rsi.slow_period": 34])
        #expect(Set((0..<12).map { g.point($0) }).count == 12)
        // A seeded draw: distinct points, the same for the same seed, others for another.
        let a = g.selection(random: 5, seed: 7), b = g.selection(random: 5, seed: 7), c = g.selection(random: 5, seed: 8)
        #expect(a == b && a.count == 5 && Set(a).count == 5 && a != c && a.allSatisfy { $0 < 12 })
        #expect(g.selection(random: 50, seed: 1) == Array(0..<12))
    }

    @Test func aPointIsTheBacktestOfItsParametersWhateverTheNumberOfJobs() throws {
        let one = try Self.sweep(Array(0..<Self.grid.count), jobs: 1)
        let two = try Self.sweep(Array(0..<Self.grid.count), jobs: 2)
        #expect(one == two)
        #expect(Set(one.map(\.netPnL)).count > 6, "the parameters change the outcome")
        // Point 7 against a plain backtest with those parameters set in the config.
        var settings = RunSettings()
        let p = Self.grid.point(7)
        settings.emaCrossRsi.fastPeriod = Int(p["ema_cross_rsi.fast_period"]!)
        settings.emaCrossRsi.slowPeriod = Int(p["ema_cross_rsi.slow_period"]!)
        settings.emaCrossRsi.rsiCeiling = p["ema_cross_rsi.rsi_ceiling"]!
        let config = EngineConfiguration(instruments: Self.series.map(\.instrument))
        let direct = try StrategyCatalog.run(name: "ema_cross_rsi", series: Self.series, configuration: config, settings: settings, baseTimeframe: .m1)
        #expect(one[7].netPnL == direct.finalEquity.doubleValue - 100_000)
        #expect(one[7].metrics.tradeCount == RoundTripBuilder.build(fills: direct.fills, symbolCount: 1).closed.count)
    }

    @Test func shardsMergeIntoExactlyTheSingleMachineTable() throws {
        let names = Self.grid.names
        let all = try Self.sweep(Array(0..<Self.grid.count), jobs: 2)
        for objective in SweepObjective.allCases {
            let whole = Sweep.csv(Sweep.ranked(all, by: objective, minTrades: 40), names: names, minTrades: 40)
            let shards = try (0..<3).map { k -> String in
                let part = Sweep.Shard(index: k, count: 3)
                let mine = try Self.sweep(Array(0..<Self.grid.count).filter(part.contains), jobs: 1)
                return Sweep.csv(Sweep.ranked(mine, by: objective, minTrades: 40), names: names, minTrades: 40)
            }
            #expect(try Sweep.merge(shards.reversed(), objective: objective, minTrades: 40) == whole, "\(objective)")
        }
        // Ranking: eligible points first, best first.
        let ranked = Sweep.ranked(all, by: .netPnL, minTrades: 40)
        let eligible = ranked.prefix { $0.metrics.tradeCount >= 40 }
        #expect(zip(eligible, eligible.dropFirst()).allSatisfy { $0.netPnL >= $1.netPnL })
        // A point in two shards, or tables of two sweeps, are refused.
        let table = Sweep.csv(ranked, names: names, minTrades: 40)
        #expect(throws: EngineError.self) { try Sweep.merge([table, table], objective: .netPnL, minTrades: 40) }
        #expect(throws: EngineError.self) { try Sweep.merge([table, Sweep.csv(ranked, names: Array(names.prefix(2)), minTrades: 40)], objective: .netPnL, minTrades: 40) }
    }

    @Test func badGridsAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            (#"{"fast_periodd": [8]}"#, "fast_periodd is not a parameter of ema_cross_rsi"),
            (#"{"fast_period": [0]}"#, "outside its bounds"),
            (#"{"fast_period": [8.5]}"#, "must be a whole number"),
            (#"{"fast_period": [8, 8]}"#, "lists 8.0 twice"),
            (#"{"fast_period": []}"#, "non-empty list"),
            (#"{"fast_period": ["8"]}"#, "must list numbers"),
            (#"{}"#, "must be a JSON object"),
            (#"[1]"#, "must be a JSON object"),
            (#"{"fast_period": [8], "ema_cross_rsi.fast_period": [9]}"#, "given twice"),
        ]
        for (json, expected) in cases {
            #expect {
                try ParameterGrid.parse(Data(json.utf8), source: "grid.json", strategy: "ema_cross_rsi", bounds: EmaCrossRsi.parameterBounds)
            } throws: { ($0 as? EngineError)?.description.contains(expected) == true }
        }
        #expect(throws: EngineError.self) { try Sweep.Shard(parsing: "3/3") }
        #expect((try? Sweep.Shard(parsing: "2/3")) == Sweep.Shard(index: 2, count: 3))
    }
}
