/// Applies a `FaultSchedule`: asked per request (REST) and per pushed message
/// (streams) what to do, drawing from its seeded generator in call order.
public struct FaultInjector: Sendable {
    public let schedule: FaultSchedule
    /// Wall time the schedule's seconds count from.
    public let start: Int64
    private var state: UInt64

    public init(schedule: FaultSchedule, start: Int64) {
        self.schedule = schedule
        self.start = start
        state = schedule.seed
    }

    /// SplitMix64: small, seeded, the same on every machine.
    mutating func next() -> Double {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return Double(z >> 11) / Double(1 << 53)
    }

    /// Whether `fault` fires now: in its window and, if it has one, on its draw.
    mutating func fires(_ fault: FaultSchedule.Fault, at wall: Int64) -> Bool {
        guard fault.covers(wall - start) else { return false }
        return fault.probability >= 1 || next() < fault.probability
    }

    public enum RESTFault: Sendable, Equatable {
        /// Answer after this long.
        case delay(Int64)
        /// Answer with this 5xx and no venue body.
        case serverError(Int)
        /// Hold this long, then drop the connection without an answer.
        case timeout(Int64)
        /// Answer 429 as in a rate-limit storm.
        case rateLimited
        /// Do the request (an order is placed), then hold this long and answer 504: the acknowledgement is lost.
        case lostAck(Int64)
    }

    /// The faults a REST request meets, in the order they act (a delay, then at most one outcome).
    public mutating func rest(method: String, path: String, at wall: Int64) -> [RESTFault] {
        var out: [RESTFault] = []
        var outcome: RESTFault?
        for f in schedule.faults where !f.kind.isStream && f.kind != .clockSkew && f.matches(method: method, path: path) {
            guard fires(f, at: wall) else { continue }
            switch f.kind {
            case .latency: out.append(.delay(f.ms))
            case .serverError: outcome = outcome ?? .serverError(f.status)
            case .timeout: outcome = outcome ?? .timeout(f.ms)
            case .rateLimitStorm: outcome = outcome ?? .rateLimited
            case .lostAck: outcome = outcome ?? .lostAck(max(f.ms, 0))
            default: break
            }
        }
        return out + (outcome.map { [$0] } ?? [])
    }

    /// How far the venue's clock is off at `wall` (ms; the sum of the skews in force).
    public func skew(at wall: Int64) -> Int64 {
        schedule.faults.filter { $0.kind == .clockSkew && $0.covers(wall - start) }.reduce(0) { $0 + $1.ms }
    }

    /// Whether stream connections are dropped now.
    public func disconnects(at wall: Int64) -> Bool {
        schedule.faults.contains { $0.kind == .disconnect && $0.covers(wall - start) }
    }

    /// A batch of stream messages as the faults deliver it: nothing while the
    /// feed is stale (the messages are lost, as on a silent feed), some sent
    /// twice, some swapped with the next.
    public mutating func stream(_ messages: [String], at wall: Int64) -> [String] {
        if schedule.faults.contains(where: { $0.kind == .staleFeed && $0.covers(wall - start) }) { return [] }
        var out: [String] = []
        var held: String?
        for m in messages {
            var sent = [m]
            for f in schedule.faults where f.kind == .duplicate && fires(f, at: wall) { sent.append(m) }
            if let h = held { sent.append(h); held = nil }
            else if let f = schedule.faults.first(where: { $0.kind == .outOfOrder }), fires(f, at: wall) {
                held = m
                continue
            }
            out += sent
        }
        if let held { out.append(held) }
        return out
    }
}
