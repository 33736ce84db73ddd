/// The risk engine's parameters; every default is the brief's.
public struct RiskParameters: Sendable, Codable, Equatable {
    public var sizing = SizingParameters()
    public var limits = LimitParameters()
    /// New entries are blocked while the portfolio's VaR (the larger of
    /// parametric and historical, at `varConfidence`, over `varHorizonBars`)
    /// exceeds this fraction of equity — before the entry, and after it.
    public var varLimit = 0.10
    public var varConfidence = 0.99
    /// Bars of `ReturnHistory` (1h) the VaR horizon spans: 24 = one day.
    public var varHorizonBars = 24.0
    /// Bars of 1h returns kept for correlation and VaR (168 = one week).
    public var returnWindowBars = 168
    /// Correlation and VaR need this many common bars; an entry whose VaR
    /// cannot be estimated yet is vetoed (`var_unavailable`).
    public var minObservations = 24
    /// Kill switch: cumulative loss from the starting equity (USDT).
    public var killSwitchLoss = 2_000.0
    /// Stale data: this many missing base candles freeze entries in the symbol …
    public var staleIntervals = 3
    /// … until this many candles have arrived after the gap.
    public var staleRecoveryBars = 15
    /// Round-trip cost as a fraction of price (taker fee both ways plus
    /// slippage both ways); reward:risk and sizing count it.
    public var roundTripCost = 0.002

    public init() {}
}
