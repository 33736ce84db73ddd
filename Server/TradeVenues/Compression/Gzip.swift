import CZlib
import Foundation

/// Errors reading compressed candle files.
public struct GzipError: Error, CustomStringConvertible {
    public let description: String
}

/// Whole-file gzip decompression with zlib (multi-member streams included, as
/// `gzip -dc` does). Files here are a few MB; reading them whole is the simple,
/// fast choice.
public enum Gzip {
    public static func isGzip(_ data: Data) -> Bool {
        data.count >= 2 && data[data.startIndex] == 0x1f && data[data.startIndex + 1] == 0x8b
    }

    public static func decompress(_ input: Data) throws -> Data {
        var output = Data()
        output.reserveCapacity(input.count * 4)
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header.
        guard inflateInit2_(&stream, 16 + MAX_WBITS, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw GzipError(description: "zlib: could not initialise the inflater")
        }
        defer { inflateEnd(&stream) }
        let chunk = 1 << 18
        var buffer = [UInt8](repeating: 0, count: chunk)
        try input.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            guard let base = raw.bindMemory(to: Bytef.self).baseAddress else { return }
            stream.next_in = UnsafeMutablePointer(mutating: base)
            stream.avail_in = uInt(raw.count)
            while true {
                let status: Int32 = buffer.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = uInt(chunk)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk - Int(stream.avail_out)
                output.append(buffer, count: produced)
                if status == Z_STREAM_END {
                    // Another gzip member may follow.
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw GzipError(description: "zlib: could not reset between gzip members")
                    }
                    continue
                }
                // Input used up before the stream's end: zlib says Z_BUF_ERROR (no progress possible).
                if stream.avail_in == 0 && (status == Z_BUF_ERROR || produced == 0) {
                    throw GzipError(description: "truncated gzip data (unexpected end of file)")
                }
                if status != Z_OK {
                    let message = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw GzipError(description: "corrupt gzip data: \(message)")
                }
            }
        }
        return output
    }

    /// Reads a file and decompresses it if it starts with the gzip magic bytes.
    public static func readMaybeCompressed(path: String) throws -> Data {
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        return isGzip(data) ? try decompress(data) : data
    }
}
