/// The one error a candle file can produce, from I/O to a bad field.
///
/// `description` reads like a compiler diagnostic — `BTCUSDT-1m.csv:1234: high
/// 93000.5 is below open 93100.0` — so a broken file can be fixed by opening it at
/// the named line. Problems that belong to no single line (unreadable file, corrupt
/// gzip, no candles) carry `line == nil`.
public struct CandleFileError: Error, CustomStringConvertible, Equatable, Sendable {
    /// The file's name (last path component), as it appears in the message.
    public let file: String
    /// 1-based line number in the (decompressed) text, if the problem has one.
    public let line: Int?
    /// What is wrong, quoting the offending text.
    public let message: String

    public init(file: String, line: Int?, message: String) {
        self.file = file
        self.line = line
        self.message = message
    }

    public var description: String {
        if let line { return "\(file):\(line): \(message)" }
        return "\(file): \(message)"
    }
}
