import Dispatch
import Foundation
import TradeCore

/// What a sweep ranks by.
public enum SweepObjective: String, Sendable, CaseIterable {
    case netPnL = "net_pnl", sharpe, calmar, profitFactor = "profit_factor"

    func value(_ r: SweepResult) -> Double {
        switch self {
        case .netPnL: return r.netPnL
        case .sharpe: return r.metrics.sharpe ?? -.infinity
        case .calmar: return r.metrics.calmar ?? -.infinity
        case .profitFactor: return r.metrics.profitFactor ?? -.infinity
        }
    }
}

/// One point of a sweep and how its backtest went.
public struct SweepResult: Sendable, Equatable, Codable {
    /// The point's index in the grid (stable across shards and machines).
    public var index: Int
    public var parameters: [String: Double]
    public var metrics: PerformanceMetrics
    public var netPnL: Double
    public var candles: Int
}

/// A parameter sweep: one backtest per point, on every core.
///
/// Each point gets its own engine and strategy (value types, no shared
/// state), so points are independent and the results do not depend on the
/// number of jobs or their order. `--shard I/N` runs the points whose index
/// is I modulo N; shards' results merge into exactly the single-machine
/// result (`merge`), because each result is a function of its point alone.
public enum Sweep {
    public struct Shard: Sendable, Equatable {
        public var index: Int
        public var count: Int
        public static let whole = Shard(index: 0, count: 1)

        public init(index: Int, count: Int) {
            self.index = index
            self.count = count
        }

        /// "I/N" with 0 ≤ I < N.
        public init(parsing text: String) throws(EngineError) {
            let parts = text.split(separator: "/")
            guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]), n >= 1, i >= 0, i < n else {
                throw EngineError("--shard must be I/N with 0 ≤ I < N, e.g. 0/4; got \(text)")
            }
            self.init(index: i, count: n)
        }

        public func contains(_ point: Int) -> Bool { point % count == index }
    }

    /// Runs `evaluate` for every point in `indices` on `jobs` threads; `done` is
    /// called (one at a time) as each finishes, for progress and streaming output.
    public static func run(indices: [Int], jobs: Int, evaluate: @escaping @Sendable (Int) throws -> SweepResult,
                           done: @escaping @Sendable (SweepResult) -> Void) throws -> [SweepResult] {
        let state = RunState(count: indices.count)
        let workers = max(1, min(jobs, indices.count))
        // A fixed pool of workers each taking the next point: a slow point holds up no one else's.
        DispatchQueue.concurrentPerform(iterations: workers) { _ in
            while let k = state.take() {
                do {
                    let r = try evaluate(indices[k])
                    state.finish(k, r, done)
                } catch {
                    state.fail(error)
                }
            }
        }
        return try state.results()
    }

    /// The workers' shared bookkeeping, behind one lock.
    private final class RunState: @unchecked Sendable {
        private let lock = NSLock()
        private var done: [SweepResult?]
        private var next = 0
        private var failure: Error?

        init(count: Int) { done = Array(repeating: nil, count: count) }

        func take() -> Int? {
            lock.withLock {
                guard failure == nil, next < done.count else { return nil }
                next += 1
                return next - 1
            }
        }

        func finish(_ k: Int, _ r: SweepResult, _ report: (SweepResult) -> Void) {
            lock.withLock {
                done[k] = r
                report(r)
            }
        }

        func fail(_ error: Error) { lock.withLock { if failure == nil { failure = error } } }

        func results() throws -> [SweepResult] {
            try lock.withLock {
                if let failure { throw failure }
                return done.map { $0! }
            }
        }
    }

    /// Best first by `objective`; points with fewer than `minTrades` closed
    /// trades rank after every point that has enough; ties by grid index.
    public static func ranked(_ results: [SweepResult], by objective: SweepObjective, minTrades: Int) -> [SweepResult] {
        results.sorted { a, b in
            let ea = a.metrics.tradeCount >= minTrades, eb = b.metrics.tradeCount >= minTrades
            if ea != eb { return ea }
            let va = objective.value(a), vb = objective.value(b)
            if va != vb { return va > vb }
            return a.index < b.index
        }
    }

    /// The columns of the result table: rank, index, the parameters (grid order), then the metrics.
    public static func csvHeader(_ names: [String]) -> String {
        (["rank", "index"] + names + ["eligible", "net_pnl", "total_return", "sharpe", "sortino", "calmar", "max_drawdown",
                                      "profit_factor", "win_rate", "trades", "fees", "candles"]).joined(separator: ",")
    }

    public static func csvRow(_ r: SweepResult, rank: Int, names: [String], minTrades: Int) -> String {
        // %.17g round-trips a Double exactly, so a merge of shard tables ranks exactly as one machine does.
        func f(_ x: Double?) -> String { x.map { $0.isFinite ? String(format: "%.17g", $0) : "" } ?? "" }
        let m = r.metrics
        return (["\(rank)", "\(r.index)"] + names.map { f(r.parameters[$0]) }
                + [m.tradeCount >= minTrades ? "1" : "0", f(r.netPnL), f(m.totalReturn), f(m.sharpe), f(m.sortino), f(m.calmar),
                   f(m.maxDrawdown), f(m.profitFactor), f(m.winRate), "\(m.tradeCount)", f(m.feesPaid), "\(r.candles)"])
            .joined(separator: ",")
    }

    /// The ranked table as CSV (what `sweep --out` writes and `sweep-merge` reads back).
    public static func csv(_ ranked: [SweepResult], names: [String], minTrades: Int) -> String {
        ([csvHeader(names)] + ranked.enumerated().map { csvRow($1, rank: $0 + 1, names: names, minTrades: minTrades) })
            .joined(separator: "\n") + "\n"
    }

    /// Merges shard tables (CSV from `csv`) into one ranked table, re-ranked by
    /// `objective`: the same rows, byte for byte, as one machine running every
    /// point. Refuses tables with other columns, or a point in two shards.
    public static func merge(_ tables: [String], objective: SweepObjective, minTrades: Int) throws(EngineError) -> String {
        var header: String?
        var rows: [(index: Int, fields: [String])] = []
        var seen = Set<Int>()
        for (k, table) in tables.enumerated() {
            let lines = table.split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
            guard let h = lines.first else { throw EngineError("shard \(k + 1) is empty") }
            if let header, header != h { throw EngineError("shard \(k + 1) has other columns than shard 1: not the same sweep") }
            header = h
            for line in lines.dropFirst() {
                let f = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                guard f.count == h.split(separator: ",").count, let index = Int(f[1]) else {
                    throw EngineError("shard \(k + 1): a row does not fit the header: \(line)")
                }
                guard seen.insert(index).inserted else { throw EngineError("point \(index) is in two shards") }
                rows.append((index, f))
            }
        }
        guard let header else { throw EngineError("nothing to merge") }
        let columns = header.split(separator: ",").map(String.init)
        func column(_ name: String) -> Int { columns.firstIndex(of: name)! }
        let eligible = column("eligible"), trades = column("trades")
        let key = column(objective.rawValue)
        func value(_ f: [String]) -> Double { Double(f[key]) ?? -.infinity }
        rows.sort { a, b in
            let ea = (Int(a.fields[trades]) ?? 0) >= minTrades, eb = (Int(b.fields[trades]) ?? 0) >= minTrades
            if ea != eb { return ea }
            let va = value(a.fields), vb = value(b.fields)
            if va != vb { return va > vb }
            return a.index < b.index
        }
        var out = [header]
        for (rank, row) in rows.enumerated() {
            var f = row.fields
            f[0] = "\(rank + 1)"
            f[eligible] = (Int(f[trades]) ?? 0) >= minTrades ? "1" : "0"
            out.append(f.joined(separator: ","))
        }
        return out.joined(separator: "\n") + "\n"
    }
}
