/// A price in quote currency per unit of base asset, as an exact count of 1e-8.
public struct Price: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var raw: Int64

    @inlinable public init(raw: Int64) { self.raw = raw }
    public static let zero = Price(raw: 0)

    /// Exact conversion from a decimal string such as "94419.99".
    public init?(_ text: String) {
        guard let v = parseScaledDecimal(Substring(text), scaleDigits: 8),
              let r = Int64(exactly: v) else { return nil }
        raw = r
    }

    /// The nearest 1e-8 to a `Double` price (exact for every price a candle file
    /// can hold with ≤ 8 decimals below 9e7).
    @inlinable public init(_ value: Double) {
        raw = Int64((value * Double(fixedPointScale)).rounded(.toNearestOrEven))
    }

    @inlinable public var doubleValue: Double { Double(raw) / Double(fixedPointScale) }

    public var description: String { formatScaledDecimal(Int128(raw), scaleDigits: 8) }

    public static func < (a: Price, b: Price) -> Bool { a.raw < b.raw }
}

/// A quantity of base asset as an exact count of 1e-8; negative means short.
public struct Quantity: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var raw: Int64

    @inlinable public init(raw: Int64) { self.raw = raw }
    public static let zero = Quantity(raw: 0)

    public init?(_ text: String) {
        guard let v = parseScaledDecimal(Substring(text), scaleDigits: 8),
              let r = Int64(exactly: v) else { return nil }
        raw = r
    }

    @inlinable public var doubleValue: Double { Double(raw) / Double(fixedPointScale) }
    @inlinable public var magnitude: Quantity { Quantity(raw: raw < 0 ? -raw : raw) }
    @inlinable public var isZero: Bool { raw == 0 }

    public var description: String { formatScaledDecimal(Int128(raw), scaleDigits: 8) }

    public static func < (a: Quantity, b: Quantity) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: Quantity, b: Quantity) -> Quantity { Quantity(raw: a.raw + b.raw) }
    @inlinable public static func - (a: Quantity, b: Quantity) -> Quantity { Quantity(raw: a.raw - b.raw) }
    @inlinable public static prefix func - (a: Quantity) -> Quantity { Quantity(raw: -a.raw) }
    @inlinable public static func += (a: inout Quantity, b: Quantity) { a.raw += b.raw }
    @inlinable public static func -= (a: inout Quantity, b: Quantity) { a.raw -= b.raw }
}

/// An amount of quote currency (USDT) as an exact count of 1e-16.
public struct Money: Sendable, Codable, Hashable, Comparable, CustomStringConvertible {
    public var raw: Int128

    @inlinable public init(raw: Int128) { self.raw = raw }
    public static let zero = Money(raw: 0)

    /// Whole quote units, e.g. `Money(units: 100_000)`.
    @inlinable public init(units: Int64) { raw = Int128(units) * moneyScale }

    public init?(_ text: String) {
        guard let v = parseScaledDecimal(Substring(text), scaleDigits: 16) else { return nil }
        raw = v
    }

    /// The nearest amount on the 1e-8 grid to `value` — for figures computed in
    /// `Double` (risk budgets, limits, curve points), never for books.
    public init(approximating value: Double) {
        raw = Int128((value * 1e8).rounded()) * 100_000_000
    }

    /// price × quantity, exact.
    @inlinable public init(notionalOf quantity: Quantity, at price: Price) {
        raw = Int128(quantity.raw) * Int128(price.raw)
    }

    /// Nearest `Double` (within an ulp or two). Built from the two 64-bit halves:
    /// the generic `Double(Int128)` conversion is not specialised across modules
    /// and costs hundreds of nanoseconds.
    @inlinable public var doubleValue: Double {
        let high = Int64(truncatingIfNeeded: raw >> 64)
        let low = UInt64(truncatingIfNeeded: raw)
        return (Double(high) * 18_446_744_073_709_551_616.0 + Double(low)) / 1e16
    }

    /// Rounded to `digits` decimals (half-to-even) for display.
    public func formatted(digits: Int = 8) -> String {
        let drop = 16 - digits
        var d: Int128 = 1
        for _ in 0..<drop { d *= 10 }
        return formatScaledDecimal(divideRoundingHalfEven(raw, d), scaleDigits: digits, minFractionDigits: min(2, digits))
    }

    public var description: String { formatted() }

    /// This amount times a rate given in parts per 1e8 (0.1 % = 100_000), rounded half-even.
    @inlinable public func scaled(byRateE8 rate: Int64) -> Money {
        Money(raw: divideRoundingHalfEven(raw * Int128(rate), Int128(fixedPointScale)))
    }

    public static func < (a: Money, b: Money) -> Bool { a.raw < b.raw }
    @inlinable public static func + (a: Money, b: Money) -> Money { Money(raw: a.raw + b.raw) }
    @inlinable public static func - (a: Money, b: Money) -> Money { Money(raw: a.raw - b.raw) }
    @inlinable public static prefix func - (a: Money) -> Money { Money(raw: -a.raw) }
    @inlinable public static func += (a: inout Money, b: Money) { a.raw += b.raw }
    @inlinable public static func -= (a: inout Money, b: Money) { a.raw -= b.raw }
}
