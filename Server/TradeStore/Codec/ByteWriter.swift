/// A small binary encoder: little-endian fixed-width numbers, LEB128 varints
/// (zig-zag for signed values) and length-prefixed UTF-8 strings.
///
/// Journal payloads use it instead of JSON because a candle event must cost a
/// few dozen bytes and no allocation beyond the buffer: the journal has to take
/// hundreds of thousands of events a second. Engine snapshots can use it too, so
/// the whole durable state shares one codec. The layout of every record is fixed
/// by its writer and reader; changing one is a schema change.
public struct ByteWriter: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 64) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public var count: Int { bytes.count }

    /// Empties the buffer, keeping its memory for the next record.
    public mutating func removeAll() { bytes.removeAll(keepingCapacity: true) }

    public mutating func write(_ value: UInt8) { bytes.append(value) }

    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// 8 bytes, little-endian.
    public mutating func writeFixed(_ value: UInt64) {
        withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }

    /// A `Double` as its IEEE bit pattern: exact, including -0, NaN payloads and infinities.
    public mutating func write(_ value: Double) { writeFixed(value.bitPattern) }

    /// Unsigned LEB128: 7 bits per byte, high bit set on every byte but the last.
    public mutating func writeVarint(_ value: UInt64) {
        var v = value
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Zig-zag then LEB128, so small negative numbers stay short.
    public mutating func writeVarint(_ value: Int64) {
        writeVarint(UInt64(bitPattern: (value << 1) ^ (value >> 63)))
    }

    public mutating func writeVarint(_ value: Int) { writeVarint(Int64(value)) }

    /// Zig-zag LEB128 of a 128-bit value (exact money).
    public mutating func writeVarint(_ value: Int128) {
        var v = UInt128(bitPattern: (value << 1) ^ (value >> 127))
        while v >= 0x80 {
            bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    /// Length (varint) then UTF-8 bytes.
    public mutating func write(_ value: String) {
        var text = value
        text.withUTF8 { utf8 in
            writeVarint(UInt64(utf8.count))
            bytes.append(contentsOf: utf8)
        }
    }

    /// Length (varint) then the bytes.
    public mutating func write(bytes value: [UInt8]) {
        writeVarint(UInt64(value.count))
        bytes.append(contentsOf: value)
    }
}
