import Foundation
import TradeCore

/// What `--strategy models` adds to the report: per-model results (with
/// realized PnL per UTC day and exits by reason), the resolver's table,
/// circuit-breaker transitions, edge-decay alerts and kill-switch trips.
public struct ModelsReport: Codable, Sendable {
    public struct Window: Codable, Sendable {
        public var window: Int
        public var sampleSize: Int
        public var winRate: Double
        public var payoffRatio: Double?
        public var expectancy: Double
    }

    public struct Day: Codable, Sendable {
        public var day: String
        public var realizedPnL: Double
        public var trades: Int
        enum CodingKeys: String, CodingKey { case day, realizedPnL = "realized_pnl", trades }
    }

    public struct ExitCount: Codable, Sendable {
        public var reason: String
        public var count: Int
        public var netPnL: Double
        enum CodingKeys: String, CodingKey { case reason, count, netPnL = "net_pnl" }
    }

    public struct SignalCounts: Codable, Sendable {
        public var accepted = 0
        public var resized = 0
        public var vetoed = 0
        public var rejectedByEngine = 0
    }

    public struct Model: Codable, Sendable {
        public var model: String
        public var enabled: Bool
        public var trades: Int
        public var wins: Int
        public var winRate: Double?
        /// Exact, after fees.
        public var netPnL: String
        public var grossPnL: String
        public var fees: String
        public var expectancy: [Window]
        public var dailyRealized: [Day]
        public var exitsByReason: [ExitCount]
        public var signals: SignalCounts
        public var breakerState: String
        public var edgeSharpe30d: Double?
        public var openPositions: Int
        enum CodingKeys: String, CodingKey {
            case model, enabled, trades, wins, winRate, netPnL = "net_pnl", grossPnL = "gross_pnl", fees, expectancy,
                 dailyRealized, exitsByReason, signals, breakerState, edgeSharpe30d = "edge_sharpe_30d", openPositions
        }
    }

    public struct ResolverRow: Codable, Sendable {
        public var model: String
        public var decision: String
        public var rule: String
        public var count: Int
    }

    public struct Transition: Codable, Sendable {
        public var time: Int64
        public var timeUTC: String
        public var model: String
        public var from: String
        public var to: String
        public var trigger: String
        public var severity: String
    }

    public struct EdgeAlert: Codable, Sendable {
        public var time: Int64
        public var model: String
        public var raised: Bool
        public var sharpe: Double
    }

    public struct KillSwitchTrip: Codable, Sendable {
        public var time: Int64
        public var timeUTC: String
        public var equity: Double
        public var loss: Double
        public var positionsFlattened: Int
    }

    public struct Risk: Codable, Sendable {
        public var parametricVaR95: Double
        public var parametricVaR99: Double
        public var historicalVaR95: Double
        public var historicalVaR99: Double
        public var parametricCVaR95: Double
        public var parametricCVaR99: Double
        public var historicalCVaR95: Double
        public var historicalCVaR99: Double
        public var observations: Int
        public var note: String
        enum CodingKeys: String, CodingKey {
            case parametricVaR95 = "parametric_var_95", parametricVaR99 = "parametric_var_99",
                 historicalVaR95 = "historical_var_95", historicalVaR99 = "historical_var_99",
                 parametricCVaR95 = "parametric_cvar_95", parametricCVaR99 = "parametric_cvar_99",
                 historicalCVaR95 = "historical_cvar_95", historicalCVaR99 = "historical_cvar_99", observations, note
        }

        init(_ v: VaREstimate, note: String) {
            parametricVaR95 = v.parametric95; parametricVaR99 = v.parametric99
            historicalVaR95 = v.historical95; historicalVaR99 = v.historical99
            parametricCVaR95 = v.parametricCVaR95; parametricCVaR99 = v.parametricCVaR99
            historicalCVaR95 = v.historicalCVaR95; historicalCVaR99 = v.historicalCVaR99
            observations = v.observations
            self.note = note
        }
    }

    public var models: [Model]
    public var resolver: [ResolverRow]
    public var breakerTransitions: [Transition]
    public var edgeDecayAlerts: [EdgeAlert]
    public var killSwitch: [KillSwitchTrip]
    public var signals: Int
    /// The book's VaR at the step where it was highest (worst 99 %) among the
    /// steps that had entry candidates, and at the last bar.
    public var peakRisk: Risk
    public var endOfRunRisk: Risk

    public init(_ s: ModelsStrategy) {
        let strategy = s
        let log = strategy.log
        var perModel: [Model] = []
        for m in ModelID.allCases {
            let trades = strategy.trades.filter { $0.model == m }
            var net = Money.zero, gross = Money.zero, fees = Money.zero
            var wins = 0
            var days: [Int64: (Double, Int)] = [:]
            var exits: [String: (Int, Double)] = [:]
            for t in trades {
                net += t.netPnL; gross += t.grossPnL; fees += t.fees
                if t.netPnL.raw > 0 { wins += 1 }
                let d = UTC.day(t.exitTime)
                days[d, default: (0, 0)].0 += t.netPnL.doubleValue
                days[d, default: (0, 0)].1 += 1
                let reason = t.exitReason?.name ?? "none"
                exits[reason, default: (0, 0)].0 += 1
                exits[reason, default: (0, 0)].1 += t.netPnL.doubleValue
            }
            var counts = SignalCounts()
            for r in log.records where r.signal.model == m {
                switch r.decision {
                case .accepted: counts.accepted += 1
                case .resized: counts.resized += 1
                case .vetoed: counts.vetoed += 1
                }
                if r.orderRejected { counts.rejectedByEngine += 1 }
            }
            let engine = strategy.risk.expectancy[m.rawValue]
            let windows = ExpectancyEngine.windows.map { w -> Window in
                let st = engine.stats(window: w)
                return Window(window: w, sampleSize: st.sampleSize, winRate: st.winRate, payoffRatio: st.payoffRatio,
                              expectancy: st.expectancy)
            }
            let open = (0..<strategy.symbolCount).filter { strategy.risk.book[m, $0].isActive }.count
            perModel.append(Model(
                model: m.name, enabled: strategy.parameters[m].enabled, trades: trades.count, wins: wins,
                winRate: trades.isEmpty ? nil : Double(wins) / Double(trades.count),
                netPnL: net.formatted(digits: 8), grossPnL: gross.formatted(digits: 8), fees: fees.formatted(digits: 8),
                expectancy: windows,
                dailyRealized: days.keys.sorted().map { Day(day: Self.date($0 * UTC.dayMs), realizedPnL: days[$0]!.0, trades: days[$0]!.1) },
                exitsByReason: ExitReason.allCases.compactMap { r in exits[r.name].map { ExitCount(reason: r.name, count: $0.0, netPnL: $0.1) } },
                signals: counts, breakerState: strategy.risk.breakers[m.rawValue].state.name,
                edgeSharpe30d: strategy.edge[m.rawValue].sharpe, openPositions: open))
        }
        models = perModel
        resolver = log.table().map { ResolverRow(model: $0.0.model.name, decision: $0.0.decision.name, rule: $0.0.rule.name, count: $0.1) }
        breakerTransitions = strategy.breakerTransitions.map {
            Transition(time: $0.time, timeUTC: BacktestSummary.isoTime($0.time), model: $0.model.name, from: $0.from.name,
                       to: $0.to.name, trigger: $0.trigger.name, severity: $0.severity.name)
        }
        edgeDecayAlerts = strategy.edgeAlerts.map { EdgeAlert(time: $0.time, model: $0.model.name, raised: $0.raised, sharpe: $0.sharpe) }
        killSwitch = strategy.killSwitchEvents.map {
            KillSwitchTrip(time: $0.time, timeUTC: BacktestSummary.isoTime($0.time), equity: $0.equity, loss: $0.loss,
                           positionsFlattened: $0.positionsFlattened)
        }
        signals = log.count
        var risk = strategy.risk
        let (v, available) = risk.currentVaR()
        endOfRunRisk = Risk(v, note: available ? "fractions of equity, 1-day horizon (√24 × 1h), the open book at the last bar"
                                                : "not enough common 1h returns to estimate")
        let peak = strategy.risk.peakVaR
        peakRisk = Risk(peak.estimate, note: peak.time == .min ? "no step with entry candidates had an open book"
                            : "fractions of equity, 1-day horizon, the open book at \(BacktestSummary.isoTime(peak.time)) (before that step's entries)")
    }

    static func date(_ ms: Int64) -> String { String(BacktestSummary.isoTime(ms).prefix(10)) }
}

/// Per-fill columns the models add to the trade list, and the signal list.
public enum ModelsFormat {
    public static let tradeColumns = "symbol,model,entry_reason,exit_reason"

    /// `symbol,model,entry_reason,exit_reason` of one fill.
    public static func tradeColumns(_ fill: Fill, strategy: ModelsStrategy, symbols: [String]) -> String {
        let tag = strategy.tags[Int(fill.orderID) - 1]
        let entry = tag.family.name
        return "\(symbols[fill.symbol]),\(tag.model.name),\(entry),\(tag.exitReason?.name ?? "")"
    }

    public static let signalHeader = "ts,symbol,model,family,timeframe,direction,score,confidence,threshold,regime,"
        + "trend,momentum,mean_reversion,volume,volatility,stop_distance,target_distance,size_scale,"
        + "decision,rule,value,limit,requested_qty,qty,risk_fraction,reward_risk,sizing,order_id,order_rejected,reasons"

    public static func signals(_ log: SignalLog, symbols: [String]) -> String {
        var out = signalHeader + "\n"
        out.reserveCapacity(log.count * 400)
        for r in log.records {
            let s = r.signal
            let c = s.categories
            var fields: [String] = [
                String(s.time), symbols[s.symbol], s.model.name, s.family.name, s.timeframe.name, s.direction.name,
                num(s.score), num(s.confidence), num(s.threshold), s.regime.rawValue,
                num(c.trend), num(c.momentum), num(c.meanReversion), num(c.volume), num(c.volatility),
                num(s.stopDistance), num(s.targetDistance), num(s.sizeScale),
                r.decision.name, r.verdict.rule.name, num(r.verdict.value), num(r.verdict.limit),
                num(r.requestedQuantity), num(r.quantity), num(r.riskFraction), num(r.rewardRisk),
            ]
            fields.append(r.sizingBasis.map { $0 == .kelly ? "kelly" : "exploration" } ?? "")
            fields.append(r.orderID == 0 ? "" : String(r.orderID))
            fields.append(r.orderRejected ? "1" : "0")
            fields.append(s.reasons.pairs.filter { !$0.1.isNaN }.map { "\($0.0)=\(num($0.1))" }.joined(separator: ";"))
            out += fields.joined(separator: ",")
            out += "\n"
        }
        return out
    }

    static func num(_ x: Double) -> String {
        if x.isNaN { return "" }
        if x.isInfinite { return x > 0 ? "inf" : "-inf" }
        return String(format: "%.6g", x)
    }
}
