import Foundation
import TradeCore

/// Equity after every step (one step = every symbol's bar at one open time),
/// marked at the bars' closes. `Double`: this is statistics, not books — the
/// exact equity is always `Ledger.equity(marks:)`.
///
/// Steps are nearly always one bar apart, so times are kept as segments: a new
/// segment starts only at the first step and after a gap. A million steps cost
/// 8 MB of equity values and a few bytes of times.
///
/// In a snapshot the equity values are one base64 text of their IEEE 754 bits
/// (little-endian): exact, and one string instead of one per step — encoding a
/// long run's curve as a JSON array of numbers made a string per value and was
/// most of the run's memory peak (heaptrack). An array of numbers (older
/// snapshots) still decodes.
public struct EquityCurve: Sendable, Codable {
    struct Segment: Sendable, Equatable, Codable {
        var firstStep: Int
        var firstTime: Int64
    }

    public let barMilliseconds: Int64
    /// Equity of the steps held: every step, unless a hosted run let go of the old ones.
    public private(set) var equity: [Double] = []
    private var segments: [Segment] = []
    private var lastTime: Int64 = .min
    /// Steps during which some position was open (for the exposure metric), of all steps.
    public private(set) var stepsInMarket = 0
    /// Steps no longer held (`forget(keepingLast:startEquity:)`).
    public private(set) var forgottenSteps = 0
    /// Whole-run statistics, kept step by step once the curve has forgotten steps (nil before).
    public private(set) var statistics: EquityStatistics?

    public init(barMilliseconds: Int64, expectedSteps: Int = 0) {
        self.barMilliseconds = barMilliseconds
        equity.reserveCapacity(expectedSteps)
    }

    /// Steps held.
    public var count: Int { equity.count }
    /// Steps ever appended.
    public var totalSteps: Int { forgottenSteps + equity.count }

    public mutating func append(time: Int64, equity value: Double, inMarket: Bool) {
        if time &- lastTime != barMilliseconds {
            segments.append(Segment(firstStep: equity.count, firstTime: time))
        }
        lastTime = time
        equity.append(value)
        if inMarket { stepsInMarket += 1 }
        statistics?.add(time: time, equity: value)
    }

    /// Keeps the latest `steps` steps (between `steps` and twice that, so trimming is
    /// amortised) and from now on the whole-run statistics step by step.
    public mutating func forget(keepingLast steps: Int, startEquity: Double) {
        precondition(steps > 0, "keep at least one step")
        if statistics == nil {
            statistics = PerformanceMetrics.statistics(times: times, equity: equity, startEquity: startEquity, barMs: barMilliseconds)
        }
        guard equity.count > 2 * steps else { return }
        let drop = equity.count - steps
        var kept: [Segment] = []
        for (k, segment) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].firstStep : equity.count
            guard end > drop else { continue }
            let skipped = max(0, drop - segment.firstStep)
            kept.append(Segment(firstStep: segment.firstStep + skipped - drop,
                                firstTime: segment.firstTime + Int64(skipped) * barMilliseconds))
        }
        segments = kept
        equity.removeFirst(drop)
        forgottenSteps += drop
    }

    /// Equity of the last step that opened before `time`, nil when none did.
    /// Walks the segments (one per gap), not the steps: cheap enough for every status call.
    public func equity(before time: Int64) -> Double? {
        guard let k = segments.lastIndex(where: { $0.firstTime < time }) else { return nil }
        let segment = segments[k]
        let end = k + 1 < segments.count ? segments[k + 1].firstStep : equity.count
        let steps = Int((time - segment.firstTime + barMilliseconds - 1) / barMilliseconds)   // steps opening before `time`
        return equity[segment.firstStep + min(steps, end - segment.firstStep) - 1]
    }

    /// The open time of every step.
    public var times: [Int64] {
        var out: [Int64] = []
        out.reserveCapacity(equity.count)
        for (k, segment) in segments.enumerated() {
            let end = k + 1 < segments.count ? segments[k + 1].firstStep : equity.count
            for i in 0..<(end - segment.firstStep) { out.append(segment.firstTime + Int64(i) * barMilliseconds) }
        }
        return out
    }
}

extension EquityCurve {
    enum CodingKeys: String, CodingKey { case barMilliseconds, equity, segments, lastTime, stepsInMarket, forgottenSteps, statistics }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        barMilliseconds = try c.decode(Int64.self, forKey: .barMilliseconds)
        if let packed = try? c.decode(String.self, forKey: .equity) {
            guard let bytes = Data(base64Encoded: packed), bytes.count % 8 == 0 else {
                throw DecodingError.dataCorruptedError(forKey: .equity, in: c, debugDescription: "equity is not base64 of 8-byte values")
            }
            equity = bytes.withUnsafeBytes { raw in
                (0..<bytes.count / 8).map { Double(bitPattern: UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self))) }
            }
        } else {
            equity = try c.decode([Double].self, forKey: .equity)
        }
        segments = try c.decode([Segment].self, forKey: .segments)
        lastTime = try c.decode(Int64.self, forKey: .lastTime)
        stepsInMarket = try c.decode(Int.self, forKey: .stepsInMarket)
        forgottenSteps = try c.decodeIfPresent(Int.self, forKey: .forgottenSteps) ?? 0
        statistics = try c.decodeIfPresent(EquityStatistics.self, forKey: .statistics)
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(barMilliseconds, forKey: .barMilliseconds)
        var bytes = Data(count: equity.count * 8)
        bytes.withUnsafeMutableBytes { raw in
            for (i, value) in equity.enumerated() { raw.storeBytes(of: value.bitPattern.littleEndian, toByteOffset: i * 8, as: UInt64.self) }
        }
        try c.encode(bytes.base64EncodedString(), forKey: .equity)
        try c.encode(segments, forKey: .segments)
        try c.encode(lastTime, forKey: .lastTime)
        try c.encode(stepsInMarket, forKey: .stepsInMarket)
        try c.encode(forgottenSteps, forKey: .forgottenSteps)
        try c.encodeIfPresent(statistics, forKey: .statistics)
    }
}
