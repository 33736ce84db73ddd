import Foundation

/// The simulator's seeded fault schedule (`venue-sim --faults FILE`): what goes
/// wrong, when (seconds since the simulator started, wall time), on which
/// paths, and how often. Every probabilistic fault draws from one seeded
/// generator in request order, so the same requests meet the same faults.
///
/// ```json
/// { "seed": 7, "faults": [
///   { "kind": "latency", "from": 0, "to": 30, "ms": 250, "probability": 0.5 },
///   { "kind": "server_error", "from": 10, "to": 20, "status": 503, "probability": 0.3, "paths": ["/api/v3/order"] },
///   { "kind": "timeout", "from": 40, "to": 45, "ms": 3000 },
///   { "kind": "rate_limit_storm", "from": 50, "to": 55 },
///   { "kind": "lost_ack", "from": 60, "to": 70, "probability": 1, "paths": ["POST /api/v3/order"] },
///   { "kind": "clock_skew", "from": 80, "to": 90, "ms": 2500 },
///   { "kind": "disconnect", "from": 100, "to": 101 },
///   { "kind": "stale_feed", "from": 110, "to": 130 },
///   { "kind": "duplicate", "from": 0, "to": 600, "probability": 0.05 },
///   { "kind": "out_of_order", "from": 0, "to": 600, "probability": 0.05 } ] }
/// ```
/// `paths` matches a request's path, or its "METHOD path"; without it a REST
/// fault applies to every path. Stream faults (disconnect, stale_feed,
/// duplicate, out_of_order) apply to every WebSocket connection.
public struct FaultSchedule: Sendable, Equatable {
    public enum Kind: String, Sendable, CaseIterable {
        case latency, serverError = "server_error", timeout, rateLimitStorm = "rate_limit_storm", lostAck = "lost_ack"
        case clockSkew = "clock_skew", disconnect, staleFeed = "stale_feed", duplicate, outOfOrder = "out_of_order"

        var isStream: Bool { [.disconnect, .staleFeed, .duplicate, .outOfOrder].contains(self) }
    }

    public struct Fault: Sendable, Equatable {
        public var kind: Kind
        /// [from, to) in ms since the simulator started.
        public var from: Int64
        public var to: Int64
        public var probability: Double
        /// Latency, timeout and lost-ack holding time, or clock skew (ms).
        public var ms: Int64
        public var status: Int
        public var paths: [String]

        func covers(_ t: Int64) -> Bool { t >= from && t < to }

        func matches(method: String, path: String) -> Bool {
            paths.isEmpty || paths.contains(path) || paths.contains("\(method) \(path)")
        }
    }

    public var seed: UInt64
    public var faults: [Fault]

    public static let none = FaultSchedule(seed: 0, faults: [])

    public init(seed: UInt64, faults: [Fault]) {
        self.seed = seed
        self.faults = faults
    }

    public struct ParseError: Error, CustomStringConvertible {
        public var description: String
    }

    /// Reads a schedule; every mistake is named (which fault, which field), nothing is guessed.
    public static func parse(_ data: Data) throws(ParseError) -> FaultSchedule {
        guard let root = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw ParseError(description: "the fault schedule is not a JSON object")
        }
        for key in root.keys where !["seed", "faults"].contains(key) { throw ParseError(description: "unknown key '\(key)' (seed, faults)") }
        guard let seed = (root["seed"] as? NSNumber)?.int64Value, seed >= 0 else { throw ParseError(description: "seed must be a non-negative integer") }
        guard let list = root["faults"] as? [[String: Any]] else { throw ParseError(description: "faults must be a list of objects") }
        var faults: [Fault] = []
        for (i, f) in list.enumerated() {
            let at = "faults[\(i)]"
            let allowed: Set<String> = ["kind", "from", "to", "probability", "ms", "status", "paths"]
            for key in f.keys where !allowed.contains(key) { throw ParseError(description: "\(at): unknown key '\(key)'") }
            guard let name = f["kind"] as? String, let kind = Kind(rawValue: name) else {
                throw ParseError(description: "\(at).kind must be one of \(Kind.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            guard let from = (f["from"] as? NSNumber)?.doubleValue, let to = (f["to"] as? NSNumber)?.doubleValue, from >= 0, to > from else {
                throw ParseError(description: "\(at): from and to are seconds since start, with from ≥ 0 and to > from")
            }
            let probability = (f["probability"] as? NSNumber)?.doubleValue ?? 1
            guard (0...1).contains(probability) else { throw ParseError(description: "\(at).probability must be in [0, 1]") }
            let ms = (f["ms"] as? NSNumber)?.int64Value ?? 0
            if [.latency, .timeout, .clockSkew].contains(kind), ms == 0 { throw ParseError(description: "\(at): \(name) needs ms") }
            guard abs(ms) <= 600_000 else { throw ParseError(description: "\(at).ms must be within ±600000") }
            let status = (f["status"] as? NSNumber)?.intValue ?? 503
            guard (500...599).contains(status) else { throw ParseError(description: "\(at).status must be a 5xx") }
            guard let paths = (f["paths"] ?? [String]()) as? [String] else { throw ParseError(description: "\(at).paths must be a list of strings") }
            if kind.isStream, !paths.isEmpty { throw ParseError(description: "\(at): \(name) applies to streams; it takes no paths") }
            faults.append(Fault(kind: kind, from: Int64(from * 1000), to: Int64(to * 1000), probability: probability, ms: ms,
                                status: status, paths: paths))
        }
        return FaultSchedule(seed: UInt64(seed), faults: faults)
    }
}
