import Foundation
import TestSupport
@testable import TradeCore

/// Real BTC 1h candles and the HMMs fitted on them, shared by the regime
/// tests. Loaded and fitted once per test process (lazy statics).
enum RegimeTestData {
    static let hour: Int64 = 3_600_000
    static let fileName = "BTCUSDT-1h-20170817-20251202.csv"

    struct Missing: Error, CustomStringConvertible {
        let description: String
    }

    private static let loaded: [Candle]? = try? SharedData.candles(fileName)

    static func btc1h() throws -> [Candle] {
        guard let candles = loaded else { throw Missing(description: "cannot read \(SharedData.data(fileName))") }
        return candles
    }

    /// Unix ms of a UTC date and hour.
    static func utc(_ year: Int, _ month: Int, _ day: Int, _ hour: Int = 0) -> Int64 {
        SharedData.utc(year, month, day, hour)
    }

    /// Candles with `from ≤ openTime < to`.
    static func candles(from: Int64, to: Int64) throws -> ArraySlice<Candle> {
        let all = try btc1h()
        let lower = all.partitionPoint { $0.openTime < from }
        let upper = all.partitionPoint { $0.openTime < to }
        return all[lower..<upper]
    }

    /// Gap-aware log returns of the candles in [from, to).
    static func returns(from: Int64, to: Int64) throws -> [Double] {
        LogReturns.of(try candles(from: from, to: to), barMilliseconds: hour)
    }

    /// The library's default initialisation followed by the default fit.
    static func fitted(_ returns: [Double], stateCount: Int = 4) -> GaussianHMM {
        var model = GaussianHMM(stateCount: stateCount, initialisedFrom: returns)
        model.fit(returns: returns)
        return model
    }

    /// 2019-01-01 → 2022-01-01: the training slice of the fit tests.
    static let trainingReturns: [Double]? = try? returns(from: utc(2019, 1, 1), to: utc(2022, 1, 1))
    static let model2019to2021: GaussianHMM? = trainingReturns.map { fitted($0) }

    static func trainedModel() throws -> GaussianHMM {
        guard let model = model2019to2021 else { throw Missing(description: "no training data") }
        return model
    }

    /// Feeds `candles` to `detector`, flagging the bar after each gap, and
    /// returns each bar's open time with the reading after it.
    static func run(_ detector: inout HMMRegimeDetector,
                    over candles: ArraySlice<Candle>) -> [(openTime: Int64, reading: RegimeReading)] {
        var out: [(openTime: Int64, reading: RegimeReading)] = []
        var previousOpen: Int64?
        for c in candles {
            let gap = previousOpen.map { c.openTime - $0 != hour } ?? false
            out.append((c.openTime, detector.update(close: c.close, followsGap: gap)))
            previousOpen = c.openTime
        }
        return out
    }

    /// Start of the 7-day window in [from, to) with the lowest mean squared
    /// hourly log return (returns across gaps skipped), stepping by bar.
    static func quietestWeek(from: Int64, to: Int64) throws -> Int64 {
        let bars = try candles(from: from, to: to)
        var points: [(time: Int64, square: Double)] = []
        var previous: Candle?
        for c in bars {
            if let p = previous, c.openTime - p.openTime == hour {
                let r = log(c.close / p.close)
                points.append((c.openTime, r * r))
            }
            previous = c
        }
        let week = 7 * 24 * hour
        var best = (start: Int64(0), meanSquare: Double.infinity)
        var end = 0
        var sum = 0.0
        for start in points.indices {
            guard points[start].time + week <= to else { break }
            while end < points.count && points[end].time < points[start].time + week {
                sum += points[end].square
                end += 1
            }
            let meanSquare = sum / Double(end - start)
            if meanSquare < best.meanSquare { best = (points[start].time, meanSquare) }
            sum -= points[start].square
        }
        return best.start
    }
}

fileprivate extension Collection {
    /// Index of the first element not satisfying `belongsBefore` (the
    /// collection is partitioned by it).
    func partitionPoint(_ belongsBefore: (Element) -> Bool) -> Index {
        var low = startIndex
        var count = self.count
        while count > 0 {
            let half = count / 2
            let mid = index(low, offsetBy: half)
            if belongsBefore(self[mid]) {
                low = index(after: mid)
                count -= half + 1
            } else {
                count = half
            }
        }
        return low
    }
}

