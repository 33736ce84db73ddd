import TradeCore

extension Money {
    /// Exact decimal text at the ledger's full scale (1e-16), as common.proto
    /// states for money; `description` rounds to 8 places for people.
    var wire: String { formatScaledDecimal(raw, scaleDigits: 16) }
}
