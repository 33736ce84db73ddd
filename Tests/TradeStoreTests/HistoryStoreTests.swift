import Foundation
import Testing
import TestSupport
import TradeCore
import TradeEngine
@testable import TradeStore

/// Fills and round trips of a real backtest (ema_cross_rsi on BTC and ETH minutes).
private let realRun: Result<(fills: [FillRecord], trades: [TradeRecord]), any Error> = Result {
    let names = ["BTCUSDT", "ETHUSDT"]
    let series = try names.map { name in
        MarketSeries(instrument: .spot(name), candles: try SharedData.candles("\(name)-1m-20250101-20250204.csv"))
    }
    let result = try StrategyCatalog.run(name: "ema_cross_rsi", series: series,
                                         configuration: EngineConfiguration(instruments: series.map(\.instrument)),
                                         settings: RunSettings(), baseTimeframe: .m1)
    let fills = result.fills.map { f in
        FillRecord(time: f.time, model: "ema_cross_rsi", symbol: names[f.symbol],
                   clientOrderID: result.orders[Int(f.orderID - 1)].clientOrderID, side: f.side, price: f.price,
                   quantity: f.quantity, fee: f.fee, liquidity: f.liquidity)
    }
    let trades = RoundTripBuilder.build(fills: result.fills, symbolCount: 2).closed
        .map { TradeRecord($0, model: "ema_cross_rsi", symbol: names[$0.symbol]) }
    return (fills, trades)
}

/// Reads every page of a list and returns the items in order.
private func allPages<T>(_ query: HistoryQuery, _ fetch: (HistoryQuery) throws -> HistoryPage<T>) throws -> (items: [T], pages: Int) {
    var query = query
    var items: [T] = []
    var pages = 0
    while true {
        let page = try fetch(query)
        items += page.items
        pages += 1
        guard let next = page.nextPageToken else { return (items, pages) }
        query.pageToken = next
    }
}

private func stripIDs(_ fills: [FillRecord]) -> [FillRecord] { fills.map { var f = $0; f.id = nil; return f } }

@Suite struct HistoryStoreTests {
    @Test func fillsPageInTimeOrderWithExactMoney() throws {
        let store = try makeStore()
        let fills = try realRun.get().fills
        try #require(fills.count > 2_000)
        let ids = try store.history.recordFills(fills)
        #expect(ids == Array(1...Int64(fills.count)))
        let (read, pages) = try allPages(HistoryQuery(pageSize: 1_000)) { try store.history.fills($0) }
        #expect(pages == (fills.count + 999) / 1_000)
        // The engine's fills are in time order, so (time, id) order is insertion order.
        #expect(zip(fills, fills.dropFirst()).allSatisfy { $0.time <= $1.time })
        #expect(stripIDs(read) == fills)
        let newest = try allPages(HistoryQuery(pageSize: 333, newestFirst: true)) { try store.history.fills($0) }.items
        #expect(newest.map(\.id) == read.map(\.id).reversed())
    }

    @Test func filtersByTimeModelAndSymbol() throws {
        let store = try makeStore()
        let (fills, trades) = try realRun.get()
        try store.history.recordFills(fills)
        try store.history.recordTrades(trades)
        let from = fills[fills.count / 4].time, to = fills[fills.count / 2].time
        let query = HistoryQuery(from: from, to: to, symbol: "ETHUSDT", pageSize: 50)
        let got = try allPages(query) { try store.history.fills($0) }.items
        let expected = fills.filter { $0.time >= from && $0.time <= to && $0.symbol == "ETHUSDT" }
        #expect(!expected.isEmpty)
        #expect(stripIDs(got) == expected)
        #expect(try store.history.fills(HistoryQuery(model: "balanced")).items.isEmpty)
        let storedTrades = try allPages(HistoryQuery(model: "ema_cross_rsi", pageSize: 1_000)) { try store.history.trades($0) }.items
        #expect(storedTrades.map { var t = $0; t.id = nil; return t }.sorted { $0.time < $1.time }
                == trades.sorted { $0.time < $1.time })
        #expect(storedTrades.reduce(Money.zero) { $0 + $1.netPnL } == trades.reduce(Money.zero) { $0 + $1.netPnL })
    }

    @Test func rowsAppendedWhilePagingAreNeitherSkippedNorRepeated() throws {
        let store = try makeStore()
        let fills = try realRun.get().fills
        try store.history.recordFills(Array(fills[0..<500]))
        var query = HistoryQuery(pageSize: 200)
        var seen: [Int64] = []
        let first = try store.history.fills(query)
        seen += first.items.map { $0.id! }
        try store.history.recordFills(Array(fills[500..<700]))   // later fills arrive meanwhile
        query.pageToken = first.nextPageToken
        seen += try allPages(query) { try store.history.fills($0) }.items.map { $0.id! }
        #expect(seen == Array(1...700))
    }

    @Test func pageSizeMustBeOneToAThousand() throws {
        let store = try makeStore()
        for size in [0, -1, 1_001] {
            #expect(throws: TradeStoreError(.invalidArgument, "page_size must be between 1 and 1000, got \(size)")) {
                try store.history.fills(HistoryQuery(pageSize: size))
            }
        }
        #expect(try store.history.fills(HistoryQuery(pageSize: 1_000)).items.isEmpty)
        #expect { try store.history.signals(HistoryQuery(from: 10, to: 5)) } throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
    }

    @Test func aTokenIsValidOnlyForItsListOrderAndFilter() throws {
        let store = try makeStore()
        try store.history.recordFills(Array(try realRun.get().fills.prefix(30)))
        let token = try #require(try store.history.fills(HistoryQuery(symbol: "BTCUSDT", pageSize: 2)).nextPageToken)
        #expect(try store.history.fills(HistoryQuery(symbol: "BTCUSDT", pageSize: 5, pageToken: token)).items.count == 5)
        let misuses = [
            HistoryQuery(symbol: "ETHUSDT", pageSize: 2, pageToken: token),
            HistoryQuery(pageSize: 2, pageToken: token),
            HistoryQuery(symbol: "BTCUSDT", pageSize: 2, pageToken: token, newestFirst: true),
            HistoryQuery(symbol: "BTCUSDT", pageSize: 2, pageToken: "not-a-token"),
            HistoryQuery(symbol: "BTCUSDT", pageSize: 2, pageToken: String(token.dropLast(2))),
        ]
        for query in misuses {
            #expect { try store.history.fills(query) } throws: { error in
                let e = error as? TradeStoreError
                return e?.kind == .invalidArgument && e?.description.contains("without a page token") == true
            }
        }
        #expect { try store.history.trades(HistoryQuery(symbol: "BTCUSDT", pageToken: token)) }
            throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
    }

    @Test func ordersAreSavedAndUpdatedByClientOrderID() throws {
        let store = try makeStore()
        var order = OrderRecord(clientOrderID: "te-1", time: 1_735_689_600_000, model: "balanced", symbol: "BTCUSDT",
                                side: .buy, type: .limit(Price(raw: 9_300_000_000_000)), quantity: Quantity(raw: 2_000_000),
                                reason: "breakout")
        let id = try store.history.saveOrders([order])[0]
        order.filledQuantity = Quantity(raw: 2_000_000)
        order.status = .filled
        order.updatedAt = 1_735_689_660_000
        #expect(try store.history.saveOrders([order]) == [id])
        order.id = id
        #expect(try store.history.order(clientOrderID: "te-1") == order)
        let market = OrderRecord(clientOrderID: "te-2", time: 1_735_689_720_000, model: "aggressive", symbol: "ETHUSDT",
                                 side: .sell, type: .market, quantity: Quantity(raw: 1))
        try store.history.saveOrders([market])
        #expect(try store.history.orders(HistoryQuery(model: "balanced")).items == [order])
        #expect(try store.history.orders(HistoryQuery()).items.map(\.clientOrderID) == ["te-1", "te-2"])
        #expect(try store.history.order(clientOrderID: "te-3") == nil)
    }

    @Test func signalsWithTheirOutcomesAndBreakerTransitions() throws {
        let store = try makeStore()
        let t0: Int64 = 1_735_689_600_000
        let signals = [
            SignalRecord(time: t0, model: "aggressive", symbol: "BTCUSDT", direction: .long, confidence: 0.71,
                         outcome: .accepted),
            SignalRecord(time: t0, model: "balanced", symbol: "BTCUSDT", direction: .short, confidence: 0.55,
                         outcome: .vetoed, rule: "self-cross", reasons: "aggressive is long BTCUSDT at 0.71 > 0.55"),
            SignalRecord(time: t0 + 60_000, model: "big_picture", symbol: "ETHUSDT", direction: .long, confidence: 0.9,
                         outcome: .resized, rule: "daily budget", reasons: "size 1.2 → 0.4: 700 of 1000 USDT loss budget used"),
        ]
        try store.history.recordSignals(signals)
        let vetoed = try store.history.signals(HistoryQuery(model: "balanced")).items
        #expect(vetoed.map { var s = $0; s.id = nil; return s } == [signals[1]])
        #expect(try store.history.signals(HistoryQuery(symbol: "ETHUSDT")).items.first?.reasons == signals[2].reasons)
        let breaker = BreakerTransition(time: t0, model: "aggressive", breaker: "daily_loss", from: "closed", to: "open",
                                        reason: "loss 702.5 ≥ limit 700")
        try store.history.recordBreakerTransitions([breaker])
        #expect(try store.history.breakerTransitions(HistoryQuery(model: "aggressive")).items.map(\.reason) == [breaker.reason])
    }

    @Test func theAuditLogIsAppendOnlyAndFilteredByTimeOnly() throws {
        let store = try makeStore()
        let entries = (0..<5).map { i in
            AuditEntry(time: 1_735_689_600_000 + Int64(i) * 1_000, caller: "CN=ops", role: "admin",
                       method: "Control/Rollback", request: "to_version: \(i)", outcome: i == 3 ? "FAILED_PRECONDITION: no such version" : "ok")
        }
        try store.history.recordAudit(entries)
        let page = try store.history.auditLog(HistoryQuery(from: entries[1].time, to: entries[3].time))
        #expect(page.items.map(\.request) == ["to_version: 1", "to_version: 2", "to_version: 3"])
        #expect { try store.history.auditLog(HistoryQuery(model: "balanced")) } throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
        #expect(throws: TradeStoreError.self) { try store.write { db in try db.execute(sql: "DELETE FROM audit_log") } }
        #expect(throws: TradeStoreError.self) { try store.write { db in try db.execute(sql: "UPDATE audit_log SET outcome = 'ok'") } }
    }
}
