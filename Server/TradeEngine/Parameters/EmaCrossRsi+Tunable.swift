import TradeCore

/// `ema_cross_rsi`'s six parameters as a flat set, named as in the config
/// file's `strategies.ema_cross_rsi` section. Adoption (`EmaCrossRsi.adopt`):
/// a changed period replaces that indicator with a fresh one seeded as at the
/// start, so it warms up again; unchanged indicators keep their state; the
/// ceiling, warm-up and notional apply from the next bar.
extension EmaCrossRsi: TunableStrategy {
    private static let period = ParameterBounds(minimum: 1, maximum: 1_000, isInteger: true, minimumStep: 1)

    public static var parameterBounds: [String: ParameterBounds] {
        ["ema_cross_rsi.fast_period": period,
         "ema_cross_rsi.slow_period": period,
         "ema_cross_rsi.rsi_period": period,
         "ema_cross_rsi.rsi_ceiling": ParameterBounds(minimum: 1, maximum: 100, minimumStep: 1),
         "ema_cross_rsi.warmup_bars": ParameterBounds(minimum: 0, maximum: 100_000, isInteger: true, minimumStep: 1),
         "ema_cross_rsi.notional": ParameterBounds(minimum: 10, maximum: 1e7, minimumStep: 10)]
    }

    public static var defaultParameterValues: [String: Double] { values(of: Parameters()) }

    public var parameterValues: [String: Double] { Self.values(of: parameters) }

    public mutating func adopt(parameterValues values: [String: Double]) throws(EngineError) {
        try ParameterCheck.validate(values, against: Self.parameterBounds, strategy: "ema_cross_rsi")
        var p = Parameters()
        p.fastPeriod = Int(values["ema_cross_rsi.fast_period"]!)
        p.slowPeriod = Int(values["ema_cross_rsi.slow_period"]!)
        p.rsiPeriod = Int(values["ema_cross_rsi.rsi_period"]!)
        p.rsiCeiling = values["ema_cross_rsi.rsi_ceiling"]!
        p.warmupBars = Int(values["ema_cross_rsi.warmup_bars"]!)
        p.notional = values["ema_cross_rsi.notional"]!
        adopt(p)
    }

    private static func values(of p: Parameters) -> [String: Double] {
        ["ema_cross_rsi.fast_period": Double(p.fastPeriod),
         "ema_cross_rsi.slow_period": Double(p.slowPeriod),
         "ema_cross_rsi.rsi_period": Double(p.rsiPeriod),
         "ema_cross_rsi.rsi_ceiling": p.rsiCeiling,
         "ema_cross_rsi.warmup_bars": Double(p.warmupBars),
         "ema_cross_rsi.notional": p.notional]
    }
}
