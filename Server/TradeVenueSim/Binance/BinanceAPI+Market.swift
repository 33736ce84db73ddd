import TradeCore

extension BinanceAPI {
    static func exchangeInfo(_ r: VenueRequest, _ wall: Int64, _ s: VenueCore.State) throws(BinanceError) -> JSONValue {
        var listed = s.exchange.market.series.map(\.rules)
        if let one = r["symbol"] {
            guard let i = s.exchange.market.index(of: one) else { throw .invalidSymbol }
            listed = [s.exchange.market.series[i].rules]
        }
        let symbols: [JSONValue] = listed.map { rule in
            .object([
                ("symbol", .string(rule.symbol)), ("status", "TRADING"),
                ("baseAsset", .string(rule.baseAsset)), ("baseAssetPrecision", 8),
                ("quoteAsset", .string(rule.quoteAsset)), ("quotePrecision", 8), ("quoteAssetPrecision", 8),
                ("baseCommissionPrecision", 8), ("quoteCommissionPrecision", 8),
                ("orderTypes", ["LIMIT", "LIMIT_MAKER", "MARKET"]),
                ("icebergAllowed", false), ("ocoAllowed", false), ("otoAllowed", false),
                ("quoteOrderQtyMarketAllowed", true), ("allowTrailingStop", false), ("cancelReplaceAllowed", false),
                ("isSpotTradingAllowed", true), ("isMarginTradingAllowed", false),
                ("filters", [
                    .object([("filterType", "PRICE_FILTER"), ("minPrice", .decimal(rule.minPrice)), ("maxPrice", .decimal(rule.maxPrice)),
                             ("tickSize", .decimal(rule.tickSize))]),
                    .object([("filterType", "LOT_SIZE"), ("minQty", .decimal(rule.minQuantity)), ("maxQty", .decimal(rule.maxQuantity)),
                             ("stepSize", .decimal(rule.stepSize))]),
                    .object([("filterType", "NOTIONAL"), ("minNotional", .decimal(rule.minNotional)), ("applyMinToMarket", true),
                             ("maxNotional", .decimal(rule.maxNotional)), ("applyMaxToMarket", false), ("avgPriceMins", 5)]),
                ]),
                ("permissions", []), ("permissionSets", [["SPOT"]]),
                ("defaultSelfTradePreventionMode", "EXPIRE_MAKER"),
                ("allowedSelfTradePreventionModes", ["EXPIRE_TAKER", "EXPIRE_MAKER", "EXPIRE_BOTH"]),
            ])
        }
        return .object([
            ("timezone", "UTC"), ("serverTime", .int(wall)),
            ("rateLimits", [
                .object([("rateLimitType", "REQUEST_WEIGHT"), ("interval", "MINUTE"), ("intervalNum", 1), ("limit", .int(Int64(s.limiter.limit)))]),
                .object([("rateLimitType", "ORDERS"), ("interval", "SECOND"), ("intervalNum", 10), ("limit", 100)]),
                .object([("rateLimitType", "ORDERS"), ("interval", "DAY"), ("intervalNum", 1), ("limit", 200_000)]),
            ]),
            ("exchangeFilters", []),
            ("symbols", .array(symbols)),
        ])
    }

    /// Kline intervals Binance names, in minutes; everything above 1m is built from the 1-minute candles (UTC-aligned).
    static let intervals: [String: Int64] = ["1m": 1, "3m": 3, "5m": 5, "15m": 15, "30m": 30, "1h": 60, "2h": 120,
                                             "4h": 240, "6h": 360, "8h": 480, "12h": 720, "1d": 1_440]

    /// Closed candles only (the files have no ticks inside a minute, so the minute being formed is not shown);
    /// above 1m the last bucket may be partial, as Binance's forming candle is. The files carry no quote volume
    /// or trade counts: quote volume is Σ volume × close and the counts are 0.
    static func klines(_ r: VenueRequest, _ wall: Int64, _ s: inout VenueCore.State) throws(BinanceError) -> JSONValue {
        let i = try symbol(r, s)
        guard let name = r["interval"] else { throw .mandatory("interval") }
        guard let minutes = intervals[name] else { throw .invalidInterval }
        let limit = Int(try integer(r, "limit") ?? 500)
        guard (1...1_000).contains(limit) else { throw .illegal("limit", "1-1000") }
        let start = try integer(r, "startTime"), end = try integer(r, "endTime")
        s.exchange.advance(toWall: wall)
        let market = s.exchange.market
        let closed = market.closedCount(i, at: market.marketTime(atWall: wall))
        let candles = market.series[i].candles[..<closed]
        let span = minutes * ReplayedMarket.barMilliseconds
        var chosen = KlineBucket.aggregate(candles, span: span).filter {
            (start == nil || $0.openTime >= start!) && (end == nil || $0.openTime <= end!)
        }
        chosen = start != nil ? Array(chosen.prefix(limit)) : Array(chosen.suffix(limit))
        func d(_ x: Double) -> JSONValue { .decimal(Decimal8(exactly: x)) }
        return .array(chosen.map { b in
            [.int(b.openTime), d(b.candle.open), d(b.candle.high), d(b.candle.low), d(b.candle.close), d(b.candle.volume), .int(b.openTime + span - 1), d(b.quoteVolume),
             0, "0.00000000", "0.00000000", "0"]
        })
    }
}
