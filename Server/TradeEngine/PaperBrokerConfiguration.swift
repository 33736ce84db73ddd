import TradeCore

/// When a market order fills in the paper broker.
public enum FillConvention: String, Sendable, Codable, CaseIterable {
    /// At the next bar's open — never at a price the engine could not have known
    /// when it decided. The default (freqtrade does the same).
    case nextOpen = "next-open"
    /// At the signal bar's own close (backtesting.py's trade-on-close); for
    /// parity with engines that work that way.
    case close
}

/// The paper broker's cost and liquidity model.
public struct PaperBrokerConfiguration: Sendable, Equatable, Codable {
    public var fillConvention: FillConvention = .nextOpen
    /// Fee rates in parts per 1e8 of notional (0.1 % = 100_000): exact money.
    public var makerFeeE8: Int64 = 100_000
    public var takerFeeE8: Int64 = 100_000
    /// Fixed slippage against the taker, in basis points of the price.
    public var slippageBps: Double = 0
    /// Volatility-scaled slippage: this share of the last completed bar's
    /// range (high − low) / close, added to the fixed part.
    public var volatilitySlippage: Double = 0
    /// At most this share of a bar's volume fills per bar; the rest carries to
    /// the next bar. `nil` = unlimited (the reference engines' assumption).
    public var maxVolumeParticipation: Double? = nil

    public init() {}

    /// Fee rate from basis points (10 bps = 0.1 %), rounded to 1e-8 of notional.
    public static func feeE8(fromBps bps: Double) -> Int64 { Int64((bps * 10_000).rounded()) }
}
