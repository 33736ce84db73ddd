import Foundation
import TradeCore

/// The points of a parameter sweep: every combination of the values a grid
/// file lists per parameter, in a fixed order (names sorted; the last name
/// varies fastest), or a seeded random draw of some of them.
///
/// A grid file maps flat parameter names — as `tradectl params` prints them,
/// with or without the strategy's prefix — to lists of values:
/// `{"fast_period": [8, 12, 16], "models.aggressive.entry_threshold": [0.4, 0.45]}`.
/// Every name must be one of the strategy's tunable parameters and every
/// value within its bounds (whole where it must be), or the file is refused
/// with the reason.
public struct ParameterGrid: Sendable, Equatable {
    /// Full names, sorted.
    public let names: [String]
    /// Values per name, in the file's order.
    public let values: [[Double]]

    public init(names: [String], values: [[Double]]) {
        self.names = names
        self.values = values
    }

    public var count: Int { values.reduce(1) { $0 * $1.count } }

    /// The `index`-th combination (0 ..< count), by name.
    public func point(_ index: Int) -> [String: Double] {
        var rest = index
        var out: [String: Double] = [:]
        for k in names.indices.reversed() {
            let n = values[k].count
            out[names[k]] = values[k][rest % n]
            rest /= n
        }
        return out
    }

    /// Indices of the points to run: all of them, or `random` distinct ones drawn with `seed`
    /// (a partial Fisher–Yates shuffle on SplitMix64), in ascending order.
    public func selection(random: Int?, seed: UInt64) -> [Int] {
        guard let random, random < count else { return Array(0..<count) }
        var indices = Array(0..<count)
        var rng = SplitMix64(seed: seed)
        for i in 0..<random {
            let j = i + Int(rng.next() % UInt64(count - i))
            indices.swapAt(i, j)
        }
        return indices[..<random].sorted()
    }

    public static func parse(_ data: Data, source: String, strategy: String,
                             bounds: [String: ParameterBounds]) throws(EngineError) -> ParameterGrid {
        let parsed: Any
        do { parsed = try JSONSerialization.jsonObject(with: data) }
        catch { throw EngineError("\(source): not valid JSON (\(error.localizedDescription))") }
        guard let object = parsed as? [String: Any], !object.isEmpty else {
            throw EngineError("\(source): the grid must be a JSON object of parameter names to lists of values")
        }
        var entries: [(String, [Double])] = []
        for (given, raw) in object {
            let name = bounds[given] != nil ? given : "\(strategy).\(given)"
            guard let b = bounds[name] else {
                throw EngineError("\(source): \(given) is not a parameter of \(strategy) (see `tradectl params` for the names)")
            }
            guard let list = raw as? [Any], !list.isEmpty else { throw EngineError("\(source): \(given) must be a non-empty list of numbers") }
            var numbers: [Double] = []
            for x in list {
                guard let n = x as? NSNumber, String(cString: n.objCType) != "c", n.doubleValue.isFinite else {
                    throw EngineError("\(source): \(given) must list numbers, got \(x)")
                }
                let v = n.doubleValue
                guard v >= b.minimum && v <= b.maximum else {
                    throw EngineError("\(source): \(given) = \(v) is outside its bounds \(b.minimum)…\(b.maximum)")
                }
                guard !b.isInteger || v == v.rounded() else { throw EngineError("\(source): \(given) must be a whole number, got \(v)") }
                guard !numbers.contains(v) else { throw EngineError("\(source): \(given) lists \(v) twice") }
                numbers.append(v)
            }
            guard !entries.contains(where: { $0.0 == name }) else { throw EngineError("\(source): \(name) is given twice") }
            entries.append((name, numbers))
        }
        entries.sort { $0.0 < $1.0 }
        let grid = ParameterGrid(names: entries.map(\.0), values: entries.map(\.1))
        guard grid.count <= 1_000_000 else { throw EngineError("\(source): \(grid.count) combinations; at most 1,000,000") }
        return grid
    }
}
