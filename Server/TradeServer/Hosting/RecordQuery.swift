/// Filter and page of a list query, already validated by the service layer.
public struct RecordQuery: Sendable, Equatable {
    /// Inclusive lower and exclusive upper bound on the item's time (Unix ms).
    public var from: Int64?
    public var to: Int64?
    public var symbol: String?
    public var model: String?
    /// Items to skip (decoded from the page token) and to return.
    public var offset: Int
    public var limit: Int
    /// Where the previous page ended in a list read from the store (its keyset cursor); nil for the
    /// first page, or a list paged by offset alone.
    public var cursor: String?

    public init(from: Int64? = nil, to: Int64? = nil, symbol: String? = nil, model: String? = nil,
                offset: Int = 0, limit: Int = 100, cursor: String? = nil) {
        self.cursor = cursor
        self.from = from
        self.to = to
        self.symbol = symbol
        self.model = model
        self.offset = offset
        self.limit = limit
    }

    public func matches(time: Int64, symbol: String, model: String?) -> Bool {
        if let from, time < from { return false }
        if let to, time >= to { return false }
        if let s = self.symbol, s != symbol { return false }
        if let m = self.model, let model, m != model { return false }
        return true
    }

    /// Filters `items` in order and cuts one page; `total` counts every match.
    public func page<T>(_ items: some Sequence<T>, time: (T) -> Int64, symbol: (T) -> String,
                        model: (T) -> String? = { _ in nil }) -> RecordPage<T> {
        var result: [T] = []
        var total = 0
        for item in items where matches(time: time(item), symbol: symbol(item), model: model(item)) {
            if total >= offset && result.count < limit { result.append(item) }
            total += 1
        }
        return RecordPage(items: result, total: total, offset: offset)
    }
}

/// One page of a list, with where the next one starts.
public struct RecordPage<T: Sendable>: Sendable {
    public var items: [T]
    /// Matches in all pages.
    public var total: Int
    public var offset: Int
    /// For a list read from the store: the cursor the next page starts after.
    public var nextCursor: String?

    public init(items: [T], total: Int, offset: Int, nextCursor: String? = nil) {
        self.items = items
        self.total = total
        self.offset = offset
        self.nextCursor = nextCursor
    }

    /// Offset of the next page, nil on the last.
    public var nextOffset: Int? {
        let next = offset + items.count
        return next < total && !items.isEmpty ? next : nil
    }
}

extension RecordPage: Equatable where T: Equatable {}
