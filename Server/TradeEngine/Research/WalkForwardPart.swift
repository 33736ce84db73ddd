import Foundation
import TradeCore

/// What one shard of a walk-forward writes (`walkforward --shard I/N --part
/// FILE.json`): its windows' results in full (chosen point, in- and
/// out-of-sample metrics, the out-of-sample equity), and enough about the run
/// to refuse merging parts of different runs. `walkforward-merge` puts the
/// parts back together into exactly what one machine would have printed and
/// written. Doubles are written in the shortest form that reads back to the
/// same bits, so nothing is lost on the way.
public struct WalkForwardPart: Sendable, Equatable, Codable {
    public var plan: WalkForward
    public var strategy: String
    public var names: [String]
    public var initialEquity: Double
    /// Windows of the whole run (over every shard).
    public var windowCount: Int
    public var shardIndex: Int
    public var shardCount: Int
    public var results: [WalkForward.WindowResult]

    public init(plan: WalkForward, strategy: String, names: [String], initialEquity: Double, windowCount: Int,
                shard: Sweep.Shard, results: [WalkForward.WindowResult]) {
        self.plan = plan
        self.strategy = strategy
        self.names = names
        self.initialEquity = initialEquity
        self.windowCount = windowCount
        shardIndex = shard.index
        shardCount = shard.count
        self.results = results
    }

    public func json() throws -> Data {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys]
        e.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try e.encode(self)
    }

    public static func read(_ data: Data, source: String) throws(EngineError) -> WalkForwardPart {
        let d = JSONDecoder()
        d.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        do { return try d.decode(WalkForwardPart.self, from: data) }
        catch { throw EngineError("\(source) is not a walk-forward part: \(error)") }
    }

    /// The parts as one run: the same plan, strategy, parameters and start,
    /// every window exactly once. Refuses anything else, naming what differs.
    public static func merge(_ parts: [WalkForwardPart]) throws(EngineError) -> WalkForwardPart {
        guard let first = parts.first else { throw EngineError("nothing to merge") }
        var byWindow: [Int: WalkForward.WindowResult] = [:]
        for (k, p) in parts.enumerated() {
            guard p.plan == first.plan, p.strategy == first.strategy, p.names == first.names,
                  p.initialEquity == first.initialEquity, p.windowCount == first.windowCount else {
                throw EngineError("part \(k + 1) is from another walk-forward run than part 1 (plan, strategy, grid, cash or data differ)")
            }
            for r in p.results {
                guard byWindow.updateValue(r, forKey: r.window.index) == nil else {
                    throw EngineError("window \(r.window.index + 1) is in two parts")
                }
            }
        }
        let missing = (0..<first.windowCount).filter { byWindow[$0] == nil }
        guard missing.isEmpty else {
            throw EngineError("windows missing from the parts: \(missing.map { String($0 + 1) }.joined(separator: ", ")) of \(first.windowCount)")
        }
        return WalkForwardPart(plan: first.plan, strategy: first.strategy, names: first.names, initialEquity: first.initialEquity,
                               windowCount: first.windowCount, shard: .whole,
                               results: (0..<first.windowCount).map { byWindow[$0]! })
    }
}
