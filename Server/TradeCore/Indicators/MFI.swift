/// Money flow index (TA-Lib 0.8.1 `MFI`, default 14).
///
/// Each bar's money flow TP·volume (TP = (H+L+C)/3) counts as positive when TP
/// rose from the previous bar and negative when it fell; MFI = 100 · positive
/// / (positive + negative) over the last `period` flows, from running sums.
/// TA-Lib 0.8.1's guards, reproduced because they change values on real data:
/// - a TP change within 1e-14 of |TP| + |TP₋₁| is no change (no flow) — two
///   equal typical prices computed from different H, L, C can differ by an ulp;
/// - after `period` consecutive bars without flow the sums are reset to exactly
///   zero, dropping the add/subtract residue;
/// - the positive sum is clamped into [0, total], and an empty window gives 0.
/// Ready after `period + 1` bars; O(1) per update.
public struct MFI: Sendable, Codable {
    public let period: Int
    public private(set) var value: Double = .nan
    private var positiveFlows: RingBuffer
    private var negativeFlows: RingBuffer
    private var positiveTotal = 0.0
    private var negativeTotal = 0.0
    private var previousTypical: Double = .nan
    private var barsWithoutFlow = 0

    public init(period: Int = 14) {
        precondition(period >= 2, "MFI period must be ≥ 2")
        self.period = period
        positiveFlows = RingBuffer(capacity: period)
        negativeFlows = RingBuffer(capacity: period)
    }

    public var isReady: Bool { !value.isNaN }

    public mutating func update(_ candle: Candle) {
        let typical = candle.typicalPrice
        defer { previousTypical = typical }
        guard !previousTypical.isNaN else { return }
        let change = typical - previousTypical
        let flow = TALibZero.isZeroScaled(change, scale: abs(typical) + abs(previousTypical))
            ? 0 : typical * candle.volume
        let positive = change < 0 ? 0 : flow
        let negative = change < 0 ? flow : 0
        if let departing = positiveFlows.push(positive) { positiveTotal -= departing }
        if let departing = negativeFlows.push(negative) { negativeTotal -= departing }
        positiveTotal += positive
        negativeTotal += negative
        barsWithoutFlow = flow == 0 ? barsWithoutFlow + 1 : 0
        if barsWithoutFlow >= period {
            barsWithoutFlow = period
            positiveTotal = 0
            negativeTotal = 0
        }
        guard positiveFlows.isFull else { return }
        let total = positiveTotal + negativeTotal
        let clamped = positiveTotal < 0 ? 0 : (positiveTotal > total ? total : positiveTotal)
        value = total <= 0 ? 0 : 100 * (clamped / total)
    }

    public static func batch(_ candles: [Candle], period: Int = 14) -> [Double] {
        var mfi = MFI(period: period)
        return candles.map { mfi.update($0); return mfi.value }
    }
}
