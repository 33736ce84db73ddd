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
    /// Take a buy's fee out of the coins bought, as Binance and Bybit spot do (without BNB):
    /// the position holds the quantity less the fee, and exits sell whole lots of what is held.
    public var buyFeeInBase = false

    public init() {}

    private enum CodingKeys: String, CodingKey {
        case fillConvention, makerFeeE8, takerFeeE8, slippageBps, volatilitySlippage, maxVolumeParticipation, buyFeeInBase
    }

    /// Configurations stored before `buyFeeInBase` took fees in quote.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        fillConvention = try c.decode(FillConvention.self, forKey: .fillConvention)
        makerFeeE8 = try c.decode(Int64.self, forKey: .makerFeeE8)
        takerFeeE8 = try c.decode(Int64.self, forKey: .takerFeeE8)
        slippageBps = try c.decode(Double.self, forKey: .slippageBps)
        volatilitySlippage = try c.decode(Double.self, forKey: .volatilitySlippage)
        maxVolumeParticipation = try c.decodeIfPresent(Double.self, forKey: .maxVolumeParticipation)
        buyFeeInBase = try c.decodeIfPresent(Bool.self, forKey: .buyFeeInBase) ?? false
    }

    /// Fee rate from basis points (10 bps = 0.1 %), rounded to 1e-8 of notional.
    public static func feeE8(fromBps bps: Double) -> Int64 { Int64((bps * 10_000).rounded()) }
}
