import Foundation

/// What a finished command printed and how it exited.
struct CommandResult: CustomStringConvertible {
    var exitCode: Int32
    var stdout: String
    var stderr: String

    var description: String { "exit \(exitCode)\nstdout: \(stdout)\nstderr: \(stderr)" }

    /// The JSON object on standard output (for `-o json`).
    func json() throws -> [String: Any] {
        guard let object = try JSONSerialization.jsonObject(with: Data(stdout.utf8)) as? [String: Any] else {
            throw CocoaError(.coderReadCorrupt)
        }
        return object
    }
}

/// Runs a command to completion with a time limit.
func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:], cwd: String? = nil,
         timeout: TimeInterval = 60) throws -> CommandResult {
    let p = Process()
    p.executableURL = URL(fileURLWithPath: executable)
    p.arguments = arguments
    var env = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("TRADECTL_") }
    env["HOME"] = NSTemporaryDirectory()  // no contexts file from the developer's home
    env.merge(environment) { $1 }
    p.environment = env
    if let cwd { p.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    let out = Pipe(), err = Pipe()
    p.standardOutput = out
    p.standardError = err
    p.standardInput = FileHandle.nullDevice
    try p.run()
    // Read both pipes while waiting, so a chatty process cannot block on a full pipe.
    let group = DispatchGroup()
    let outData = DataBox(), errData = DataBox()
    group.enter()
    DispatchQueue.global().async { outData.set(out.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    group.enter()
    DispatchQueue.global().async { errData.set(err.fileHandleForReading.readDataToEndOfFile()); group.leave() }
    let deadline = Date().addingTimeInterval(timeout)
    while p.isRunning && Date() < deadline { usleep(5_000) }
    if p.isRunning {
        p.terminate()
        p.waitUntilExit()
    }
    group.wait()
    p.waitUntilExit()
    return CommandResult(exitCode: p.terminationStatus, stdout: String(decoding: outData.get(), as: UTF8.self),
                         stderr: String(decoding: errData.get(), as: UTF8.self))
}

/// Bytes handed from a reader thread to the waiting one.
final class DataBox: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ d: Data) { lock.withLock { data = d } }
    func append(_ d: Data) { lock.withLock { data.append(d) } }
    func get() -> Data { lock.withLock { data } }
}
