/// Bybit's per-key, per-endpoint request limit over one-second windows, told
/// in `X-Bapi-Limit`, `X-Bapi-Limit-Status` (left in this window) and
/// `X-Bapi-Limit-Reset-Timestamp`; past it the answer is retCode 10006.
public struct BybitRateLimiter: Sendable {
    public var perSecond: Int
    private var windows: [String: (second: Int64, used: Int)] = [:]

    public init(perSecond: Int = 20) { self.perSecond = perSecond }

    /// Whether the request may run, how many are left in the window, and when it resets (ms).
    public mutating func admit(key: String, endpoint: String, wall: Int64) -> (Bool, Int, Int64) {
        let id = key + " " + endpoint, second = wall / 1000
        var used = windows[id].flatMap { $0.second == second ? $0.used : nil } ?? 0
        let reset = (second + 1) * 1000
        guard used < perSecond else { return (false, 0, reset) }
        used += 1
        windows[id] = (second, used)
        return (true, perSecond - used, reset)
    }
}
