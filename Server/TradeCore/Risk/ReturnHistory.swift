/// Recent simple returns per symbol on one timeframe (1h by default), aligned
/// by bar so that symbols can be compared: the input of correlation and VaR.
///
/// A return is close/previous close − 1 of two consecutive bars; across a gap
/// there is none (nothing is filled). The last `window` bars are kept per
/// symbol in a ring indexed by bar number, so storage is fixed and an update is O(1).
public struct ReturnHistory: Sendable, Codable {
    public let barMilliseconds: Int64
    public private(set) var window: Int
    public let symbolCount: Int
    private var values: [Double]
    private var bars: [Int64]
    private var lastBar: [Int64]
    private var lastClose: [Double]
    /// The latest bar number seen on any symbol.
    public private(set) var latestBar: Int64 = .min

    public init(symbolCount: Int, timeframe: Timeframe = .h1, window: Int = 168) {
        precondition(window >= 2)
        self.init(symbolCount: symbolCount, barMilliseconds: timeframe.milliseconds, window: window)
    }

    /// A new window: the returns of the last min(old, new) bars are kept (a
    /// longer window fills up from now on), as are each symbol's last close.
    public mutating func adopt(window newWindow: Int) {
        precondition(newWindow >= 2)
        guard newWindow != window else { return }
        var copy = ReturnHistory(symbolCount: symbolCount, barMilliseconds: barMilliseconds, window: newWindow)
        copy.lastBar = lastBar
        copy.lastClose = lastClose
        copy.latestBar = latestBar
        if latestBar != .min {
            var bar = latestBar - Int64(min(window, newWindow)) + 1
            while bar <= latestBar {
                for s in 0..<symbolCount {
                    guard let v = value(s, bar: bar) else { continue }
                    let slot = copy.slot(s, bar)
                    copy.values[slot] = v
                    copy.bars[slot] = bar
                }
                bar += 1
            }
        }
        self = copy
    }

    private init(symbolCount: Int, barMilliseconds: Int64, window: Int) {
        self.barMilliseconds = barMilliseconds
        self.window = window
        self.symbolCount = symbolCount
        values = Array(repeating: 0, count: symbolCount * window)
        bars = Array(repeating: .min, count: symbolCount * window)
        lastBar = Array(repeating: .min, count: symbolCount)
        lastClose = Array(repeating: .nan, count: symbolCount)
    }

    /// A closed bar of `symbol` (open time, close).
    public mutating func add(symbol: Int, openTime: Int64, close: Double) {
        let bar = UTC.floorDiv(openTime, barMilliseconds)
        if lastBar[symbol] == bar - 1, lastClose[symbol] > 0, close > 0 {
            let slot = slot(symbol, bar)
            values[slot] = close / lastClose[symbol] - 1
            bars[slot] = bar
        }
        lastBar[symbol] = bar
        lastClose[symbol] = close
        latestBar = max(latestBar, bar)
    }

    /// The return of `symbol` on bar number `bar`, if kept.
    @inline(__always) func value(_ symbol: Int, bar: Int64) -> Double? {
        let slot = slot(symbol, bar)
        return bars[slot] == bar ? values[slot] : nil
    }

    @inline(__always) private func slot(_ symbol: Int, _ bar: Int64) -> Int {
        let w = Int64(window)
        return symbol * window + Int((bar % w + w) % w)
    }

    /// Rows of returns over the last `window` bars on which every symbol in
    /// `symbols` has a return, row-major (`rows × symbols.count`), oldest first.
    public func aligned(_ symbols: [Int], into out: inout [Double]) -> Int {
        out.removeAll(keepingCapacity: true)
        guard latestBar != .min, !symbols.isEmpty else { return 0 }
        var rows = 0
        var bar = latestBar - Int64(window) + 1
        while bar <= latestBar {
            var complete = true
            for s in symbols where value(s, bar: bar) == nil { complete = false; break }
            if complete {
                for s in symbols { out.append(value(s, bar: bar)!) }
                rows += 1
            }
            bar += 1
        }
        return rows
    }

    /// Pearson correlation of two symbols' returns over their common bars in
    /// the window; nil with fewer than `minObservations` or a flat series.
    public func correlation(_ a: Int, _ b: Int, minObservations: Int) -> Double? {
        guard latestBar != .min else { return nil }
        var n = 0.0, sx = 0.0, sy = 0.0, sxx = 0.0, syy = 0.0, sxy = 0.0
        var bar = latestBar - Int64(window) + 1
        while bar <= latestBar {
            if let x = value(a, bar: bar), let y = value(b, bar: bar) {
                n += 1; sx += x; sy += y; sxx += x * x; syy += y * y; sxy += x * y
            }
            bar += 1
        }
        guard Int(n) >= minObservations else { return nil }
        let cov = sxy - sx * sy / n
        let vx = sxx - sx * sx / n, vy = syy - sy * sy / n
        guard vx > 0, vy > 0 else { return nil }
        return cov / (vx * vy).squareRoot()
    }
}
