import TradeCore

/// The binary payload of each event kind (the kind itself is stored beside it).
///
/// Integers are zig-zag varints, `Double`s their 8-byte bit patterns, strings
/// length-prefixed UTF-8. A candle event is about 50 bytes. Every field is read
/// back and the record must end exactly where the layout says, so a damaged
/// payload is reported, never replayed as something else.
extension JournalEvent {
    /// Appends this event's payload to `w`.
    public func encode(into w: inout ByteWriter) {
        switch self {
        case .candleAccepted(let symbol, let candle, let barIndex):
            w.writeVarint(symbol)
            w.writeVarint(barIndex)
            w.writeVarint(candle.openTime)
            w.write(candle.open)
            w.write(candle.high)
            w.write(candle.low)
            w.write(candle.close)
            w.write(candle.volume)
        case .orderSubmitted(let s):
            w.writeVarint(s.orderID)
            w.write(s.clientOrderID)
            w.writeVarint(s.symbol)
            w.write(s.side.code)
            switch s.type {
            case .market: w.write(UInt8(0))
            case .limit(let p): w.write(UInt8(1)); w.writeVarint(p.raw)
            case .stop(let p): w.write(UInt8(2)); w.writeVarint(p.raw)
            }
            w.writeVarint(s.quantity.raw)
            w.write(s.reason)
        case .orderAcknowledged(let a):
            w.writeVarint(a.orderID)
            w.write(a.clientOrderID)
            w.write(a.venueOrderID)
        case .orderFilled(let clientOrderID, let f):
            w.write(clientOrderID)
            Self.encode(f, into: &w)
        case .orderCancelled(let c), .orderRejected(let c):
            w.writeVarint(c.orderID)
            w.write(c.clientOrderID)
            w.write(c.reason)
        case .operatorCommand(let c):
            w.write(c.name)
            w.writeVarint(c.arguments.count)
            for key in c.arguments.keys.sorted() {
                w.write(key)
                w.write(c.arguments[key]!)
            }
        case .parameterChange(let version):
            w.writeVarint(version)
        case .contextUpdate(let u):
            w.write(u.key)
            w.write(u.value)
        case .venueReport(let v):
            w.write(v.kind.rawValue)
            w.writeVarint(v.orderID)
            w.write(v.clientOrderID)
            w.write(v.venueID)
            w.write(v.reason)
            w.writeVarint(v.filledQuantity.raw)
            if let f = v.fill {
                w.write(UInt8(1))
                Self.encode(f, into: &w)
            } else {
                w.write(UInt8(0))
            }
        }
    }

    private static func encode(_ f: Fill, into w: inout ByteWriter) {
        w.writeVarint(f.orderID)
        w.writeVarint(f.symbol)
        w.write(f.side.code)
        w.writeVarint(f.price.raw)
        w.writeVarint(f.quantity.raw)
        w.writeVarint(f.fee.raw)
        w.write(f.liquidity == .maker ? UInt8(0) : UInt8(1))
        w.writeVarint(f.time)
        w.writeVarint(f.barIndex)
        w.writeVarint(f.feeInBase.raw)
    }

    private static func decodeFill(from r: inout ByteReader) throws(ByteCodecError) -> Fill {
        let orderID = try r.readSignedVarint()
        let symbol = try r.readInt()
        let side = try OrderSide(code: r.readByte())
        let price = Price(raw: try r.readSignedVarint())
        let quantity = Quantity(raw: try r.readSignedVarint())
        let fee = Money(raw: try r.readInt128())
        let liquidity: Liquidity
        switch try r.readByte() {
        case 0: liquidity = .maker
        case 1: liquidity = .taker
        case let l: throw ByteCodecError("unknown liquidity code \(l)")
        }
        let time = try r.readSignedVarint()
        let barIndex = try r.readInt()
        let feeInBase = Quantity(raw: try r.readSignedVarint())
        if feeInBase.isZero {
            return Fill(orderID: orderID, symbol: symbol, side: side, price: price, quantity: quantity, fee: fee,
                        liquidity: liquidity, time: time, barIndex: barIndex)
        }
        let fill = Fill(orderID: orderID, symbol: symbol, side: side, price: price, quantity: quantity, feeInBase: feeInBase,
                        liquidity: liquidity, time: time, barIndex: barIndex)
        guard fill.fee == fee, feeInBase.raw > 0, feeInBase < quantity else {
            throw ByteCodecError("fill of order \(orderID): a fee of \(feeInBase) in the base asset does not fit its quantity \(quantity) and value \(fee.raw)")
        }
        return fill
    }

    /// The payload alone, as stored.
    public var encoded: [UInt8] {
        var w = ByteWriter()
        encode(into: &w)
        return w.bytes
    }

    /// Decodes a payload of the given kind code; the whole payload must be consumed.
    public static func decode(kind code: UInt8, from r: inout ByteReader) throws(ByteCodecError) -> JournalEvent {
        guard let kind = JournalEventKind(rawValue: code) else {
            throw ByteCodecError("unknown event kind \(code) (written by a newer build?)")
        }
        let event: JournalEvent
        switch kind {
        case .candleAccepted:
            let symbol = try r.readInt()
            let barIndex = try r.readInt()
            let openTime = try r.readSignedVarint()
            let candle = Candle(openTime: openTime, open: try r.readDouble(), high: try r.readDouble(),
                                low: try r.readDouble(), close: try r.readDouble(), volume: try r.readDouble())
            event = .candleAccepted(symbol: symbol, candle: candle, barIndex: barIndex)
        case .orderSubmitted:
            let orderID = try r.readSignedVarint()
            let clientOrderID = try r.readString()
            let symbol = try r.readInt()
            let side = try OrderSide(code: r.readByte())
            let type: OrderType
            switch try r.readByte() {
            case 0: type = .market
            case 1: type = .limit(Price(raw: try r.readSignedVarint()))
            case 2: type = .stop(Price(raw: try r.readSignedVarint()))
            case let t: throw ByteCodecError("unknown order type code \(t)")
            }
            let quantity = Quantity(raw: try r.readSignedVarint())
            event = .orderSubmitted(OrderSubmission(orderID: orderID, clientOrderID: clientOrderID, symbol: symbol,
                                                    side: side, type: type, quantity: quantity,
                                                    reason: try r.readString()))
        case .orderAcknowledged:
            event = .orderAcknowledged(OrderAcknowledgement(orderID: try r.readSignedVarint(),
                                                            clientOrderID: try r.readString(),
                                                            venueOrderID: try r.readString()))
        case .orderFilled:
            let clientOrderID = try r.readString()
            event = .orderFilled(clientOrderID: clientOrderID, fill: try decodeFill(from: &r))
        case .orderCancelled, .orderRejected:
            let closure = OrderClosure(orderID: try r.readSignedVarint(), clientOrderID: try r.readString(),
                                       reason: try r.readString())
            event = kind == .orderCancelled ? .orderCancelled(closure) : .orderRejected(closure)
        case .operatorCommand:
            let name = try r.readString()
            let count = try r.readInt()
            guard count >= 0, count <= r.remaining else { throw ByteCodecError("bad argument count \(count)") }
            var arguments: [String: String] = [:]
            for _ in 0..<count {
                let key = try r.readString()
                arguments[key] = try r.readString()
            }
            event = .operatorCommand(OperatorCommand(name: name, arguments: arguments))
        case .parameterChange:
            event = .parameterChange(version: try r.readSignedVarint())
        case .contextUpdate:
            event = .contextUpdate(ContextUpdate(key: try r.readString(), value: try r.readString()))
        case .venueReport:
            guard let kind = VenueReportEntry.Kind(rawValue: try r.readByte()) else { throw ByteCodecError("unknown venue report kind") }
            var entry = VenueReportEntry(kind: kind, orderID: try r.readSignedVarint(), clientOrderID: try r.readString(),
                                         venueID: try r.readString(), reason: try r.readString())
            entry.filledQuantity = Quantity(raw: try r.readSignedVarint())
            switch try r.readByte() {
            case 0: break
            case 1: entry.fill = try decodeFill(from: &r)
            case let b: throw ByteCodecError("bad fill flag \(b)")
            }
            guard (entry.kind == .filled) == (entry.fill != nil) else { throw ByteCodecError("a venue report's fill does not match its kind") }
            event = .venueReport(entry)
        }
        try r.expectEnd()
        return event
    }

    /// Decodes a stored payload.
    public static func decode(kind: UInt8, payload: [UInt8]) throws(ByteCodecError) -> JournalEvent {
        try ByteReader.read(payload) { (r: inout ByteReader) throws(ByteCodecError) in try decode(kind: kind, from: &r) }
    }
}

extension OrderSide {
    var code: UInt8 { self == .buy ? 0 : 1 }

    init(code: UInt8) throws(ByteCodecError) {
        switch code {
        case 0: self = .buy
        case 1: self = .sell
        default: throw ByteCodecError("unknown side code \(code)")
        }
    }
}
