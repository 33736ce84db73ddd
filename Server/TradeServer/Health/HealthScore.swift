import Foundation
import TradeCore

/// One number for "is the engine well?" (0–100) and the parts it is made of,
/// each with its weight and the reason for its share. Pure: the host gathers
/// `HealthInputs`, `HealthScore.assess` decides.
public struct HealthScore: Sendable, Equatable {
    public struct Part: Sendable, Equatable {
        public var name: String
        /// Points of the 100 this part is worth.
        public var weight: Double
        /// 0…1: the share of its weight it earns now.
        public var score: Double
        public var reason: String
    }

    public var score: Double = 100
    public var parts: [Part] = []

    public init() {}

    /// The weights: what matters most for trading safely comes first.
    public static let weights: [(String, Double)] = [
        ("feed", 25), ("venue", 15), ("breakers", 20), ("degradation", 15), ("journal", 10), ("disk", 10), ("clock", 5),
    ]

    public static func assess(_ i: HealthInputs) -> HealthScore {
        var h = HealthScore()
        func add(_ name: String, _ score: Double, _ reason: String) {
            let weight = weights.first { $0.0 == name }!.1
            h.parts.append(Part(name: name, weight: weight, score: min(1, max(0, score)), reason: reason))
        }
        // Feed: candles arriving while a run is meant to consume them, and no symbol frozen as stale.
        if !i.running {
            add("feed", 1, "no run is consuming candles")
        } else if let silent = i.secondsSinceLastCandle, silent > i.feedStaleAfterSeconds {
            add("feed", 0, String(format: "no candle for %.1f s (stale after %.1f s)", silent, i.feedStaleAfterSeconds))
        } else if !i.staleSymbols.isEmpty {
            add("feed", 0.5, "stale-data guard freezes entries in \(i.staleSymbols.joined(separator: ", "))")
        } else {
            add("feed", 1, "candles arriving" + (i.secondsSinceLastCandle.map { String(format: ", last %.1f s ago", $0) } ?? ""))
        }
        add("venue", i.venueReachable ? 1 : 0, i.venueDescription)
        // Breakers: the kill switch outranks every model's breaker.
        if i.killSwitchTripped {
            add("breakers", 0, "kill switch tripped: entries blocked until resume")
        } else if let worst = i.breakers.max(by: { $0.state.rawValue < $1.state.rawValue }), worst.state != .closed {
            let share: [BreakerState: Double] = [.alert: 0.75, .throttle: 0.5, .halt: 0.25, .shutdown: 0]
            add("breakers", share[worst.state] ?? 0, "\(worst.model) breaker \(worst.state)")
        } else {
            add("breakers", 1, i.breakers.isEmpty ? "no model breakers in this strategy" : "every model breaker closed")
        }
        if let worst = i.degradation.max(by: { $0.severity.rawValue < $1.severity.rawValue }), worst.severity != .none {
            add("degradation", 1 - Double(worst.severity.rawValue) / Double(DegradationSeverity.critical.rawValue),
                "\(worst.model) degradation \(worst.severity)")
        } else {
            add("degradation", 1, i.degradation.isEmpty ? "no degradation monitor in this strategy" : "no model degraded")
        }
        // Journal: a commit that takes long holds every decision back.
        if let failure = i.journalFailure {
            add("journal", 0, failure)
        } else if let last = i.lastCommitSeconds {
            let ms = last * 1000
            add("journal", ms <= 100 ? 1 : ms <= 1000 ? 0.5 : 0, String(format: "last commit took %.1f ms", ms))
        } else {
            add("journal", 1, "no commit yet")
        }
        if let free = i.diskFreeBytes {
            let gib = Double(free) / Double(1 << 30)
            add("disk", gib >= 1 ? 1 : gib >= 0.1 ? 0.5 : 0, String(format: "%.2f GiB free for the database", gib))
        } else {
            add("disk", 0, "free space of the database's file system is unknown")
        }
        if let skew = i.clockSkewSeconds {
            add("clock", abs(skew) <= 0.5 ? 1 : abs(skew) <= 2 ? 0.5 : 0, String(format: "clock skew %.3f s against the venue", skew))
        } else {
            add("clock", 1, "no venue clock to compare with (paper broker)")
        }
        h.score = (h.parts.reduce(0) { $0 + $1.weight * $1.score } * 10).rounded() / 10
        return h
    }
}

/// What the health score is assessed from.
public struct HealthInputs: Sendable {
    public struct Breaker: Sendable { public var model: String; public var state: BreakerState }
    public struct Grade: Sendable { public var model: String; public var severity: DegradationSeverity }

    public var running = false
    public var secondsSinceLastCandle: Double?
    public var feedStaleAfterSeconds = 5.0
    public var staleSymbols: [String] = []
    public var venueReachable = true
    public var venueDescription = "paper broker (in process)"
    public var killSwitchTripped = false
    public var breakers: [Breaker] = []
    public var degradation: [Grade] = []
    public var journalFailure: String?
    public var lastCommitSeconds: Double?
    public var diskFreeBytes: Int64?
    public var clockSkewSeconds: Double?

    public init() {}

    /// Free bytes on the file system holding `path` (statvfs), nil if it cannot be read.
    public static func freeBytes(at path: String) -> Int64? {
        var s = statvfs()
        let folder = (path as NSString).deletingLastPathComponent
        guard statvfs(folder.isEmpty ? "." : folder, &s) == 0 else { return nil }
        return Int64(s.f_bavail) * Int64(s.f_frsize)
    }
}
