import Foundation
import TestSupport

/// Runs a command to completion with a time limit, in an environment free of the
/// developer's tradectl settings (no `TRADECTL_*`, no contexts file in HOME).
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil,
         timeout: TimeInterval = 60) throws -> CommandResult {
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRADECTL_") }
    env["HOME"] = NSTemporaryDirectory()
    env.merge(environment) { $1 }
    return try runCommand(executable, arguments, environment: env, cwd: cwd.map { URL(fileURLWithPath: $0) }, timeout: timeout)
}
