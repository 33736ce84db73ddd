import TradeCore

extension BybitAPI {
    static func instruments(_ p: [String: String], _ s: VenueCore.State) throws(BybitError) -> JSONValue {
        let listed = try symbol(p, s, required: false).map { [s.exchange.market.series[$0].rules] } ?? s.exchange.market.series.map(\.rules)
        return .object([("category", "spot"), ("list", .array(listed.map { r in
            .object([("symbol", .string(r.symbol)), ("baseCoin", .string(r.baseAsset)), ("quoteCoin", .string(r.quoteAsset)),
                     ("innovation", "0"), ("status", "Trading"), ("marginTrading", "none"), ("stTag", "0"),
                     ("lotSizeFilter", .object([("basePrecision", BybitFormat.number(r.stepSize)), ("quotePrecision", "0.00000001"),
                                                ("minOrderQty", BybitFormat.number(r.minQuantity)), ("maxOrderQty", BybitFormat.number(r.maxQuantity)),
                                                ("minOrderAmt", BybitFormat.number(r.minNotional)), ("maxOrderAmt", BybitFormat.number(r.maxNotional))])),
                     ("priceFilter", .object([("tickSize", BybitFormat.number(r.tickSize))])),
                     ("riskParameters", .object([("priceLimitRatioX", "0.05"), ("priceLimitRatioY", "0.05")]))])
        })), ("nextPageCursor", "")])
    }

    /// Bybit's interval names, in minutes.
    static let intervals: [String: Int64] = ["1": 1, "3": 3, "5": 5, "15": 15, "30": 30, "60": 60, "120": 120, "240": 240,
                                             "360": 360, "720": 720, "D": 1_440]

    /// Closed candles, newest first (as Bybit lists them): [start, open, high, low, close, volume, turnover].
    static func kline(_ p: [String: String], _ wall: Int64, _ s: inout VenueCore.State) throws(BybitError) -> JSONValue {
        let i = try symbol(p, s)!
        guard let interval = p["interval"], let minutes = intervals[interval] else { throw .parameter("interval invalid") }
        let limit = Int(try integer(p, "limit") ?? 200)
        guard (1...1_000).contains(limit) else { throw .parameter("limit must be 1…1000") }
        let start = try integer(p, "start"), end = try integer(p, "end")
        s.exchange.advance(toWall: wall)
        let market = s.exchange.market
        let closed = market.closedCount(i, at: market.marketTime(atWall: wall))
        var buckets = KlineBucket.aggregate(market.series[i].candles[..<closed], span: minutes * ReplayedMarket.barMilliseconds)
            .filter { (start == nil || $0.openTime >= start!) && (end == nil || $0.openTime <= end!) }
        buckets = start != nil && end == nil ? Array(buckets.prefix(limit)) : Array(buckets.suffix(limit))
        return .object([("symbol", .string(market.series[i].rules.symbol)), ("category", "spot"), ("list", .array(buckets.reversed().map { b in
            [.string(String(b.openTime)), BybitFormat.number(b.candle.open), BybitFormat.number(b.candle.high), BybitFormat.number(b.candle.low),
             BybitFormat.number(b.candle.close), BybitFormat.number(b.candle.volume), BybitFormat.number(b.quoteVolume)]
        }))])
    }
}
