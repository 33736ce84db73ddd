import Foundation
import Logging

/// A swift-log handler that writes one line per record: aligned text for a
/// terminal, or a JSON object per line for log collectors
/// (`serve --log-format json`). The logger's label is the component; metadata
/// carries run, model, symbol and whatever else the record has.
public struct LogLineHandler: LogHandler {
    public enum Format: String, Sendable, CaseIterable { case text, json }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level = .trace
    let component: String
    let format: Format
    let write: @Sendable (String) -> Void

    public init(component: String, format: Format, write: @escaping @Sendable (String) -> Void) {
        self.component = component
        self.format = format
        self.write = write
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(level: Logger.Level, message: Logger.Message, metadata extra: Logger.Metadata?, source: String,
                    file: String, function: String, line: UInt) {
        var fields: [String: String] = [:]
        for (k, v) in metadata { fields[k] = "\(v)" }
        for (k, v) in extra ?? [:] { fields[k] = "\(v)" }
        write(Self.line(time: Date(), level: level, component: component, message: message.description,
                        fields: fields, format: format))
    }

    /// One record as a line (no newline).
    public static func line(time: Date, level: Logger.Level, component: String, message: String,
                            fields: [String: String], format: Format) -> String {
        let stamp = timestamp(time)
        switch format {
        case .text:
            let context = fields.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            return "\(stamp) \(level) [\(component)] \(message)" + (context.isEmpty ? "" : "  \(context)")
        case .json:
            var object: [String: String] = fields
            object["time"] = stamp
            object["level"] = "\(level)"
            object["component"] = component
            object["message"] = message
            let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
            return String(decoding: data, as: UTF8.self)
        }
    }

    private static func timestamp(_ date: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.string(from: date)
    }
}

extension LogRecord.Level {
    /// The swift-log level of an engine log level.
    public var loggerLevel: Logger.Level {
        switch self {
        case .debug: return .debug
        case .info: return .info
        case .warning: return .warning
        case .error: return .error
        }
    }
}
