/// Binance's request-weight limit, per client address and wall-clock minute:
/// every request adds its weight and is told the minute's total in
/// `X-MBX-USED-WEIGHT-1M`; past the limit the answer is HTTP 429 (-1003) with
/// `Retry-After` (seconds to the next minute); a client that keeps sending
/// while told to wait is banned with HTTP 418 for two minutes, then longer
/// each time (Binance scales bans from 2 minutes to 3 days).
public struct BinanceRateLimiter: Sendable {
    public var limit: Int
    private var minute: [String: (minute: Int64, used: Int)] = [:]
    private var bannedUntil: [String: Int64] = [:]
    private var bans: [String: Int] = [:]
    /// Requests sent after a 429, within the same minute, per client.
    private var ignoredRetries: [String: Int] = [:]

    public init(limit: Int = 6_000) { self.limit = limit }

    public enum Verdict: Equatable {
        case allowed(used: Int)
        case tooMany(used: Int, retryAfterSeconds: Int)
        case banned(untilMs: Int64, retryAfterSeconds: Int)
    }

    public mutating func admit(client: String, weight: Int, wall: Int64) -> Verdict {
        if let until = bannedUntil[client], wall < until {
            return .banned(untilMs: until, retryAfterSeconds: Int((until - wall + 999) / 1000))
        }
        let m = wall / 60_000
        var used = 0
        if let e = minute[client], e.minute == m { used = e.used } else { ignoredRetries[client] = 0 }
        let retryAfter = Int(((m + 1) * 60_000 - wall + 999) / 1000)
        if used >= limit {
            ignoredRetries[client, default: 0] += 1
            if ignoredRetries[client]! > 3 {   // told to back off and kept going
                let count = bans[client, default: 0] + 1
                bans[client] = count
                let until = wall + min(Int64(120_000) << Int64(count - 1), 259_200_000)
                bannedUntil[client] = until
                return .banned(untilMs: until, retryAfterSeconds: Int((until - wall + 999) / 1000))
            }
            minute[client] = (m, used)
            return .tooMany(used: used, retryAfterSeconds: retryAfter)
        }
        used += weight
        minute[client] = (m, used)
        return .allowed(used: used)
    }
}
