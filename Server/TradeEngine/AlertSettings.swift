import Foundation

/// Where alerts go (the config file's `"alerts"` section; `serve --config`):
///
///     "alerts": { "min_severity": "warning", "retries": 3, "retry_base_ms": 500, "timeout_ms": 5000,
///                 "webhooks": [ { "name": "ops", "kind": "slack", "url": "https://hooks.slack.com/services/…" },
///                               { "name": "pager", "kind": "generic", "url": "https://alerts.example/hook" },
///                               { "name": "phone", "kind": "telegram", "chat_id": "12345",
///                                 "url": "https://api.telegram.org/bot<token>/sendMessage" } ] }
///
/// `generic` receives the alert as a JSON object, `slack` a Slack incoming-webhook
/// body (`{"text": …}`), `telegram` a Bot API `sendMessage` body (`{"chat_id": …, "text": …}`).
public struct AlertSettings: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable { case generic, slack, telegram }
    public enum Severity: Int, Sendable, Comparable, CaseIterable {
        case info, warning, critical
        public var name: String { ["info", "warning", "critical"][rawValue] }
        public init?(name: String) { self.init(rawValue: ["info", "warning", "critical"].firstIndex(of: name) ?? -1) }
        public static func < (a: Severity, b: Severity) -> Bool { a.rawValue < b.rawValue }
    }

    public struct Webhook: Sendable, Equatable {
        public var name: String
        public var kind: Kind
        public var url: String
        /// Telegram's chat id.
        public var chatID: String?

        public init(name: String, kind: Kind, url: String, chatID: String? = nil) {
            self.name = name
            self.kind = kind
            self.url = url
            self.chatID = chatID
        }
    }

    public var webhooks: [Webhook] = []
    /// Alerts below this severity are not sent.
    public var minSeverity = Severity.warning
    /// Attempts after the first failed one, per alert and receiver.
    public var retries = 3
    /// Backoff before retry k: a random wait in [0, base × 2^k] (full jitter), at most 30 s.
    public var retryBaseMilliseconds = 500
    public var timeoutMilliseconds = 5_000

    public init() {}

    static func parse(_ r: inout JSONObjectReader) throws(EngineError) -> AlertSettings {
        var a = AlertSettings()
        if let s = try r.string("min_severity") {
            guard let v = Severity(name: s) else { throw EngineError("\(r.path).min_severity must be info, warning or critical, got \(s)") }
            a.minSeverity = v
        }
        if let n = try r.int("retries") {
            guard (0...10).contains(n) else { throw EngineError("\(r.path).retries must be 0…10, got \(n)") }
            a.retries = n
        }
        if let n = try r.int("retry_base_ms") {
            guard (1...60_000).contains(n) else { throw EngineError("\(r.path).retry_base_ms must be 1…60000, got \(n)") }
            a.retryBaseMilliseconds = n
        }
        if let n = try r.int("timeout_ms") {
            guard (1...120_000).contains(n) else { throw EngineError("\(r.path).timeout_ms must be 1…120000, got \(n)") }
            a.timeoutMilliseconds = n
        }
        for var w in try r.objects("webhooks") ?? [] {
            guard let kindName = try w.string("kind"), let kind = Kind(rawValue: kindName) else {
                throw EngineError("\(w.path).kind must be generic, slack or telegram")
            }
            guard let url = try w.string("url"), let u = URL(string: url), ["http", "https"].contains(u.scheme ?? ""), u.host != nil else {
                throw EngineError("\(w.path).url must be an http or https URL with a host")
            }
            let name = try w.string("name") ?? "\(kind.rawValue)-\(a.webhooks.count + 1)"
            let chat = try w.string("chat_id")
            if kind == .telegram && chat == nil { throw EngineError("\(w.path).chat_id is needed for a telegram webhook") }
            if a.webhooks.contains(where: { $0.name == name }) { throw EngineError("\(w.path).name \(name) is used twice") }
            try w.rejectUnknownKeys()
            a.webhooks.append(Webhook(name: name, kind: kind, url: url, chatID: chat))
        }
        try r.rejectUnknownKeys()
        return a
    }
}
