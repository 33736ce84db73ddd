import Foundation
import TradeCore

/// Reads candle files: ours (`ts,open,high,low,close,volume`) or Binance kline CSV,
/// plain or gzip-compressed, detected from the content rather than the file name.
///
/// Every row is validated and every problem is a `CandleFileError` naming the file
/// and line, so bad data stops the import instead of reaching a backtest.
public enum CandleFileReader {
    /// Reads and checks the file at `path`.
    /// - Parameters:
    ///   - symbol: the trading pair; inferred from the file name when nil.
    ///   - interval: the bar interval; inferred as the most common step when nil.
    public static func read(path: String, symbol: String? = nil,
                            interval: Timeframe? = nil) throws(CandleFileError) -> CandleFile {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        let data: Data
        do {
            data = try Gzip.readMaybeCompressed(path: path)
        } catch let error as GzipError {
            throw CandleFileError(file: fileName, line: nil, message: error.description)
        } catch {
            throw CandleFileError(file: fileName, line: nil, message: "cannot read: \(error.localizedDescription)")
        }
        return try parse(data, path: path, symbol: symbol, interval: interval)
    }

    /// Parses file content already in memory (decompressed). `path` names the data
    /// in messages and, when `symbol` is nil, supplies the symbol.
    public static func parse(_ data: Data, path: String, symbol: String? = nil,
                             interval: Timeframe? = nil) throws(CandleFileError) -> CandleFile {
        let fileName = URL(fileURLWithPath: path).lastPathComponent
        guard let symbol = symbol ?? SymbolName.infer(fromFileName: fileName) else {
            throw CandleFileError(file: fileName, line: nil,
                                  message: "cannot infer the symbol from the file name; pass the symbol")
        }
        let parser = CandleRowParser(fileName: fileName)
        let rows = try data.withUnsafeBytes { bytes in
            Result { () throws(CandleFileError) in try parser.parse(bytes) }
        }.get()
        let resolved = try CandleInterval.resolve(rows.candles, given: interval, firstLine: rows.firstLine,
                                                  fileName: fileName)
        return CandleFile(path: path, symbol: symbol, interval: resolved, format: rows.format,
                          candles: rows.candles, gaps: GapReport(candles: rows.candles, interval: resolved),
                          zeroVolumeCount: rows.zeroVolumeCount)
    }
}
