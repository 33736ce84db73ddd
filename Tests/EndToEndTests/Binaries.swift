import Foundation

/// Finds the built `tradeengine` and `tradectl` executables: the test target
/// depends on both, so SwiftPM builds them next to the test bundle.
/// `TRADEENGINE_BIN_DIR` overrides the folder.
enum Binaries {
    static let folder: URL = {
        let fm = FileManager.default
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["TRADEENGINE_BIN_DIR"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(Bundle.main.bundleURL)
        candidates.append(Bundle.main.bundleURL.deletingLastPathComponent())
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug"))
        candidates.append(root.appendingPathComponent(".build/release"))
        for c in candidates where fm.isExecutableFile(atPath: c.appendingPathComponent("tradectl").path)
            && fm.isExecutableFile(atPath: c.appendingPathComponent("tradeengine").path) {
            return c
        }
        fatalError("tradectl and tradeengine not found in \(candidates.map(\.path)); build them or set TRADEENGINE_BIN_DIR")
    }()

    static var tradectl: String { folder.appendingPathComponent("tradectl").path }
    static var tradeengine: String { folder.appendingPathComponent("tradeengine").path }
}
