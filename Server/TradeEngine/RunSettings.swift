import Foundation
import TradeCore

/// Settings of a run read from a `--config` JSON file. Everything is optional;
/// what is absent keeps the engine's default. Example:
///
///     { "initial_cash": "100000",
///       "fill": "next-open",
///       "fees": { "maker_bps": 10, "taker_bps": 10 },
///       "slippage": { "fixed_bps": 1, "volatility_share": 0.1 },
///       "max_volume_participation": 0.1,
///       "max_leverage": 1, "allow_shorting": false,
///       "safety": { "allowed_symbols": ["BTCUSDT"], "max_order_notional": "25000", "max_position_notional": "50000",
///                   "price_band_pct": 5, "max_orders_per_minute": 30, "daily_loss_limit": "2000" },
///       "regime": { "method": "rule", "trend_adx": 25, "range_adx": 20, "volatile_ratio": 1.5,
///                   "elevated_ratio": 1.2, "hmm_states": 4, "hmm_training_bars": 2000 },
///       "instruments": { "BTCUSDT": { "tick_size": "0.01", "lot_size": "0.00001", "min_notional": "5" } },
///       "strategies": { "ema_cross_rsi": { "fast_period": 12, "slow_period": 26, "rsi_period": 14,
///                                          "rsi_ceiling": 70, "warmup_bars": 500, "notional": 1000 } } }
public struct RunSettings: Sendable {
    public var initialCash: Money?
    public var fill: FillConvention?
    public var makerFeeBps: Double?
    public var takerFeeBps: Double?
    /// `fees.buy_fee_in_base`: the paper broker takes a buy's fee in coins, as the venues do.
    public var buyFeeInBase: Bool?
    public var slippageBps: Double?
    public var volatilitySlippage: Double?
    public var maxVolumeParticipation: Double?
    public var maxLeverage: Double?
    public var allowShorting: Bool?
    public var safety = SafetyLimits()
    public var instruments: [String: InstrumentOverride] = [:]
    public var emaCrossRsi = EmaCrossRsi.Parameters()
    public var regime = RegimeSettings()
    /// The three-model stack (`--strategy models`); see `ModelsSettings` for the JSON.
    public var models = ModelsParameters()
    /// The config set `models.risk.round_trip_cost` (else it follows the broker's costs).
    public var modelsRoundTripCostSet = false
    /// Where the server sends alerts (`serve` only; see `AlertSettings`).
    public var alerts = AlertSettings()

    public struct InstrumentOverride: Sendable {
        public var tickSize: Price?
        public var lotSize: Quantity?
        public var minNotional: Money?
    }

    public init() {}

    public static func load(path: String) throws(EngineError) -> RunSettings {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) }
        catch { throw EngineError("cannot read config \(path): \(error.localizedDescription)") }
        return try parse(data, source: (path as NSString).lastPathComponent)
    }

    public static func parse(_ data: Data, source: String) throws(EngineError) -> RunSettings {
        var r = try JSONObjectReader(data: data, source: source)
        var s = RunSettings()
        if let text = try r.decimalText("initial_cash") {
            guard let m = Money(text), m.raw > 0 else { throw EngineError("\(source).initial_cash must be a positive decimal, got \(text)") }
            s.initialCash = m
        }
        if let f = try r.string("fill") {
            guard let c = FillConvention(rawValue: f) else { throw EngineError("\(source).fill must be next-open or close, got \(f)") }
            s.fill = c
        }
        if var fees = try r.object("fees") {
            s.makerFeeBps = try nonNegative(fees.double("maker_bps"), "\(fees.path).maker_bps")
            s.takerFeeBps = try nonNegative(fees.double("taker_bps"), "\(fees.path).taker_bps")
            s.buyFeeInBase = try fees.bool("buy_fee_in_base")
            try fees.rejectUnknownKeys()
        }
        if var slip = try r.object("slippage") {
            s.slippageBps = try nonNegative(slip.double("fixed_bps"), "\(slip.path).fixed_bps")
            s.volatilitySlippage = try nonNegative(slip.double("volatility_share"), "\(slip.path).volatility_share")
            try slip.rejectUnknownKeys()
        }
        if let p = try r.double("max_volume_participation") {
            guard p > 0 && p <= 1 else { throw EngineError("\(source).max_volume_participation must be in (0, 1], got \(p)") }
            s.maxVolumeParticipation = p
        }
        if let l = try r.double("max_leverage") {
            guard l > 0 && l <= 20 else { throw EngineError("\(source).max_leverage must be in (0, 20], got \(l): the engine never goes above 20×") }
            s.maxLeverage = l
        }
        if var g = try r.object("safety") { s.safety = try parseSafety(&g) }
        s.allowShorting = try r.bool("allow_shorting")
        if s.buyFeeInBase == true && s.allowShorting == true {
            throw EngineError("\(source): fees.buy_fee_in_base is spot's convention, where nothing can be shorted; allow_shorting must be false or left out")
        }
        if var all = try r.object("instruments") {
            for symbol in all.keys {
                guard var o = try all.object(symbol) else { continue }
                var override = InstrumentOverride()
                if let t = try o.decimalText("tick_size") {
                    guard let p = Price(t), p.raw > 0 else { throw EngineError("\(o.path).tick_size must be a positive decimal with at most 8 places, got \(t)") }
                    override.tickSize = p
                }
                if let t = try o.decimalText("lot_size") {
                    guard let q = Quantity(t), q.raw > 0 else { throw EngineError("\(o.path).lot_size must be a positive decimal with at most 8 places, got \(t)") }
                    override.lotSize = q
                }
                if let t = try o.decimalText("min_notional") {
                    guard let m = Money(t), m.raw >= 0 else { throw EngineError("\(o.path).min_notional must be a non-negative decimal, got \(t)") }
                    override.minNotional = m
                }
                try o.rejectUnknownKeys()
                s.instruments[symbol.uppercased()] = override
            }
            try all.rejectUnknownKeys()
        }
        if var g = try r.object("regime") {
            if let m = try g.string("method") {
                guard let method = RegimeMethod(rawValue: m) else { throw EngineError("\(g.path).method must be rule or hmm, got \(m)") }
                s.regime.method = method
            }
            if let k = try g.int("hmm_states") {
                guard (2...8).contains(k) else { throw EngineError("\(g.path).hmm_states must be 2…8, got \(k)") }
                s.regime.hmmStates = k
            }
            if let n = try g.int("hmm_training_bars") {
                guard n >= 100 else { throw EngineError("\(g.path).hmm_training_bars must be ≥ 100, got \(n)") }
                s.regime.hmmTrainingBars = n
            }
            s.regime.rule.trendADX = try positive(g.double("trend_adx"), "\(g.path).trend_adx") ?? s.regime.rule.trendADX
            s.regime.rule.rangeADX = try positive(g.double("range_adx"), "\(g.path).range_adx") ?? s.regime.rule.rangeADX
            s.regime.rule.volatileRatio = try positive(g.double("volatile_ratio"), "\(g.path).volatile_ratio") ?? s.regime.rule.volatileRatio
            s.regime.rule.elevatedRatio = try positive(g.double("elevated_ratio"), "\(g.path).elevated_ratio") ?? s.regime.rule.elevatedRatio
            guard s.regime.rule.rangeADX <= s.regime.rule.trendADX else {
                throw EngineError("\(g.path): range_adx (\(s.regime.rule.rangeADX)) must not exceed trend_adx (\(s.regime.rule.trendADX))")
            }
            try g.rejectUnknownKeys()
        }
        if var strategies = try r.object("strategies") {
            if var e = try strategies.object("ema_cross_rsi") {
                var p = EmaCrossRsi.Parameters()
                p.fastPeriod = try positive(e.int("fast_period"), "\(e.path).fast_period") ?? p.fastPeriod
                p.slowPeriod = try positive(e.int("slow_period"), "\(e.path).slow_period") ?? p.slowPeriod
                p.rsiPeriod = try positive(e.int("rsi_period"), "\(e.path).rsi_period") ?? p.rsiPeriod
                p.rsiCeiling = try e.double("rsi_ceiling") ?? p.rsiCeiling
                p.warmupBars = try nonNegative(e.int("warmup_bars").map(Double.init), "\(e.path).warmup_bars").map { Int($0) } ?? p.warmupBars
                p.notional = try positive(e.double("notional"), "\(e.path).notional") ?? p.notional
                try e.rejectUnknownKeys()
                s.emaCrossRsi = p
            }
            try strategies.rejectUnknownKeys()
        }
        if var m = try r.object("models") { try ModelsSettings.parse(&m, into: &s) }
        if var a = try r.object("alerts") { s.alerts = try AlertSettings.parse(&a) }
        try r.rejectUnknownKeys()
        return s
    }

    /// Applies the settings over an engine configuration.
    public func apply(to config: inout EngineConfiguration) {
        if let v = initialCash { config.initialCash = v }
        if let v = fill { config.broker.fillConvention = v }
        if let v = makerFeeBps { config.broker.makerFeeE8 = PaperBrokerConfiguration.feeE8(fromBps: v) }
        if let v = takerFeeBps { config.broker.takerFeeE8 = PaperBrokerConfiguration.feeE8(fromBps: v) }
        if let v = buyFeeInBase { config.broker.buyFeeInBase = v }
        if let v = slippageBps { config.broker.slippageBps = v }
        if let v = volatilitySlippage { config.broker.volatilitySlippage = v }
        if let v = maxVolumeParticipation { config.broker.maxVolumeParticipation = v }
        if let v = maxLeverage { config.maxLeverage = v }
        if let v = allowShorting { config.allowShorting = v }
        if buyFeeInBase == true { config.allowShorting = false }   // spot: fees in coins, nothing shorted
        config.safety = safety
        config.regime = regime
        for i in config.instruments.indices {
            guard let o = instruments[config.instruments[i].symbol] else { continue }
            if let t = o.tickSize { config.instruments[i].tickSize = t }
            if let l = o.lotSize { config.instruments[i].lotSize = l }
            if let m = o.minNotional { config.instruments[i].minNotional = m }
        }
    }

    private static func parseSafety(_ g: inout JSONObjectReader) throws(EngineError) -> SafetyLimits {
        var limits = SafetyLimits()
        if let symbols = try g.strings("allowed_symbols") {
            guard !symbols.isEmpty else { throw EngineError("\(g.path).allowed_symbols must name at least one symbol") }
            limits.allowedSymbols = Set(symbols.map { $0.uppercased() })
        }
        func money(_ key: String) throws(EngineError) -> Money? {
            guard let t = try g.decimalText(key) else { return nil }
            guard let m = Money(t), m.raw > 0 else { throw EngineError("\(g.path).\(key) must be a positive decimal, got \(t)") }
            return m
        }
        limits.maxOrderNotional = try money("max_order_notional")
        limits.maxPositionNotional = try money("max_position_notional")
        limits.dailyLossLimit = try money("daily_loss_limit")
        if let band = try g.double("price_band_pct") {
            guard band > 0 && band <= 50 else { throw EngineError("\(g.path).price_band_pct must be in (0, 50], got \(band)") }
            limits.priceBand = band / 100
        }
        if let n = try g.int("max_orders_per_minute") {
            guard (1...10_000).contains(n) else { throw EngineError("\(g.path).max_orders_per_minute must be 1…10000, got \(n)") }
            limits.maxOrdersPerMinute = n
        }
        try g.rejectUnknownKeys()
        return limits
    }

    private static func nonNegative(_ v: Double?, _ name: String) throws(EngineError) -> Double? {
        if let v, v < 0 { throw EngineError("\(name) must be ≥ 0, got \(v)") }
        return v
    }

    private static func positive<T: Numeric & Comparable>(_ v: T?, _ name: String) throws(EngineError) -> T? {
        if let v, v <= 0 { throw EngineError("\(name) must be > 0, got \(v)") }
        return v
    }
}
