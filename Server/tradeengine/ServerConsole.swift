import Foundation
import Logging
import TradeServer

/// The server's console: the listening line on standard output (scripts and
/// tests wait for it), every log line on standard error through swift-log —
/// text for a terminal or JSON lines (`--log-format json`), with component,
/// run, model and symbol fields.
enum ServerConsole {
    nonisolated(unsafe) static var format: LogLineHandler.Format = .text

    static func printListening(_ address: String) {
        FileHandle.standardOutput.write(Data("listening on \(address)\n".utf8))
    }

    static func logger(_ component: String) -> Logger {
        let format = self.format
        return Logger(label: component) { label in
            LogLineHandler(component: label, format: format) { FileHandle.standardError.write(Data(($0 + "\n").utf8)) }
        }
    }

    static func print(_ record: LogRecord) {
        logger(record.component).log(level: record.level.loggerLevel, "\(record.message)",
                                     metadata: record.fields.mapValues { .string($0) })
    }

    static func printAudit(_ r: AuditRecord) {
        var fields: Logger.Metadata = ["caller": .string(r.caller), "role": .string(r.role?.name ?? "none"),
                                       "method": .string(r.method), "outcome": .string(r.outcome.rawValue)]
        if !r.requestSummary.isEmpty { fields["request"] = .string(r.requestSummary) }
        let text = "\(r.method) \(r.outcome.rawValue)" + (r.message.isEmpty ? "" : ": \(r.message)")
        logger("audit").info("\(text)", metadata: fields)
    }
}
