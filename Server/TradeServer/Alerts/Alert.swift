import Foundation
import TradeEngine

/// Something a person must know now: the kill switch tripped, a breaker
/// reached ALERT or worse, the feed went stale, a model degraded badly, its
/// edge decayed, the database refused a write.
public struct Alert: Sendable, Equatable {
    public typealias Severity = AlertSettings.Severity

    /// kill_switch, breaker, stale_feed, degradation, edge_decay, database, …
    public var kind: String
    public var severity: Severity
    public var title: String
    public var text: String
    public var time: Date
    /// Context: run, model, symbol, numbers.
    public var fields: [String: String]

    public init(kind: String, severity: Severity, title: String, text: String, time: Date = Date(), fields: [String: String] = [:]) {
        self.kind = kind
        self.severity = severity
        self.title = title
        self.text = text
        self.time = time
        self.fields = fields
    }

    /// The request body for a receiver of `kind`.
    public func body(for webhook: AlertSettings.Webhook) -> Data {
        let headline = "[\(severity.name.uppercased())] \(title)"
        let object: [String: Any]
        switch webhook.kind {
        case .generic:
            let f = ISO8601DateFormatter()
            f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
            object = ["source": "tradeengine", "kind": kind, "severity": severity.name, "title": title, "text": text,
                      "time": f.string(from: time), "fields": fields]
        case .slack:
            object = ["text": "*\(headline)*\n\(text)"]
        case .telegram:
            object = ["chat_id": webhook.chatID ?? "", "text": "\(headline)\n\(text)"]
        }
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
    }
}
