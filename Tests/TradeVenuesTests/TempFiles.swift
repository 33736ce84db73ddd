import Foundation

/// Small candle files written to a fresh temporary folder, so each test controls
/// the exact bytes and the file name that errors must quote.
struct TempFiles {
    let folder: URL = FileManager.default.temporaryDirectory
        .appendingPathComponent("candlefile-\(UUID().uuidString)", isDirectory: true)

    init() throws {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    }

    func write(_ bytes: Data, name: String) throws -> String {
        let url = folder.appendingPathComponent(name)
        try bytes.write(to: url)
        return url.path
    }

    func write(_ text: String, name: String) throws -> String { try write(Data(text.utf8), name: name) }
}
