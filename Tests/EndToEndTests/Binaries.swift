import Foundation
import TestSupport

/// The built `tradeengine` and `tradectl` executables: the test target depends on
/// both, so SwiftPM builds them beside the test bundle (`ProductBinary`).
/// `TRADEENGINE_BIN_DIR` overrides the folder.
enum Binaries {
    static var folder: URL {
        if let env = ProcessInfo.processInfo.environment["TRADEENGINE_BIN_DIR"], !env.isEmpty { return URL(fileURLWithPath: env) }
        return ProductBinary.buildDirectory
    }

    static var tradectl: String { folder.appendingPathComponent("tradectl").path }
    static var tradeengine: String { folder.appendingPathComponent("tradeengine").path }
}
