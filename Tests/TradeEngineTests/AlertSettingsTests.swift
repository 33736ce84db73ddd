import Foundation
import Testing
@testable import TradeEngine

/// The config file's "alerts" section: strict, with clear errors.
@Suite struct AlertSettingsTests {
    func parse(_ json: String) throws(EngineError) -> RunSettings { try RunSettings.parse(Data(json.utf8), source: "cfg.json") }

    @Test func aFullSectionIsRead() throws {
        let s = try parse("""
            { "alerts": { "min_severity": "critical", "retries": 5, "retry_base_ms": 100, "timeout_ms": 2000,
                          "webhooks": [ { "name": "ops", "kind": "slack", "url": "https://hooks.slack.com/services/T/B/X" },
                                        { "kind": "generic", "url": "http://127.0.0.1:9000/hook" },
                                        { "name": "phone", "kind": "telegram", "url": "https://api.telegram.org/botT/sendMessage", "chat_id": "42" } ] } }
            """).alerts
        #expect(s.minSeverity == .critical && s.retries == 5 && s.retryBaseMilliseconds == 100 && s.timeoutMilliseconds == 2000)
        #expect(s.webhooks.map(\.name) == ["ops", "generic-2", "phone"])
        #expect(s.webhooks.map(\.kind) == [.slack, .generic, .telegram] && s.webhooks[2].chatID == "42")
        #expect(try parse("{}").alerts == AlertSettings())
    }

    @Test func badSectionsAreRefusedWithTheReason() {
        let cases: [(String, String)] = [
            (#"{"alerts": {"webhooks": [{"kind": "email", "url": "http://x/"}]}}"#, "kind must be generic, slack or telegram"),
            (#"{"alerts": {"webhooks": [{"kind": "slack", "url": "ftp://x/"}]}}"#, "url must be an http or https URL"),
            (#"{"alerts": {"webhooks": [{"kind": "telegram", "url": "https://x/"}]}}"#, "chat_id is needed"),
            (#"{"alerts": {"webhooks": [{"kind": "slack", "url": "https://x/", "channel": "ops"}]}}"#, "alerts.webhooks[0].channel is not a known setting"),
            (#"{"alerts": {"min_severity": "loud"}}"#, "min_severity must be info, warning or critical"),
            (#"{"alerts": {"retries": 99}}"#, "retries must be 0…10"),
            (#"{"alerts": {"webhooks": {"kind": "slack"}}}"#, "must be an array of objects"),
            (#"{"alerts": {"webhooks": [{"name": "a", "kind": "slack", "url": "https://x/"}, {"name": "a", "kind": "slack", "url": "https://y/"}]}}"#, "used twice"),
        ]
        for (json, expected) in cases {
            #expect { try parse(json) } throws: { ($0 as? EngineError)?.description.contains(expected) == true }
        }
    }
}
