/// A symbol as the simulated venue lists it, with the filters it enforces
/// (Binance's PRICE_FILTER, LOT_SIZE and NOTIONAL; Bybit's priceFilter and
/// lotSizeFilter carry the same numbers).
public struct SymbolRules: Sendable, Equatable {
    public var symbol: String
    public var baseAsset: String
    public var quoteAsset: String
    public var tickSize: Decimal8
    public var minPrice: Decimal8
    public var maxPrice: Decimal8
    public var stepSize: Decimal8
    public var minQuantity: Decimal8
    public var maxQuantity: Decimal8
    public var minNotional: Decimal8
    public var maxNotional: Decimal8

    /// The rules Binance Spot published for the symbols our candle files hold
    /// (tick, step and minimum notional), and conservative defaults for any other.
    public static func spot(_ symbol: String) -> SymbolRules {
        let upper = symbol.uppercased()
        let quote = ["USDT", "USDC", "FDUSD", "BTC", "ETH", "BNB"].first { upper.hasSuffix($0) && upper.count > $0.count } ?? "USDT"
        let base = String(upper.dropLast(quote.count))
        let (tick, step): (String, String) = switch upper {
        case "BTCUSDT": ("0.01", "0.00001")
        case "ETHUSDT": ("0.01", "0.0001")
        case "SOLUSDT": ("0.01", "0.001")
        default: ("0.01", "0.001")
        }
        return SymbolRules(symbol: upper, baseAsset: base, quoteAsset: quote,
                           tickSize: Decimal8(tick)!, minPrice: Decimal8(tick)!, maxPrice: Decimal8(units: 1_000_000),
                           stepSize: Decimal8(step)!, minQuantity: Decimal8(step)!, maxQuantity: Decimal8(units: 9_000),
                           minNotional: Decimal8(units: 5), maxNotional: Decimal8(units: 9_000_000))
    }
}
