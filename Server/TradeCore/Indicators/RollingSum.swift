/// Sum of the last `period` values, O(1) per update, that does not drift.
///
/// A plain running sum (add the new value, subtract the departing one) keeps
/// every rounding error forever, scaled by the largest value it ever held.
/// Neumaier's compensated summation carries those errors in a second term, so
/// after millions of updates the sum is still correct to a few ulp of the
/// window's own sum.
struct RollingSum: Sendable, Codable {
    let period: Int
    private var window: RingBuffer
    private var sum = 0.0
    private var compensation = 0.0

    init(period: Int) {
        precondition(period >= 1, "RollingSum period must be ≥ 1")
        self.period = period
        window = RingBuffer(capacity: period)
    }

    /// True once `period` values have been added.
    var isFull: Bool { window.isFull }

    /// Sum of the values in the window.
    var value: Double { sum + compensation }

    mutating func update(_ x: Double) {
        if let departing = window.push(x) { add(-departing) }
        add(x)
    }

    private mutating func add(_ x: Double) {
        let t = sum + x
        // The exact rounding error of `sum + x` (Fast2Sum on the larger operand).
        if abs(sum) >= abs(x) {
            compensation += (sum - t) + x
        } else {
            compensation += (x - t) + sum
        }
        sum = t
    }
}
