/// A non-negative-or-signed decimal with 8 fractional digits, exact: how the
/// simulated venue keeps prices, quantities and balances, and how it writes
/// them on the wire ("0.10000000", as Binance does). Its own small type, not
/// the engine's money types: the venue is a separate program with its own
/// arithmetic, so a bug in one is not silently shared by the other.
public struct Decimal8: Sendable, Hashable, Comparable, CustomStringConvertible {
    public var raw: Int64
    public static let scale: Int64 = 100_000_000
    public static let zero = Decimal8(raw: 0)

    public init(raw: Int64) { self.raw = raw }
    public init(units: Int64) { raw = units * Self.scale }

    /// Parses "12", "0.1", "1.23456789", "-3.5"; nil for anything else (more than
    /// 8 decimals, exponents, spaces, empty, out of range).
    public init?(_ text: some StringProtocol) {
        var s = Substring(text)
        var negative = false
        if s.first == "-" { negative = true; s = s.dropFirst() }
        let dot = s.firstIndex(of: ".")
        let whole = dot.map { s[..<$0] } ?? s
        var fraction = dot.map { s[s.index(after: $0)...] } ?? ""
        while fraction.count > 8, fraction.last == "0" { fraction = fraction.dropLast() }   // "0.100000000" is 0.1
        guard !(whole.isEmpty && fraction.isEmpty), whole.count <= 10, fraction.count <= 8,
              whole.allSatisfy(\.isASCIIDigitChar), fraction.allSatisfy(\.isASCIIDigitChar),
              let w = whole.isEmpty ? 0 : Int64(whole),
              let f = Int64(fraction + String(repeating: "0", count: 8 - fraction.count)) else { return nil }
        raw = (w * Self.scale + f) * (negative ? -1 : 1)
    }

    /// Always 8 decimals, as the venue writes them.
    public var description: String {
        let m = raw.magnitude
        let whole = m / UInt64(Self.scale), fraction = m % UInt64(Self.scale)
        let f = String(fraction)
        return (raw < 0 ? "-" : "") + "\(whole)." + String(repeating: "0", count: 8 - f.count) + f
    }

    public var doubleValue: Double { Double(raw) / Double(Self.scale) }
    public var isZero: Bool { raw == 0 }

    public static func < (a: Decimal8, b: Decimal8) -> Bool { a.raw < b.raw }
    public static func + (a: Decimal8, b: Decimal8) -> Decimal8 { Decimal8(raw: a.raw + b.raw) }
    public static func - (a: Decimal8, b: Decimal8) -> Decimal8 { Decimal8(raw: a.raw - b.raw) }
    public static func += (a: inout Decimal8, b: Decimal8) { a.raw += b.raw }
    public static func -= (a: inout Decimal8, b: Decimal8) { a.raw -= b.raw }

    /// price × quantity, rounded half-even to 8 decimals.
    public static func * (a: Decimal8, b: Decimal8) -> Decimal8 {
        let p = Int128(a.raw) * Int128(b.raw)
        let s = Int128(scale)
        var q = p / s
        let r = p % s
        if abs(r) * 2 > s || (abs(r) * 2 == s && q % 2 != 0) { q += p < 0 ? -1 : 1 }
        return Decimal8(raw: Int64(q))
    }

    /// This amount times `bps` basis points (fees), rounded half-even.
    public func basisPoints(_ bps: Int64) -> Decimal8 {
        self * Decimal8(raw: bps * 10_000)
    }

    /// Whether this is a whole multiple of `step`.
    public func isMultiple(of step: Decimal8) -> Bool { step.raw > 0 && raw % step.raw == 0 }

    /// Rounded down to a multiple of `step`.
    public func floored(to step: Decimal8) -> Decimal8 { Decimal8(raw: raw - raw % step.raw) }

    /// The nearest value on the 1e-8 grid to a candle's price (candles are read as doubles on that grid).
    public init(exactly double: Double) {
        raw = Int64((double * Double(Self.scale)).rounded())
    }
}

extension Character {
    var isASCIIDigitChar: Bool { ("0"..."9").contains(self) }
}
