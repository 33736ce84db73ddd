import Foundation

/// Number parsing straight from the bytes of a candle file.
///
/// `Double(String)` needs a `String` per field, which costs more than the parse
/// itself; these functions read the bytes in place and stop at the first byte that
/// is not part of the number, so the caller can check the delimiter without a second
/// scan. Both accept exactly what `Double(String)`/`Int64(String)` accept for plain
/// decimals and give bit-identical results (the reader's tests check every field of
/// every shared file).
enum DecimalParser {
    /// 10^0 … 10^22: every one is exactly representable as a `Double`.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
        1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ]

    /// Parses `[+-]digits[.digits][(e|E)[+-]digits]` (at least one mantissa digit)
    /// starting at `p`, leaving `p` on the first byte after the number.
    /// Returns nil when no mantissa digit was found.
    ///
    /// Exactly rounded: the significant digits go into a `UInt64` with a decimal
    /// exponent; when the mantissa is below 2^53 and the exponent within ±22, both
    /// operands of `mantissa × 10^e` (or `/ 10^-e`) are exact doubles and one IEEE
    /// operation rounds correctly (Clinger's fast path). Candle prices and volumes
    /// always take it; anything else goes to `strtod`, which rounds correctly too.
    @inline(__always)
    static func parseDouble(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Double? {
        let start = p
        var negative = false
        if p < end, p.pointee == UInt8(ascii: "-") || p.pointee == UInt8(ascii: "+") {
            negative = p.pointee == UInt8(ascii: "-")
            p += 1
        }
        var mantissa: UInt64 = 0
        var significantDigits = 0   // digits in `mantissa`, leading zeros excluded
        var exponent = 0
        var sawDigit = false
        // 19 decimal digits always fit in a UInt64; past that only strtod is exact.
        var tooManyDigits = false

        // Integer and fraction digits in one pass; each fraction digit kept lowers the exponent.
        var seenPoint = false
        while p < end {
            if p.pointee == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
                p += 1
                continue
            }
            let d = p.pointee &- 48
            if d > 9 { break }
            sawDigit = true
            if mantissa != 0 || d != 0 {
                if significantDigits < 19 {
                    mantissa = mantissa &* 10 &+ UInt64(d)
                    significantDigits += 1
                } else {
                    tooManyDigits = true
                }
            }
            if seenPoint && !tooManyDigits { exponent -= 1 }
            p += 1
        }
        guard sawDigit else { return nil }
        if p < end, p.pointee | 0x20 == UInt8(ascii: "e") {
            // Only an exponent with digits belongs to the number; "1e" stops before the "e".
            var q = p + 1
            var exponentNegative = false
            if q < end, q.pointee == UInt8(ascii: "-") || q.pointee == UInt8(ascii: "+") {
                exponentNegative = q.pointee == UInt8(ascii: "-")
                q += 1
            }
            if q < end, q.pointee &- 48 <= 9 {
                var value = 0
                while q < end {
                    let d = q.pointee &- 48
                    if d > 9 { break }
                    if value < 100_000 { value = value * 10 + Int(d) }   // beyond any Double; strtod decides
                    q += 1
                }
                exponent += exponentNegative ? -value : value
                p = q
            }
        }

        if mantissa == 0 { return negative ? -0.0 : 0.0 }
        if !tooManyDigits, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            let m = Double(mantissa)
            let value = exponent < 0 ? m / powersOfTen[-exponent] : m * powersOfTen[exponent]
            return negative ? -value : value
        }
        return strtodFallback(start, p - start)
    }

    /// `strtod` on a null-terminated copy of the number (the file's bytes are not
    /// null-terminated). Small copies live on the stack.
    private static func strtodFallback(_ start: UnsafePointer<UInt8>, _ count: Int) -> Double {
        withUnsafeTemporaryAllocation(of: CChar.self, capacity: count + 1) { buffer in
            UnsafeMutableRawPointer(buffer.baseAddress!).copyMemory(from: start, byteCount: count)
            buffer[count] = 0
            return strtod(buffer.baseAddress!, nil)
        }
    }

    /// Parses an unsigned decimal integer of 1…18 digits at `p` (Unix ms and µs
    /// times have 13 and 16), leaving `p` after it. Returns nil if there is no digit or
    /// more than 18, so the value can never overflow.
    @inline(__always)
    static func parseInteger(_ p: inout UnsafePointer<UInt8>, _ end: UnsafePointer<UInt8>) -> Int64? {
        var value: Int64 = 0
        var digits = 0
        while p < end {
            let d = p.pointee &- 48
            if d > 9 { break }
            digits += 1
            if digits > 18 { return nil }
            value = value &* 10 &+ Int64(d)
            p += 1
        }
        return digits > 0 ? value : nil
    }
}
