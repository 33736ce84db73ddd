/// Fixed-capacity circular buffer of `Double`, the rolling window behind most
/// indicators. Storage is allocated once in `init`; `push` never allocates.
///
/// Elements are addressed by age (`self[0]` is the oldest). `slot(_:)` gives the
/// physical order instead — the order TA-Lib's `CIRCBUF` loops sum in, which an
/// indicator must follow when it wants TA-Lib's rounding bit for bit (CCI).
/// The first push goes to slot 0, as in TA-Lib.
public struct RingBuffer: Sendable, Codable {
    public let capacity: Int
    public private(set) var count = 0
    private var storage: ContiguousArray<Double>
    /// Physical slot the next push writes.
    private var next = 0

    public init(capacity: Int) {
        precondition(capacity >= 1, "RingBuffer capacity must be ≥ 1")
        self.capacity = capacity
        storage = ContiguousArray(repeating: 0, count: capacity)
    }

    public var isFull: Bool { count == capacity }

    /// The same contents in a buffer of `newCapacity`: the newest
    /// min(count, newCapacity) elements, oldest first.
    public func resized(to newCapacity: Int) -> RingBuffer {
        var copy = RingBuffer(capacity: newCapacity)
        for age in max(0, count - newCapacity)..<count { copy.push(self[age]) }
        return copy
    }

    /// Appends `x`. Once the buffer is full the oldest element is overwritten and
    /// returned, so a caller keeping a running sum can take it out.
    @discardableResult
    public mutating func push(_ x: Double) -> Double? {
        let slot = next
        next = slot + 1 == capacity ? 0 : slot + 1
        guard count == capacity else {
            storage[slot] = x
            count += 1
            return nil
        }
        let evicted = storage[slot]
        storage[slot] = x
        return evicted
    }

    /// Element by age: `self[0]` is the oldest, `self[count - 1]` the newest.
    public subscript(age: Int) -> Double {
        precondition(age >= 0 && age < count, "RingBuffer age out of range")
        // `next - count` is the oldest element's slot, shifted down by `capacity` once full.
        var slot = next - count + age
        if slot < 0 { slot += capacity }
        return storage[slot]
    }

    public var oldest: Double { self[0] }

    /// Element by physical slot, `0 ..< count`.
    public func slot(_ index: Int) -> Double {
        precondition(index >= 0 && index < count, "RingBuffer slot out of range")
        return storage[index]
    }
}
