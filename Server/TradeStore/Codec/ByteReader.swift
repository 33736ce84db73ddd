/// Why a stored record could not be decoded.
public struct ByteCodecError: Error, CustomStringConvertible, Equatable, Sendable {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads what `ByteWriter` wrote, checking every length against the bytes that
/// are really there: a truncated or damaged record is an error, never a crash or
/// a silently wrong value.
///
/// It reads in place from a buffer it does not own (SQLite's column memory, an
/// array's storage), so a whole journal decodes without copying payloads; use it
/// only inside the closure that lends the buffer.
public struct ByteReader {
    private let base: UnsafeRawBufferPointer
    public private(set) var offset = 0

    public init(_ buffer: UnsafeRawBufferPointer) { base = buffer }

    public var remaining: Int { base.count - offset }
    public var isAtEnd: Bool { offset == base.count }

    /// Calls `body` with a reader over `bytes`.
    public static func read<T>(_ bytes: [UInt8], _ body: (inout ByteReader) throws(ByteCodecError) -> T) throws(ByteCodecError) -> T {
        try bytes.withUnsafeBytes { buffer in
            Result { () throws(ByteCodecError) -> T in
                var reader = ByteReader(buffer)
                return try body(&reader)
            }
        }.get()
    }

    public mutating func readByte() throws(ByteCodecError) -> UInt8 {
        guard offset < base.count else { throw ByteCodecError("record ends early (byte \(offset))") }
        defer { offset += 1 }
        return base[offset]
    }

    public mutating func readBool() throws(ByteCodecError) -> Bool {
        switch try readByte() {
        case 0: return false
        case 1: return true
        case let b: throw ByteCodecError("byte \(offset - 1): \(b) is not a boolean")
        }
    }

    public mutating func readFixed() throws(ByteCodecError) -> UInt64 {
        guard remaining >= 8 else { throw ByteCodecError("record ends early (8 bytes needed at \(offset))") }
        var value: UInt64 = 0
        withUnsafeMutableBytes(of: &value) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: base[offset..<offset + 8])) }
        offset += 8
        return UInt64(littleEndian: value)
    }

    public mutating func readDouble() throws(ByteCodecError) -> Double { Double(bitPattern: try readFixed()) }

    public mutating func readVarint() throws(ByteCodecError) -> UInt64 {
        var result: UInt64 = 0
        var shift: UInt64 = 0
        while true {
            let byte = try readByte()
            if shift == 63 && byte > 1 { throw ByteCodecError("varint at \(offset) overflows 64 bits") }
            result |= UInt64(byte & 0x7F) << shift
            if byte < 0x80 { return result }
            shift += 7
        }
    }

    public mutating func readSignedVarint() throws(ByteCodecError) -> Int64 {
        let v = try readVarint()
        return Int64(bitPattern: (v >> 1) ^ (0 &- (v & 1)))
    }

    /// A signed varint that must fit an `Int` (indices, counts).
    public mutating func readInt() throws(ByteCodecError) -> Int {
        let v = try readSignedVarint()
        guard let i = Int(exactly: v) else { throw ByteCodecError("\(v) does not fit an Int") }
        return i
    }

    public mutating func readInt128() throws(ByteCodecError) -> Int128 {
        var result: UInt128 = 0
        var shift: UInt128 = 0
        while true {
            let byte = try readByte()
            if shift == 126 && byte > 3 { throw ByteCodecError("varint at \(offset) overflows 128 bits") }
            result |= UInt128(byte & 0x7F) << shift
            if byte < 0x80 { break }
            shift += 7
        }
        return Int128(bitPattern: (result >> 1) ^ (0 &- (result & 1)))
    }

    /// A length prefix that the rest of the record can actually hold.
    private mutating func readLength() throws(ByteCodecError) -> Int {
        let n = try readVarint()
        guard n <= UInt64(remaining) else {
            throw ByteCodecError("length \(n) at \(offset) exceeds the \(remaining) bytes left")
        }
        return Int(n)
    }

    public mutating func readString() throws(ByteCodecError) -> String {
        let n = try readLength()
        defer { offset += n }
        let slice = UnsafeRawBufferPointer(rebasing: base[offset..<offset + n])
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ByteCodecError("string at \(offset) is not valid UTF-8")
        }
        return text
    }

    public mutating func readBytes() throws(ByteCodecError) -> [UInt8] {
        let n = try readLength()
        defer { offset += n }
        return Array(base[offset..<offset + n])
    }

    /// Every byte must have been read: trailing bytes mean the layout is not the
    /// one this build writes.
    public func expectEnd() throws(ByteCodecError) {
        guard isAtEnd else { throw ByteCodecError("\(remaining) unexpected bytes after the record") }
    }
}
