/// Exact money (ARCHITECTURE principle 5).
///
/// Every price and quantity is an integer count of 1e-8 units — the precision
/// exchanges themselves publish (Binance quotes 8 decimals). Amounts of quote
/// currency are integer counts of 1e-16 units in 128 bits, so that
/// `price × quantity` (1e-8 × 1e-8) is exact and cash + positions at mark equals
/// equity to the last unit, at every step, forever. Rounding happens only where
/// a division is unavoidable (fee rates, slippage), always half-to-even, at 1e-16.

public let fixedPointScale: Int64 = 100_000_000          // 1e8 units per whole price / quantity
public let moneyScale: Int128 = 10_000_000_000_000_000    // 1e16 units per whole quote unit

/// Integer division of a signed 128-bit value rounded half-to-even (banker's rounding).
@inlinable
public func divideRoundingHalfEven(_ n: Int128, _ d: Int128) -> Int128 {
    precondition(d > 0, "divisor must be positive")
    var q = n / d
    let r = n % d                       // same sign as n
    let twice = (r < 0 ? -r : r) * 2
    if twice > d || (twice == d && q & 1 != 0) {
        q += n < 0 ? -1 : 1
    }
    return q
}

/// Parses a plain decimal string ("94419.99", "-0.5", "2531.0", "1e-05" is rejected)
/// into an integer count of 10^-scaleDigits units, exactly. Returns nil if the text
/// is not a decimal number or has more fractional digits than the scale holds.
public func parseScaledDecimal(_ text: Substring, scaleDigits: Int) -> Int128? {
    var bytes = text.utf8[...]
    guard !bytes.isEmpty else { return nil }
    var negative = false
    if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
    else if bytes.first == UInt8(ascii: "+") { bytes = bytes.dropFirst() }
    guard !bytes.isEmpty else { return nil }
    var value: Int128 = 0
    var fractionDigits = 0
    var seenPoint = false
    var digits = 0
    for b in bytes {
        if b == UInt8(ascii: ".") {
            if seenPoint { return nil }
            seenPoint = true
            continue
        }
        guard b >= 48 && b <= 57 else { return nil }
        if seenPoint {
            fractionDigits += 1
            if fractionDigits > scaleDigits {
                if b != 48 { return nil }  // trailing zeros beyond the scale are harmless
                continue
            }
        }
        digits += 1
        if digits > 36 { return nil }
        value = value * 10 + Int128(b - 48)
    }
    guard digits > 0 else { return nil }
    for _ in min(fractionDigits, scaleDigits)..<scaleDigits { value *= 10 }
    return negative ? -value : value
}

/// Formats an integer count of 10^-scaleDigits units as a plain decimal string,
/// trimming trailing zeros but keeping at least `minFractionDigits`.
public func formatScaledDecimal(_ raw: Int128, scaleDigits: Int, minFractionDigits: Int = 1) -> String {
    let negative = raw < 0
    let magnitude = negative ? -raw : raw
    var scale: Int128 = 1
    for _ in 0..<scaleDigits { scale *= 10 }
    let whole = magnitude / scale
    var fraction = String(magnitude % scale)
    if fraction.count < scaleDigits {
        fraction = String(repeating: "0", count: scaleDigits - fraction.count) + fraction
    }
    while fraction.count > minFractionDigits, fraction.last == "0" { fraction.removeLast() }
    let body = fraction.isEmpty ? String(whole) : "\(whole).\(fraction)"
    return negative ? "-" + body : body
}
