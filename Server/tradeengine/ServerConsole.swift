import Foundation
import TradeServer

/// The server's console: the listening line on standard output (scripts and
/// tests wait for it), everything else on standard error with a UTC time.
enum ServerConsole {
    static func printListening(_ address: String) {
        FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
    }

    static func print(_ record: LogRecord) {
        let level: String
        switch record.level {
        case .debug: level = "debug"
        case .info: level = "info"
        case .warning: level = "warning"
        case .error: level = "error"
        }
        FileHandle.standardError.write(Data("\(stamp(record.time)) \(level) [\(record.component)] \(record.message)\n".utf8))
    }

    static func printAudit(_ r: AuditRecord) {
        let line = "\(stamp(r.time)) audit \(r.caller) (\(r.role?.name ?? "no role")) \(r.method) \(r.outcome.rawValue)"
            + (r.message.isEmpty ? "" : ": \(r.message)") + (r.requestSummary.isEmpty ? "" : " {\(r.requestSummary)}")
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }

    private static func stamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}
