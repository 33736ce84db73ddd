import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeEngine

/// The flat parameter sets of the two tunable strategies: names, bounds,
/// defaults, round trips, refusals — and the models' set against the config
/// file's `"models"` section, in both directions.
@Suite struct TunableParameterTests {
    static var namePattern: Regex<(Substring, Substring?)> { /^[a-z0-9_]+(\.[a-z0-9_]+)*$/ }

    static func checkShape<S: TunableStrategy>(_: S.Type, prefix: String) {
        let bounds = S.parameterBounds, defaults = S.defaultParameterValues
        #expect(Set(bounds.keys) == Set(defaults.keys))
        for (name, b) in bounds {
            #expect(name.wholeMatch(of: namePattern) != nil, "\(name)")
            #expect(name.hasPrefix(prefix + "."), "\(name)")
            #expect(b.minimum <= b.maximum && b.minimumStep >= 0, "\(name)")
            let v = defaults[name]!
            #expect(v >= b.minimum && v <= b.maximum, "\(name): default \(v) outside [\(b.minimum), \(b.maximum)]")
            if b.isInteger {
                #expect(v.rounded() == v && b.minimum.rounded() == b.minimum && b.minimumStep >= 1, "\(name)")
            }
        }
    }

    @Test func namesAreDottedSnakeCaseAndEveryDefaultLiesWithinItsBounds() {
        Self.checkShape(EmaCrossRsi.self, prefix: "ema_cross_rsi")
        Self.checkShape(ModelsStrategy.self, prefix: "models")
        #expect(EmaCrossRsi.parameterBounds.count == 6)
        #expect(ModelsStrategy.parameterBounds.count == 174)
        // The defaults are the strategies' own.
        #expect(EmaCrossRsi(symbolCount: 1).parameterValues == EmaCrossRsi.defaultParameterValues)
        let models = ModelsStrategy(instruments: [.spot("BTCUSDT")], initialEquity: 100_000)
        #expect(models.parameterValues == ModelsStrategy.defaultParameterValues)
        #expect(ModelsStrategy.defaultParameterValues["models.big_picture.max_trades_per_week"] == 2)
        #expect(ModelsStrategy.defaultParameterValues["models.aggressive.max_trades_per_week"] == 0)   // no cap
        #expect(ModelsStrategy.defaultParameterValues["models.balanced.enabled"] == 1)
    }

    /// A different valid value for every parameter (whole where it must be,
    /// flags flipped, VaR confidence the other table), reproducible from `seed`.
    static func perturbed(_ values: [String: Double], _ bounds: [String: ParameterBounds],
                          seed: UInt64) -> [String: Double] {
        var g = SplitMix64(seed: seed)
        var out: [String: Double] = [:]
        for name in values.keys.sorted() {
            let v = values[name]!, b = bounds[name]!
            var x: Double
            if name == "models.risk.var_confidence" {
                x = v == 0.99 ? 0.95 : 0.99
            } else if b.isInteger {
                let hi = min(b.maximum, b.minimum + 1_000)
                repeat { x = Double(Int.random(in: Int(b.minimum)...Int(hi), using: &g)) } while x == v
            } else {
                let hi = min(b.maximum, max(b.minimum + 1, 10 * abs(v)))
                repeat {
                    x = (Double.random(in: b.minimum...hi, using: &g) * 1_000).rounded() / 1_000
                } while x == v || x < b.minimum || x > b.maximum
            }
            out[name] = x
        }
        return out
    }

    @Test func valuesRoundTripThroughAdoption() throws {
        var ema = EmaCrossRsi(symbolCount: 2)
        let emaValues = Self.perturbed(EmaCrossRsi.defaultParameterValues, EmaCrossRsi.parameterBounds, seed: 1)
        try ema.adopt(parameterValues: emaValues)
        #expect(ema.parameterValues == emaValues)

        for seed in UInt64(1)...5 {
            var models = ModelsStrategy(instruments: [.spot("BTCUSDT"), .spot("ETHUSDT")], initialEquity: 100_000)
            let values = Self.perturbed(ModelsStrategy.defaultParameterValues, ModelsStrategy.parameterBounds, seed: seed)
            #expect(values != ModelsStrategy.defaultParameterValues)
            try models.adopt(parameterValues: values)
            #expect(models.parameterValues == values)
            // Back to the defaults: exactly the default parameters again.
            try models.adopt(parameterValues: ModelsStrategy.defaultParameterValues)
            #expect(models.parameters == ModelsParameters())
        }
    }

    @Test func anIncompleteUnknownOrOutOfBoundsSetIsRefusedAndChangesNothing() throws {
        var models = ModelsStrategy(instruments: [.spot("BTCUSDT")], initialEquity: 100_000)
        try models.adopt(parameterValues: Self.perturbed(ModelsStrategy.defaultParameterValues,
                                                         ModelsStrategy.parameterBounds, seed: 9))
        let before = try SnapshotCodec.encode(models)
        let good = models.parameterValues
        var bad: [[String: Double]] = []
        var v = good; v["models.aggressive.entry_threshold"] = nil; bad.append(v)
        v = good; v["models.aggressive.entry_treshold"] = 0.4; bad.append(v)
        v = good; v["models.risk.kelly_fraction"] = 1.5; bad.append(v)
        v = good; v["models.risk.kelly_fraction"] = -0.1; bad.append(v)
        v = good; v["models.risk.kelly_fraction"] = .nan; bad.append(v)
        v = good; v["models.risk.kelly_window"] = 50.5; bad.append(v)
        v = good; v["models.balanced.enabled"] = 2; bad.append(v)
        v = good; v["models.risk.var_confidence"] = 0.97; bad.append(v)
        v = good; v["models.resolver.max_open_positions"] = -1; bad.append(v)
        bad.append([:])
        for values in bad {
            #expect(throws: EngineError.self) { try models.adopt(parameterValues: values) }
            #expect(try SnapshotCodec.encode(models) == before)
        }

        var ema = EmaCrossRsi(symbolCount: 1)
        let emaBefore = try SnapshotCodec.encode(ema)
        var e = EmaCrossRsi.defaultParameterValues
        e["ema_cross_rsi.fast_period"] = 0
        #expect(throws: EngineError.self) { try ema.adopt(parameterValues: e) }
        e = EmaCrossRsi.defaultParameterValues
        e["ema_cross_rsi.notional"] = 5
        #expect(throws: EngineError.self) { try ema.adopt(parameterValues: e) }
        e = EmaCrossRsi.defaultParameterValues
        e["ema_cross_rsi.slow_period"] = 26.5
        #expect(throws: EngineError.self) { try ema.adopt(parameterValues: e) }
        e = EmaCrossRsi.defaultParameterValues
        e["ema_cross_rsi.extra"] = 1
        #expect(throws: EngineError.self) { try ema.adopt(parameterValues: e) }
        #expect(try SnapshotCodec.encode(ema) == emaBefore)
    }

    // MARK: - The flat set and the config file's "models" section

    /// A JSON `"models"` section holding exactly `values` (flat names).
    static func configSection(_ values: [String: Double]) -> String {
        final class Node { var leaves: [(String, String)] = []; var children: [(String, Node)] = [] }
        let root = Node()
        var enabled: [String] = []
        let flags: Set = ["posture.veto", "risk.reward_risk_includes_costs"]
        for name in values.keys.sorted() {
            let v = values[name]!
            let path = String(name.dropFirst("models.".count))
            var parts = path.split(separator: ".").map(String.init)
            if parts.count == 2 && parts[1] == "enabled" {
                if v == 1 { enabled.append(ModelsParameterTable.modelKeys.first { $0.key == parts[0] }!.model.name) }
                continue
            }
            let leaf = parts.removeLast()
            var node = root
            for p in parts {
                if let child = node.children.first(where: { $0.0 == p })?.1 { node = child } else {
                    let child = Node(); node.children.append((p, child)); node = child
                }
            }
            let text = flags.contains(path) ? (v == 1 ? "true" : "false")
                     : ModelsStrategy.parameterBounds[name]!.isInteger ? String(Int(v)) : "\(v)"
            node.leaves.append((leaf, text))
        }
        func render(_ n: Node) -> String {
            let items = n.leaves.map { "\"\($0.0)\": \($0.1)" } + n.children.map { "\"\($0.0)\": \(render($0.1))" }
            return "{" + items.joined(separator: ", ") + "}"
        }
        root.leaves.insert(("enabled", "[" + enabled.map { "\"\($0)\"" }.joined(separator: ", ") + "]"), at: 0)
        return render(root)
    }

    static func parse(section: String) throws -> ModelsParameters {
        try RunSettings.parse(Data("{\"models\": \(section)}".utf8), source: "test.json").models
    }

    /// Every flat name is a config key for the same field: a whole perturbed
    /// set written as a config section parses to the parameters the flat set
    /// decodes to, and each name alone changes exactly its own flat value.
    @Test func everyFlatNameIsTheConfigKeyOfTheSameField() throws {
        let defaults = ModelsStrategy.defaultParameterValues, bounds = ModelsStrategy.parameterBounds
        #expect(try Self.parse(section: Self.configSection(defaults)) == ModelsParameters())
        for seed in UInt64(11)...13 {
            let values = Self.perturbed(defaults, bounds, seed: seed)
            let decoded = try ModelsParameterTable.parameters(from: values, base: ModelsParameters())
            #expect(try Self.parse(section: Self.configSection(values)) == decoded)
        }
        let single = Self.perturbed(defaults, bounds, seed: 21)
        for name in defaults.keys.sorted() {
            var values = defaults
            values[name] = single[name]
            let parsed = try Self.parse(section: Self.configSection(values))
            let changed = ModelsParameterTable.values(of: parsed).filter { defaults[$0.key] != $0.value }
            #expect(changed == [name: single[name]!], "\(name)")
        }
    }

    /// Every key the config section can set is in the flat set: a section with
    /// every key (the `ModelsSettings` documentation's shape, every value
    /// changed; lists left at their defaults) parses to parameters that the
    /// flat set alone reproduces, and its leaf keys are exactly the flat names.
    @Test func everyConfigKeyIsInTheFlatSet() throws {
        let model = """
          "entry_threshold": 0.5, "regime_adjustments": { "trend": -0.04, "range": 0.11, "chop": 0.16, "volatile": 0.21 },
          "stop_atr": 2.2, "target_reward_risk": 2.7, "holding_time_scale": 1.5, "daily_loss_limit": 650,
          "max_trades_per_day": 12, "max_trades_per_week": 40, "cooldown_after_losses": 4, "cooldown_minutes": 35,
          "agreement_minimum": 0.2,
          "momentum_burst": { "min_volume_ratio": 2.6, "min_roc_percent": 0.3, "invalidation_roc_percent": 0.15 },
          "mean_reversion": { "rsi_oversold": 22, "rsi_overbought": 78, "min_z_score": 2.1 },
          "trend_following": { "min_adx": 26 }, "posture_trend": { "min_adx": 21 },
          "weights": { "momentum_burst": { "trend": 0.21, "momentum": 0.51, "mean_reversion": 0.01, "volume": 0.31 },
                       "mean_reversion": { "trend": 0.16, "momentum": 0.01, "mean_reversion": 0.86, "volume": 0.01 },
                       "trend_following": { "trend": 0.56, "momentum": 0.31, "mean_reversion": 0.01, "volume": 0.16 },
                       "posture_trend": { "trend": 0.61, "momentum": 0.31, "mean_reversion": 0.01, "volume": 0.11 } }
        """
        let section = """
        { "enabled": [],
          "aggressive": { \(model) }, "balanced": { \(model) }, "big_picture": { \(model) },
          "posture": { "veto": false, "risk_on_at": 0.4, "risk_off_at": -0.4, "extreme_volatility": 2.5 },
          "resolver": { "pile_up_limit": 3, "pile_up_confidence": 0.85, "max_open_positions": 7, "max_entries_per_step": 3 },
          "risk": { "exploration_trades": 31, "exploration_risk": 0.006, "kelly_fraction": 0.3,
                    "kelly_window": 90, "max_risk_per_trade": 0.025,
                    "regime_multipliers": { "trend": 1.2, "range": 0.7, "chop": 0.5, "volatile": 0.2 },
                    "volatility_penalty_slope": 0.6, "min_reward_risk": 1.8, "reward_risk_includes_costs": false,
                    "max_position": 0.25, "max_asset": 0.35, "max_group": 0.55, "max_total": 0.75,
                    "max_one_sided": 0.4, "correlation_threshold": 0.65,
                    "risk_off_total_factor": 0.45, "risk_off_size_factor": 0.55,
                    "var_limit": 0.09, "var_confidence": 0.95, "var_horizon_hours": 12,
                    "return_window_hours": 100, "min_observations": 20,
                    "kill_switch_loss": 2500, "stale_intervals": 4, "stale_recovery_bars": 16,
                    "round_trip_cost": 0.0025 },
          "exits": { "time_limit_minutes": { "trend": 250, "range": 130, "chop": 70, "volatile": 65 },
                     "rebalance_one_sided": 0.55 },
          "monitors": { "window_trades": 31, "min_trades": 11, "min_win_rate": 0.36, "min_sharpe": 0.1,
                        "max_consecutive_losses": 9, "edge_window_days": 29, "edge_alert_below": 0.45,
                        "alert_cooldown_minutes": 61, "throttle_cooldown_minutes": 241,
                        "halt_cooldown_minutes": 1441, "probation_trades": 6, "max_halts": 4,
                        "halt_window_days": 8, "throttle_min_confidence": 0.75, "throttle_size_factor": 0.45 } }
        """
        let parsed = try Self.parse(section: section)
        let values = ModelsParameterTable.values(of: parsed)
        // Every flat value was set by the section (none left at its default) …
        let defaults = ModelsStrategy.defaultParameterValues
        #expect(values.filter { defaults[$0.key] == $0.value }.keys.sorted() == [], "flat names the section did not set")
        // … and the flat set alone rebuilds everything the section set.
        #expect(try ModelsParameterTable.parameters(from: values, base: ModelsParameters()) == parsed)
        // The section's leaf keys are the flat names (the enabled list as one flag per model).
        let leaves = try Self.leafKeys(JSONSerialization.jsonObject(with: Data(section.utf8)), prefix: "models")
            .subtracting(["models.enabled"])
            .union(ModelsParameterTable.modelKeys.map { "models.\($0.key).enabled" })
        #expect(leaves == Set(defaults.keys))
    }

    static func leafKeys(_ json: Any, prefix: String) -> Set<String> {
        guard let object = json as? [String: Any] else { return [prefix] }
        return object.reduce(into: Set<String>()) { $0.formUnion(leafKeys($1.value, prefix: prefix + "." + $1.key)) }
    }
}
