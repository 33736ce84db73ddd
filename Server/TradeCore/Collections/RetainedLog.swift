/// An append-only log that can let go of its oldest entries once they are kept
/// elsewhere (a hosted run's store), so a run of months holds only its recent past.
///
/// Indices are absolute: the n-th entry ever appended keeps index n after older
/// ones are dropped, so ids derived from positions (`orders[id − 1]`) and
/// "seen so far" counters stay right. `endIndex` is how many were ever appended;
/// `count` is how many are still held — they differ only after `forget(before:)`,
/// which a backtest never calls.
public struct RetainedLog<Element>: RandomAccessCollection, MutableCollection {
    public private(set) var startIndex = 0
    /// Storage; entries before `head` are forgotten but not yet compacted away.
    private var items: [Element] = []
    private var head = 0

    public init() {}
    public init(_ elements: [Element]) { items = elements }

    public var endIndex: Int { startIndex + items.count - head }

    public subscript(position: Int) -> Element {
        get { items[head + position - startIndex] }
        set { items[head + position - startIndex] = newValue }
    }

    public mutating func append(_ element: Element) { items.append(element) }
    public mutating func reserveCapacity(_ n: Int) { items.reserveCapacity(n) }

    /// Whether entry `index` was appended and is no longer held.
    public func isForgotten(_ index: Int) -> Bool { index >= 0 && index < startIndex }

    /// Drops every entry before `index` (clamped to what is held). The storage
    /// shrinks only once the dropped part is at least as large as what is kept, so
    /// forgetting after every batch costs amortised O(1) per entry.
    public mutating func forget(before index: Int) {
        let cut = Swift.min(Swift.max(index, startIndex), endIndex) - startIndex
        guard cut > 0 else { return }
        startIndex += cut
        head += cut
        if head == items.count {
            items.removeAll(keepingCapacity: items.capacity <= 4096)
            head = 0
        } else if head >= items.count - head {
            items.removeFirst(head)
            head = 0
        }
    }

    /// The entries held, oldest first.
    public var held: ArraySlice<Element> { items[head...] }
}

extension RetainedLog: Sendable where Element: Sendable {}
extension RetainedLog: Equatable where Element: Equatable {
    /// Same entries from the same index (copies of one log compare by their shared storage, as arrays do).
    public static func == (a: Self, b: Self) -> Bool {
        guard a.startIndex == b.startIndex else { return false }
        return a.head == b.head ? a.items == b.items : a.held == b.held
    }
}

/// Coded as `{"first": index of the first entry held, "items": [...]}`; a plain array
/// (snapshots from before the log could forget) decodes as entries from index 0.
extension RetainedLog: Codable where Element: Codable {
    private enum CodingKeys: String, CodingKey { case first, items }

    public init(from decoder: any Decoder) throws {
        if let array = try? decoder.singleValueContainer().decode([Element].self) {
            self.init(array)
            return
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        let first = try c.decode(Int.self, forKey: .first)
        guard first >= 0 else {
            throw DecodingError.dataCorruptedError(forKey: .first, in: c, debugDescription: "the first index held is negative")
        }
        self.init(try c.decode([Element].self, forKey: .items))
        startIndex = first
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(startIndex, forKey: .first)
        try c.encode(Array(held), forKey: .items)
    }
}
