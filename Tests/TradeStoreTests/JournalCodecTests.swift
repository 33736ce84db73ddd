import Testing
import TradeCore
@testable import TradeStore

/// One event of every kind, with awkward values: negative and extreme numbers,
/// non-ASCII text, empty strings, -0 and subnormal doubles.
let everyKindOfEvent: [JournalEvent] = [
    .candleAccepted(symbol: 2, candle: Candle(openTime: 1_735_689_600_000, open: 93576.0, high: 93610.93,
                                              low: 93537.5, close: 93610.93, volume: 8.21827), barIndex: 130_679),
    .candleAccepted(symbol: 0, candle: Candle(openTime: -60_000, open: -0.0, high: .greatestFiniteMagnitude,
                                              low: Double(bitPattern: 1), close: 1e-8, volume: 0), barIndex: 0),
    .orderSubmitted(OrderSubmission(orderID: 42, clientOrderID: "te-42", symbol: 1, side: .buy, type: .market,
                                    quantity: Quantity(raw: 1_234_567), reason: "ema cross up, rsi 55.2")),
    .orderSubmitted(OrderSubmission(orderID: 43, clientOrderID: "mine-β", symbol: 0, side: .sell,
                                    type: .limit(Price(raw: 9_400_012_000_000)), quantity: Quantity(raw: Int64.max),
                                    reason: "")),
    .orderSubmitted(OrderSubmission(orderID: Int64.max, clientOrderID: "", symbol: 3, side: .sell,
                                    type: .stop(Price(raw: 1)), quantity: Quantity(raw: 1), reason: "stop ↓")),
    .orderAcknowledged(OrderAcknowledgement(orderID: 42, clientOrderID: "te-42", venueOrderID: "8389765519")),
    .orderFilled(clientOrderID: "te-42", fill: Fill(orderID: 42, symbol: 1, side: .buy, price: Price(raw: 9_361_093_000_000),
                                                    quantity: Quantity(raw: 1_234_567), fee: Money(raw: Int128.max),
                                                    liquidity: .taker, time: 1_735_689_660_000, barIndex: 1)),
    .orderFilled(clientOrderID: "x", fill: Fill(orderID: 1, symbol: 0, side: .sell, price: Price(raw: Int64.min),
                                                quantity: Quantity(raw: -5), fee: Money(raw: Int128.min),
                                                liquidity: .maker, time: Int64.min, barIndex: Int.max)),
    .orderCancelled(OrderClosure(orderID: 7, clientOrderID: "te-7", reason: "operator flatten")),
    .orderRejected(OrderClosure(orderID: 8, clientOrderID: "te-8", reason: "insufficient balance")),
    .operatorCommand(OperatorCommand(name: "halt", arguments: [:])),
    .operatorCommand(OperatorCommand(name: "set_context", arguments: ["regime": "risk-off", "by": "ops@desk", "": "é"])),
    .parameterChange(version: 17),
    .contextUpdate(ContextUpdate(key: "macro.regime", value: "risk-off")),
    .venueReport(VenueReportEntry(kind: .acknowledged, orderID: 42, clientOrderID: "aggressive-r2-42", venueID: "8389765519")),
    .venueReport(VenueReportEntry(kind: .filled, orderID: 42, clientOrderID: "aggressive-r2-42", venueID: "t-77",
                                  fill: Fill(orderID: 42, symbol: 1, side: .buy, price: Price(raw: 9_361_093_000_000), quantity: Quantity(raw: 400),
                                             fee: Money(raw: 12), liquidity: .maker, time: 1_735_689_660_000, barIndex: 2),
                                  filledQuantity: Quantity(raw: 1_000))),
    .venueReport(VenueReportEntry(kind: .filled, orderID: 45, clientOrderID: "balanced-45", venueID: "t-78",
                                  fill: Fill(orderID: 45, symbol: 0, side: .buy, price: Price(raw: 9_361_093_000_000), quantity: Quantity(raw: 100_000),
                                             feeInBase: Quantity(raw: 100), liquidity: .taker, time: 1_735_689_720_000, barIndex: 3),
                                  filledQuantity: Quantity(raw: 100_000))),
    .venueReport(VenueReportEntry(kind: .cancelled, orderID: 43, clientOrderID: "mine-β", reason: "cancelled by the venue: self-trade")),
    .venueReport(VenueReportEntry(kind: .rejected, orderID: 44, clientOrderID: "", reason: "bybit 110007: Insufficient available balance.")),
]

@Suite struct JournalCodecTests {
    @Test(arguments: everyKindOfEvent)
    func everyEventRoundTrips(_ event: JournalEvent) throws {
        let payload = event.encoded
        #expect(try JournalEvent.decode(kind: event.kind.rawValue, payload: payload) == event)
    }

    /// A fill whose fee in coins does not match its value, or takes the whole quantity, is refused.
    @Test func aBaseAssetFeeThatDoesNotFitIsRefused() throws {
        let good = Fill(orderID: 45, symbol: 0, side: .buy, price: Price(raw: 9_361_093_000_000), quantity: Quantity(raw: 100_000),
                        feeInBase: Quantity(raw: 100), liquidity: .taker, time: 0, barIndex: 0)
        var wrongValue = good
        wrongValue.fee = good.fee + Money(raw: 1)
        var wholeQuantity = good
        wholeQuantity.feeInBase = good.quantity
        wholeQuantity.fee = Money(notionalOf: good.quantity, at: good.price)
        for fill in [wrongValue, wholeQuantity] {
            let payload = JournalEvent.venueReport(VenueReportEntry(kind: .filled, orderID: 45, clientOrderID: "c", venueID: "t",
                                                                    fill: fill, filledQuantity: fill.quantity)).encoded
            #expect(throws: ByteCodecError.self) { try JournalEvent.decode(kind: JournalEventKind.venueReport.rawValue, payload: payload) }
        }
    }

    @Test func everyKindIsCovered() {
        #expect(Set(everyKindOfEvent.map(\.kind)) == Set(JournalEventKind.allCases))
    }

    @Test func aCandleEventIsCompact() throws {
        let candle = try realCandles(1)[0]
        let payload = JournalEvent.candleAccepted(symbol: 0, candle: candle, barIndex: 100_000).encoded
        #expect(payload.count <= 52)   // 5 doubles (40) + varints for symbol, bar index, open time
    }

    @Test(arguments: everyKindOfEvent)
    func aTruncatedPayloadIsAnErrorNotAValue(_ event: JournalEvent) {
        let payload = event.encoded
        for length in 0..<payload.count {
            #expect(throws: ByteCodecError.self) {
                try JournalEvent.decode(kind: event.kind.rawValue, payload: Array(payload.prefix(length)))
            }
        }
    }

    @Test func trailingBytesAndUnknownKindsAreErrors() {
        let payload = JournalEvent.parameterChange(version: 3).encoded
        #expect(throws: ByteCodecError.self) { try JournalEvent.decode(kind: 8, payload: payload + [0]) }
        #expect(throws: ByteCodecError("unknown event kind 200 (written by a newer build?)")) {
            try JournalEvent.decode(kind: 200, payload: payload)
        }
    }

    @Test func varintsRoundTripAtTheirLimits() throws {
        let values: [Int64] = [0, 1, -1, 63, -64, 64, 127, 128, 1 << 35, Int64.max, Int64.min]
        var w = ByteWriter()
        for v in values { w.writeVarint(v) }
        let big: [Int128] = [0, -1, Int128(Int64.max) * 1_000, Int128.max, Int128.min]
        for v in big { w.writeVarint(v) }
        w.writeVarint(UInt64.max)
        try ByteReader.read(w.bytes) { (r: inout ByteReader) throws(ByteCodecError) in
            for v in values { #expect(try r.readSignedVarint() == v) }
            for v in big { #expect(try r.readInt128() == v) }
            #expect(try r.readVarint() == UInt64.max)
            try r.expectEnd()
        }
        // Small magnitudes stay small: zig-zag puts -1 in one byte.
        var small = ByteWriter()
        small.writeVarint(Int64(-1))
        #expect(small.bytes == [1])
    }

    @Test func anOverlongVarintOrLengthIsRejected() {
        #expect(throws: ByteCodecError.self) {
            try ByteReader.read([UInt8](repeating: 0xFF, count: 11)) { (r: inout ByteReader) throws(ByteCodecError) in _ = try r.readVarint() }
        }
        #expect(throws: ByteCodecError.self) {
            try ByteReader.read([0x05, 0x41]) { (r: inout ByteReader) throws(ByteCodecError) in _ = try r.readString() }
        }
        #expect(throws: ByteCodecError.self) {
            try ByteReader.read([0x02, 0xC3, 0x28]) { (r: inout ByteReader) throws(ByteCodecError) in _ = try r.readString() }
        }
    }
}
