/// A tradable spot pair and the exchange's rules for it. Every price and quantity
/// is rounded to `tickSize` / `lotSize` before it reaches a broker, and an order
/// whose notional is below `minNotional` is refused.
public struct Instrument: Sendable, Codable, Hashable {
    public var symbol: String
    public var baseAsset: String
    public var quoteAsset: String
    public var tickSize: Price
    public var lotSize: Quantity
    public var minNotional: Money

    public init(symbol: String, baseAsset: String, quoteAsset: String,
                tickSize: Price, lotSize: Quantity, minNotional: Money) {
        precondition(tickSize.raw > 0 && lotSize.raw > 0, "tick and lot sizes must be positive")
        self.symbol = symbol
        self.baseAsset = baseAsset
        self.quoteAsset = quoteAsset
        self.tickSize = tickSize
        self.lotSize = lotSize
        self.minNotional = minNotional
    }

    /// Quote assets recognised when splitting a symbol such as "BTCUSDT".
    public static let knownQuoteAssets = ["USDT", "USDC", "FDUSD", "BUSD", "TUSD", "EUR", "BTC", "ETH", "BNB"]

    /// The default spot instrument for a symbol: tick 0.01, lot 1e-8, minimum
    /// notional 5 quote units (Binance's spot minimum). Lot 1e-8 is what the
    /// reference engines use; a config file overrides any of these per symbol.
    public static func spot(_ symbol: String) -> Instrument {
        let upper = symbol.uppercased()
        let quote = knownQuoteAssets.first { upper.hasSuffix($0) && upper.count > $0.count } ?? "USDT"
        let base = upper.hasSuffix(quote) ? String(upper.dropLast(quote.count)) : upper
        return Instrument(symbol: upper, baseAsset: base, quoteAsset: quote,
                          tickSize: Price(raw: 1_000_000), lotSize: Quantity(raw: 1),
                          minNotional: Money(units: 5))
    }

    public enum Rounding: Sendable, Codable { case down, up, nearest }

    /// Rounds a price to a multiple of the tick.
    public func round(_ price: Price, _ mode: Rounding) -> Price {
        Price(raw: Self.roundToMultiple(price.raw, tickSize.raw, mode))
    }

    /// Rounds a quantity's magnitude down to a multiple of the lot (never up:
    /// rounding up could spend money the sizing did not allow).
    public func roundDown(_ quantity: Quantity) -> Quantity {
        let magnitude = Self.roundToMultiple(quantity.magnitude.raw, lotSize.raw, .down)
        return Quantity(raw: quantity.raw < 0 ? -magnitude : magnitude)
    }

    static func roundToMultiple(_ value: Int64, _ step: Int64, _ mode: Rounding) -> Int64 {
        let floorMultiple = value >= 0 ? value / step * step : -((-value + step - 1) / step * step)
        switch mode {
        case .down: return floorMultiple
        case .up: return floorMultiple == value ? value : floorMultiple + step
        case .nearest:
            let r = value - floorMultiple
            if r * 2 < step { return floorMultiple }
            if r * 2 > step { return floorMultiple + step }
            return (floorMultiple / step) & 1 == 0 ? floorMultiple : floorMultiple + step
        }
    }
}
