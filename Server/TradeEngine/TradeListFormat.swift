import TradeCore

/// The trade list in the reference engines' columns, `side,bar_index,ts,price,qty`,
/// one row per fill, optionally followed by more columns (symbol, model, …).
public enum TradeListFormat {
    public static let header = "side,bar_index,ts,price,qty"

    /// Prices in shortest form with at least one decimal ("105300.0"), quantities
    /// with all 8 decimals ("0.01025940") — exactly as the reference lists print them.
    public static func row(_ fill: Fill) -> String {
        let qty = formatScaledDecimal(Int128(fill.quantity.raw), scaleDigits: 8, minFractionDigits: 8)
        return "\(fill.side.rawValue),\(fill.barIndex),\(fill.time),\(fill.price),\(qty)"
    }

    public static func csv(_ fills: [Fill], extraHeader: String = "", extra: ((Fill) -> String)? = nil) -> String {
        var out = header + (extraHeader.isEmpty ? "" : "," + extraHeader) + "\n"
        out.reserveCapacity(fills.count * 48)
        for f in fills {
            out += row(f)
            if let extra { out += "," + extra(f) }
            out += "\n"
        }
        return out
    }
}
