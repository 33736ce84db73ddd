import Foundation
import SwiftProtobuf
import TradeAPI

/// Short human forms of the API's values.
enum Format {
    /// A decimal string cut to `digits` fraction digits (rounded half away from zero), for tables.
    static func decimal(_ text: String, digits: Int = 2) -> String {
        guard let value = Decimal(string: text) else { return text }
        var input = value
        var rounded = Decimal()
        NSDecimalRound(&rounded, &input, digits, .plain)
        let f = NumberFormatter()
        f.numberStyle = .decimal
        f.minimumFractionDigits = digits
        f.maximumFractionDigits = digits
        f.usesGroupingSeparator = false
        f.locale = Locale(identifier: "en_US_POSIX")
        return f.string(from: rounded as NSDecimalNumber) ?? text
    }

    /// Quantities and prices: as given, without trailing zeros.
    static func quantity(_ text: String) -> String {
        guard text.contains(".") else { return text }
        var s = text
        while s.hasSuffix("0") { s.removeLast() }
        if s.hasSuffix(".") { s.removeLast() }
        return s
    }

    static func time(_ t: Google_Protobuf_Timestamp?) -> String {
        guard let t, t.seconds != 0 || t.nanos != 0 else { return "-" }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime]
        return f.string(from: t.date)
    }

    static func percent(_ x: Double) -> String { String(format: "%.2f%%", x * 100) }
    static func number(_ x: Double, _ digits: Int = 2) -> String { String(format: "%.\(digits)f", x) }

    /// `ENGINE_STATE_RUNNING` style enum names without the prefix, lower-cased.
    static func name(_ e: some SwiftProtobuf.Enum) -> String {
        let full = "\(e)"
        return full.replacingOccurrences(of: "_", with: "-")
    }

    static func side(_ s: Tradeengine_V1_OrderSide) -> String { s == .buy ? "buy" : s == .sell ? "sell" : "-" }

    static func state(_ s: Tradeengine_V1_EngineState) -> String {
        switch s {
        case .idle: return "idle"
        case .running: return "running"
        case .paused: return "paused (entries blocked)"
        case .halted: return "HALTED (kill switch)"
        case .finished: return "finished"
        case .failed: return "FAILED"
        default: return "unknown"
        }
    }
}
