/// Up to `capacity` Doubles stored inline (no heap), so the online HMM filter
/// can keep and return its per-state probabilities without allocating on
/// every bar. `capacity` bounds the HMM's state count: more than 8 regimes
/// are not identifiable from one return series anyway.
public struct StateVector: RandomAccessCollection, Sendable, Equatable {
    public static let capacity = 8

    private var storage: (Double, Double, Double, Double, Double, Double, Double, Double) = (0, 0, 0, 0, 0, 0, 0, 0)
    public let count: Int

    /// `count` zeros.
    public init(count: Int) {
        precondition((0...Self.capacity).contains(count), "StateVector holds at most \(Self.capacity) values")
        self.count = count
    }

    /// A copy of `values` (at most `capacity` of them).
    public init(_ values: some Collection<Double>) {
        self.init(count: values.count)
        for (i, v) in values.enumerated() { self[i] = v }
    }

    public var startIndex: Int { 0 }
    public var endIndex: Int { count }

    public subscript(i: Int) -> Double {
        get {
            precondition(i >= 0 && i < count, "StateVector index out of range")
            return withUnsafeBytes(of: storage) { $0.load(fromByteOffset: i &* MemoryLayout<Double>.stride, as: Double.self) }
        }
        set {
            precondition(i >= 0 && i < count, "StateVector index out of range")
            withUnsafeMutableBytes(of: &storage) {
                $0.storeBytes(of: newValue, toByteOffset: i &* MemoryLayout<Double>.stride, as: Double.self)
            }
        }
    }

    /// The first `count` slots as a typed buffer, for the inner loops.
    mutating func withUnsafeMutableBufferPointer<R>(_ body: (UnsafeMutableBufferPointer<Double>) throws -> R) rethrows -> R {
        let n = count
        return try withUnsafeMutablePointer(to: &storage) { tuple in
            try tuple.withMemoryRebound(to: Double.self, capacity: Self.capacity) {
                try body(UnsafeMutableBufferPointer(start: $0, count: n))
            }
        }
    }

    public static func == (a: StateVector, b: StateVector) -> Bool { a.elementsEqual(b) }
}

/// Snapshots encode the probabilities as a plain array.
extension StateVector: Codable {
    public init(from decoder: Decoder) throws {
        let values = try [Double](from: decoder)
        guard values.count <= Self.capacity else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "StateVector holds at most \(Self.capacity) states, got \(values.count)"))
        }
        self.init(count: values.count)
        for (i, v) in values.enumerated() { self[i] = v }
    }

    public func encode(to encoder: Encoder) throws { try Array(self).encode(to: encoder) }
}
