import GRDB

/// How one history list is stored: its table, columns, which filters apply, and
/// how a row becomes a record. One generic pager serves every list.
struct HistoryTable<Record: Sendable>: Sendable {
    let name: String
    /// Columns after `id` and `time`, in the order `values` gives them.
    let columns: [String]
    /// False for lists without model/symbol columns (the audit log).
    let filtersByModelAndSymbol: Bool
    /// False for lists without a `run` column (the audit log).
    let hasRun: Bool
    /// The column `HistoryQuery.states` filters (orders' status, signals' outcome); nil when the list has none.
    var stateColumn: String? = nil
    let values: @Sendable (Record) -> [any DatabaseValueConvertible & Sendable]
    let decode: @Sendable (Row) throws -> Record

    /// What a page or single-row read selects.
    var selection: String { "id, time, " + (hasRun ? "run, " : "") + columns.joined(separator: ", ") }

    /// Inserts `records` as rows of `run` (ignored by lists without runs).
    func insert(_ records: [Record], run: Int64 = 0, time: (Record) -> Int64, _ db: Database) throws -> [Int64] {
        let sql = "INSERT INTO \(name) (time, \(hasRun ? "run, " : "")\(columns.joined(separator: ", "))) "
            + "VALUES (?\(hasRun ? ", ?" : "")\(String(repeating: ", ?", count: columns.count)))"
        let statement = try db.cachedStatement(sql: sql)
        var ids: [Int64] = []
        ids.reserveCapacity(records.count)
        for record in records {
            let head: [any DatabaseValueConvertible & Sendable] = hasRun ? [time(record), run] : [time(record)]
            try statement.execute(arguments: StatementArguments(head + values(record)))
            ids.append(db.lastInsertedRowID)
        }
        return ids
    }

    /// One page of the list, in (time, id) order, after the query's cursor.
    func page(_ query: HistoryQuery, _ db: Database) throws -> HistoryPage<Record> {
        var (conditions, arguments) = try filters(query)
        if let token = query.pageToken {
            let cursor = try PageCursor(token: token, table: name, query: query)
            conditions.append(query.newestFirst ? "(time, id) < (?, ?)" : "(time, id) > (?, ?)")
            arguments.append(cursor.time)
            arguments.append(cursor.id)
        }
        let direction = query.newestFirst ? "DESC" : "ASC"
        let sql = "SELECT \(selection) FROM \(name)"
            + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
            + " ORDER BY time \(direction), id \(direction) LIMIT \(query.pageSize + 1)"
        let rows = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments))
        let more = rows.count > query.pageSize
        let kept = rows.prefix(query.pageSize)
        let items = try kept.map(decode)
        var next: String?
        if more, let last = kept.last {
            next = PageCursor(table: name, newestFirst: query.newestFirst, filter: PageCursor.fingerprint(query),
                              time: last["time"], id: last["id"]).token
        }
        return HistoryPage(items: items, nextPageToken: next)
    }

    /// How many rows match the query's filters.
    func count(_ query: HistoryQuery, _ db: Database) throws -> Int {
        let (conditions, arguments) = try filters(query)
        let sql = "SELECT COUNT(*) FROM \(name)" + (conditions.isEmpty ? "" : " WHERE " + conditions.joined(separator: " AND "))
        return try Int.fetchOne(db, sql: sql, arguments: StatementArguments(arguments)) ?? 0
    }

    /// The WHERE conditions of the query's filters (not its cursor), validated.
    private func filters(_ query: HistoryQuery) throws -> ([String], [any DatabaseValueConvertible]) {
        try Self.validate(query, filtersByModelAndSymbol: filtersByModelAndSymbol, hasRun: hasRun, list: name)
        var conditions: [String] = []
        var arguments: [any DatabaseValueConvertible] = []
        if let from = query.from { conditions.append("time >= ?"); arguments.append(from) }
        if let to = query.to { conditions.append("time <= ?"); arguments.append(to) }
        if let model = query.model { conditions.append("model = ?"); arguments.append(model) }
        if let symbol = query.symbol { conditions.append("symbol = ?"); arguments.append(symbol) }
        if let run = query.run { conditions.append("run = ?"); arguments.append(run) }
        if !query.states.isEmpty {
            guard let stateColumn else { throw TradeStoreError.invalid("\(name) entries have no status or outcome to filter by") }
            conditions.append("\(stateColumn) IN (\(query.states.map { _ in "?" }.joined(separator: ", ")))")
            arguments += query.states.sorted() as [any DatabaseValueConvertible]
        }
        return (conditions, arguments)
    }

    static func validate(_ query: HistoryQuery, filtersByModelAndSymbol: Bool, hasRun: Bool,
                         list: String) throws(TradeStoreError) {
        guard (1...HistoryQuery.maximumPageSize).contains(query.pageSize) else {
            throw .invalid("page_size must be between 1 and \(HistoryQuery.maximumPageSize), got \(query.pageSize)")
        }
        if let from = query.from, let to = query.to, from > to {
            throw .invalid("the time range is empty: from \(from) is after to \(to)")
        }
        if !filtersByModelAndSymbol, query.model != nil || query.symbol != nil {
            throw .invalid("\(list) entries have no model or symbol; filter them by time only")
        }
        if let run = query.run {
            guard hasRun else { throw .invalid("\(list) entries belong to no run; filter them by time only") }
            guard run >= 0 else { throw .invalid("run must be 0 (rows written outside runs) or a run id, got \(run)") }
        }
    }
}
