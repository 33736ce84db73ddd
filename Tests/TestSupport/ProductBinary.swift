import Foundation

/// Runs a product binary built beside the test bundle (`.build/<config>/NAME`).
public enum ProductBinary {
    public struct Output: Sendable {
        public var status: Int32
        public var stdout: String
        public var stderr: String
    }

    /// The build folder holding the test bundle and the executables.
    public static var buildDirectory: URL {
        var url = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
        while url.pathComponents.count > 1 {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("tradeengine").path) { return url }
        }
        return SharedData.packageRoot.appendingPathComponent(".build/debug")
    }

    public static func path(_ name: String) -> String { buildDirectory.appendingPathComponent(name).path }

    /// Runs `name args…` with the package root as working directory; bounded by `timeout` seconds.
    public static func run(_ name: String, _ arguments: [String], timeout: TimeInterval = 120) throws -> Output {
        let r = try runCommand(path(name), arguments, cwd: SharedData.packageRoot, timeout: timeout)
        if r.timedOut {
            throw CocoaError(.executableLoad, userInfo: [NSLocalizedDescriptionKey: "\(name) did not finish in \(timeout) s"])
        }
        return Output(status: r.exitCode, stdout: r.stdout, stderr: r.stderr)
    }
}
