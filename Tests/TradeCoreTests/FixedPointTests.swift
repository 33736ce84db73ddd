import Testing
@testable import TradeCore

@Suite struct FixedPointTests {
    @Test func parsesDecimalsExactly() {
        #expect(Price("94419.99")?.raw == 9_441_999_000_000)
        #expect(Price("2531.0")?.raw == 253_100_000_000)
        #expect(Quantity("0.01070506")?.raw == 1_070_506)
        #expect(Price("1e-05") == nil)
        #expect(Price("1.123456789") == nil)
        #expect(Price("") == nil)
        #expect(Price("-") == nil)
        #expect(Money("-12.5")?.raw == -125_000_000_000_000_000)
    }

    @Test func doubleRoundTripIsExactForCandlePrices() {
        for text in ["94419.99", "0.00001234", "126199.63", "3.1", "2531.0"] {
            let d = Double(text)!
            #expect(Price(d) == Price(text)!, "\(text)")
        }
    }

    @Test func notionalIsExactAndFormatsHalfEven() {
        let n = Money(notionalOf: Quantity("0.01070506")!, at: Price("93413.7")!)
        #expect(n.formatted(digits: 10) == "999.999263322")
        #expect(Money("0.125")!.formatted(digits: 2) == "0.12")
        #expect(Money("0.135")!.formatted(digits: 2) == "0.14")
        #expect(Money("-0.135")!.formatted(digits: 2) == "-0.14")
    }

    @Test func feeRateScalingRoundsHalfEven() {
        let notional = Money(units: 1000)
        #expect(notional.scaled(byRateE8: 100_000) == Money(units: 1))
        #expect(divideRoundingHalfEven(5, 2) == 2)
        #expect(divideRoundingHalfEven(7, 2) == 4)
        #expect(divideRoundingHalfEven(-5, 2) == -2)
        #expect(divideRoundingHalfEven(-7, 2) == -4)
    }
}
