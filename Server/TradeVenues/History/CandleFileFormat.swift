/// The column layouts the reader understands. Both start with the same six
/// columns (open time, open, high, low, close, volume), so one row parser serves both.
public enum CandleFileFormat: Sendable, Equatable {
    /// Ours: header exactly `ts,open,high,low,close,volume`, `ts` = open time in Unix ms.
    case standard
    /// Binance kline CSV (data.binance.vision): 12 columns, usually without a header.
    /// Open times are Unix ms, or µs in Binance's spot files from 2025 on; the reader
    /// tells them apart per row by magnitude and converts µs to ms.
    case binanceKlines(hasHeader: Bool)

    static let standardHeader = "ts,open,high,low,close,volume"

    static let binanceColumns = [
        "open_time", "open", "high", "low", "close", "volume", "close_time",
        "quote_asset_volume", "number_of_trades", "taker_buy_base", "taker_buy_quote", "ignore",
    ]

    /// Column names used in messages; Binance's first six match ours in meaning.
    var columnNames: [String] {
        switch self {
        case .standard: return ["ts", "open", "high", "low", "close", "volume"]
        case .binanceKlines: return Self.binanceColumns
        }
    }

    var columnCount: Int { columnNames.count }

    /// Whether line 1 is a header rather than the first candle.
    var hasHeader: Bool {
        switch self {
        case .standard: return true
        case .binanceKlines(let hasHeader): return hasHeader
        }
    }

    /// Recognises the format from the first line (without its line terminator).
    ///
    /// Our header must match exactly. A Binance header is recognised by 12 columns
    /// starting with an `open_time` column (Binance has spelled the later names in
    /// more than one way); a headerless Binance file by 12 columns starting with an
    /// integer. Returns nil for anything else, including a headerless 6-column file:
    /// without the header nothing says its first column is milliseconds.
    static func detect(firstLine: Substring) -> CandleFileFormat? {
        if firstLine == standardHeader { return .standard }
        let fields = firstLine.split(separator: ",", omittingEmptySubsequences: false)
        guard fields.count == binanceColumns.count else { return nil }
        let first = fields[0].lowercased().filter { $0 != "_" && $0 != " " }
        if first == "opentime" { return .binanceKlines(hasHeader: true) }
        if !fields[0].isEmpty, fields[0].allSatisfy(\.isASCIIDigit) { return .binanceKlines(hasHeader: false) }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isWholeNumber }
}
