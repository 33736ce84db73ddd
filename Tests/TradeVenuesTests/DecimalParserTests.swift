import Testing
@testable import TradeVenues

@Suite struct DecimalParserTests {
    private func parse(_ text: String) -> Double? {
        var copy = text
        return copy.withUTF8 { buffer -> Double? in
            guard let base = buffer.baseAddress else { return nil }
            var p = base
            let value = DecimalParser.parseDouble(&p, base + buffer.count)
            return p == base + buffer.count ? value : nil
        }
    }

    /// Fast-path limits (2^53, 10^22), long mantissas, subnormals, overflow: all
    /// must equal `Double(String)` to the bit, whichever path they take.
    @Test func edgeCasesMatchDoubleInit() {
        let cases = [
            "0", "-0.0", "+3.25", ".5", "5.", "0.1", "0.3", "1e22", "1e23", "9007199254740992", "9007199254740993",
            "9007199254740993.0", "1234567890123456789", "12345678901234567890", "0.000000000000000000000001",
            "123.456e-7", "1E5", "4.9e-324", "2.4703282292062327e-324", "2.2250738585072011e-308",
            "1.7976931348623157e308", "1.7976931348623159e308", "1e-400", "0.1000000000000000055511151231257827",
            "89255.0e-22", "7.0e-10", "00000000000000000000000000001.5", "93610.93000000000000000001",
        ]
        for text in cases {
            #expect(parse(text)?.bitPattern == Double(text)!.bitPattern, "\(text)")
        }
        for text in ["", "-", ".", "e5", "1e", "1.2.3", "nan", "inf", "0x10", " 1"] {
            #expect(parse(text) == nil, "\(text)")
        }
    }

    /// Random decimals of 1–25 significant digits and exponents up to ±40, seeded.
    @Test func randomDecimalsMatchDoubleInit() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {   // SplitMix64
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var mismatches: [String] = []
        for _ in 0..<200_000 {
            let digits = (0..<(1 + Int(next() % 25))).map { _ in String(next() % 10) }.joined()
            let point = Int(next() % UInt64(digits.count + 1))
            var text = String(digits.prefix(point)) + "." + String(digits.dropFirst(point))
            if next() % 3 == 0 { text += "e\(Int(next() % 81) - 40)" }
            if parse(text)?.bitPattern != Double(text)?.bitPattern { mismatches.append(text) }
        }
        #expect(mismatches.isEmpty, "\(mismatches.prefix(10))")
    }
}
