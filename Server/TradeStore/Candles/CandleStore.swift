import GRDB
import TradeCore

extension TradeStore {
    /// Candles keyed by (venue, symbol, interval, open time), upserted.
    public var candles: CandleStore { CandleStore(store: self) }
}

/// One stored candle series: a symbol's bars of one interval from one venue.
public struct CandleSeriesKey: Sendable, Hashable, CustomStringConvertible {
    public var venue: String
    public var symbol: String
    public var interval: Timeframe

    public init(venue: String, symbol: String, interval: Timeframe) {
        self.venue = venue
        self.symbol = symbol
        self.interval = interval
    }

    public var description: String { "\(venue)/\(symbol)/\(interval.name)" }
}

/// What an upsert did to each row it was given.
public struct CandleUpsertResult: Sendable, Equatable {
    /// Rows that were not stored before.
    public var inserted = 0
    /// Rows stored before with different values, now replaced.
    public var updated = 0
    /// Rows stored before with the very same values (a re-import).
    public var unchanged = 0

    public init(inserted: Int = 0, updated: Int = 0, unchanged: Int = 0) {
        self.inserted = inserted
        self.updated = updated
        self.unchanged = unchanged
    }
}

/// A stored series and its extent.
public struct CandleSeriesInfo: Sendable, Equatable {
    public var key: CandleSeriesKey
    public var count: Int
    public var firstOpenTime: Int64
    public var lastOpenTime: Int64
}

public struct CandleStore: Sendable {
    let store: TradeStore

    /// Inserts or replaces `candles` (increasing open times on the interval's
    /// grid) in one transaction. Importing the same data twice leaves the same
    /// rows: the second time every row is `unchanged`, and nothing is rewritten.
    ///
    /// Counting without a read per row: the rows already in the batch's time span
    /// are counted before and after, and SQLite's change counter says how many rows
    /// were written; an upsert whose values are equal is skipped by its `WHERE`
    /// and does not count.
    @discardableResult
    public func upsert(_ candles: [Candle], into key: CandleSeriesKey) throws(TradeStoreError) -> CandleUpsertResult {
        try Self.validate(candles, key)
        guard let first = candles.first, let last = candles.last else { return CandleUpsertResult() }
        return try store.write { db in
            let series = try Self.seriesID(key, db, create: true)!
            let countSQL = "SELECT count(*) FROM candles WHERE series_id = ? AND open_time BETWEEN ? AND ?"
            let before = try Int.fetchOne(db, sql: countSQL, arguments: [series, first.openTime, last.openTime]) ?? 0
            let changesBefore = db.totalChangesCount
            let upsert = try RawStatement(db, """
                INSERT INTO candles (series_id, open_time, open, high, low, close, volume) VALUES (?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (series_id, open_time) DO UPDATE SET
                    open = excluded.open, high = excluded.high, low = excluded.low,
                    close = excluded.close, volume = excluded.volume
                WHERE open IS NOT excluded.open OR high IS NOT excluded.high OR low IS NOT excluded.low
                    OR close IS NOT excluded.close OR volume IS NOT excluded.volume
                """)
            upsert.bind(1, series)
            for c in candles {
                upsert.bind(2, c.openTime)
                upsert.bind(3, c.open)
                upsert.bind(4, c.high)
                upsert.bind(5, c.low)
                upsert.bind(6, c.close)
                upsert.bind(7, c.volume)
                try upsert.execute()
            }
            let written = db.totalChangesCount - changesBefore
            let after = try Int.fetchOne(db, sql: countSQL, arguments: [series, first.openTime, last.openTime]) ?? 0
            let inserted = after - before
            return CandleUpsertResult(inserted: inserted, updated: written - inserted,
                                      unchanged: candles.count - written)
        }
    }

    /// The series' candles with open time in `from...to` (either end open when nil), in time order.
    public func range(_ key: CandleSeriesKey, from: Int64? = nil, to: Int64? = nil) throws(TradeStoreError) -> [Candle] {
        try store.read { db in
            guard let series = try Self.seriesID(key, db, create: false) else { return [] }
            let select = try RawStatement(db, """
                SELECT open_time, open, high, low, close, volume FROM candles
                WHERE series_id = ? AND open_time BETWEEN ? AND ? ORDER BY open_time
                """)
            defer { select.reset() }
            select.bind(1, series)
            select.bind(2, from ?? Int64.min)
            select.bind(3, to ?? Int64.max)
            var candles: [Candle] = []
            while try select.step() {
                candles.append(Candle(openTime: select.int64(0), open: select.double(1), high: select.double(2),
                                      low: select.double(3), close: select.double(4), volume: select.double(5)))
            }
            return candles
        }
    }

    /// The candles in `from...to` as a replay needs them: with the bar index of the
    /// first (its row in the whole series), so bars are numbered as in a replay of
    /// the imported file. Empty when the window holds none.
    public func window(_ key: CandleSeriesKey, from: Int64? = nil, to: Int64? = nil) throws(TradeStoreError) -> (candles: [Candle], firstBarIndex: Int) {
        let candles = try range(key, from: from, to: to)
        guard let first = candles.first else { return ([], 0) }
        return (candles, try count(key, before: first.openTime))
    }

    /// How many of the series' candles open before `time`: the bar index of the
    /// first candle at or after it, so a replay from the store numbers bars as a
    /// replay of the imported file does.
    public func count(_ key: CandleSeriesKey, before time: Int64) throws(TradeStoreError) -> Int {
        try store.read { db in
            guard let series = try Self.seriesID(key, db, create: false) else { return 0 }
            return try Int.fetchOne(db, sql: "SELECT count(*) FROM candles WHERE series_id = ? AND open_time < ?",
                                    arguments: [series, time]) ?? 0
        }
    }

    /// Every stored series with its row count and time span, ordered by venue, symbol, interval.
    public func series() throws(TradeStoreError) -> [CandleSeriesInfo] {
        try store.read { db in
            try Row.fetchAll(db, sql: """
                SELECT s.venue, s.symbol, s.interval, count(*) AS n, min(c.open_time) AS first, max(c.open_time) AS last
                FROM candle_series s JOIN candles c ON c.series_id = s.id
                GROUP BY s.id ORDER BY s.venue, s.symbol, s.interval
                """).compactMap { row in
                guard let interval = Timeframe(name: row["interval"]) else { return nil }
                return CandleSeriesInfo(key: CandleSeriesKey(venue: row["venue"], symbol: row["symbol"], interval: interval),
                                        count: row["n"], firstOpenTime: row["first"], lastOpenTime: row["last"])
            }
        }
    }

    static func validate(_ candles: [Candle], _ key: CandleSeriesKey) throws(TradeStoreError) {
        guard !key.venue.isEmpty, !key.symbol.isEmpty else {
            throw .invalid("a candle series needs a venue and a symbol, got '\(key.venue)' and '\(key.symbol)'")
        }
        var previous = Int64.min
        for (i, c) in candles.enumerated() {
            guard c.openTime > previous else {
                throw .invalid("\(key): candle \(i) opens at \(c.openTime), not after the previous one (\(previous)); "
                    + "candles must be in increasing time order, without duplicates")
            }
            guard key.interval.bucketStart(c.openTime) == c.openTime else {
                throw .invalid("\(key): candle \(i) opens at \(c.openTime), which is not on the \(key.interval.name) grid")
            }
            previous = c.openTime
        }
    }

    static func seriesID(_ key: CandleSeriesKey, _ db: Database, create: Bool) throws -> Int64? {
        let arguments: StatementArguments = [key.venue, key.symbol, key.interval.name]
        if create {
            try db.execute(sql: "INSERT OR IGNORE INTO candle_series (venue, symbol, interval) VALUES (?, ?, ?)",
                           arguments: arguments)
        }
        return try Int64.fetchOne(db, sql: "SELECT id FROM candle_series WHERE venue = ? AND symbol = ? AND interval = ?",
                                  arguments: arguments)
    }
}
