import Foundation
import TradeCore

/// Everything a `TradingEngine` has learned from its events — the strategy's
/// own state, books, working orders, histories, aggregation and feature state —
/// and nothing it was configured with. Saved periodically beside the journal,
/// so a restart decodes the latest one and replays only the events after it.
/// Between events the engine's scratch buffers are empty, so they are not kept.
public struct EngineSnapshot<S: Strategy & Codable, V: ExecutionVenue>: Codable {
    var strategy: S
    var ledger: Ledger
    /// The venue's own state (the paper broker's working orders and triggers).
    var broker: V
    var orders: RetainedLog<Order>
    var fills: RetainedLog<Fill>
    var equityCurve: EquityCurve
    var currentTime: Int64
    var isFinished: Bool
    var lastClose: [Double]
    var currentBar: [Candle]
    var currentBarIndex: [Int]
    var aggregators: [CandleAggregator]
    var higherBarCount: [[Int]]
    var clientOrderIDs: [String: Int64]
    var features: [[MarketFeatures?]]
    /// The operator's block on entries (absent in snapshots from before operator commands).
    var entriesBlocked: String?
    /// The safety checks' memory (absent in snapshots from before them).
    var safetyState: SafetyState?

    /// The instruments it was taken with; a restore checks they still match.
    var symbols: [String]

    /// Open time of the last event the snapshot includes.
    public var time: Int64 { currentTime }
}

/// Snapshot bytes. JSON with sorted keys and NaN and infinities spelled out (indicators hold NaN
/// while warming up); integers, including 128-bit money, stay exact and every
/// `Double` round-trips through its shortest decimal form.
public enum SnapshotCodec {
    public static func encode<T: Encodable>(_ value: T) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]   // the same state always gives the same bytes
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try decoder.decode(type, from: data)
    }
}

extension TradingEngine where S: Codable {
    /// The engine's state now. Take it between events.
    public func snapshot() -> EngineSnapshot<S, V> {
        EngineSnapshot(strategy: strategy, ledger: ledger, broker: venue, orders: orders, fills: fills,
                       equityCurve: equityCurve, currentTime: currentTime, isFinished: isFinished, lastClose: lastClose,
                       currentBar: currentBar, currentBarIndex: currentBarIndex, aggregators: aggregators,
                       higherBarCount: higherBarCount, clientOrderIDs: clientOrderIDs, features: features,
                       entriesBlocked: entriesBlocked, safetyState: safetyState, symbols: configuration.instruments.map(\.symbol))
    }

    /// An engine that carries on exactly where `snapshot` was taken.
    public init(configuration: EngineConfiguration, baseTimeframe: Timeframe = .m1,
                restoring snapshot: EngineSnapshot<S, V>) throws(EngineError) {
        let symbols = configuration.instruments.map(\.symbol)
        guard snapshot.symbols == symbols else {
            throw EngineError("the snapshot was taken with symbols \(snapshot.symbols.joined(separator: ",")), not \(symbols.joined(separator: ","))")
        }
        self.init(configuration: configuration, strategy: snapshot.strategy, venue: snapshot.broker, baseTimeframe: baseTimeframe)
        ledger = snapshot.ledger
        orders = snapshot.orders
        // The open book is the orders not yet done, in submission (= id) order.
        openOrderIDs = snapshot.orders.filter { !$0.status.isTerminal }.map(\.id)
        fills = snapshot.fills
        equityCurve = snapshot.equityCurve
        currentTime = snapshot.currentTime
        isFinished = snapshot.isFinished
        lastClose = snapshot.lastClose
        currentBar = snapshot.currentBar
        currentBarIndex = snapshot.currentBarIndex
        aggregators = snapshot.aggregators
        higherBarCount = snapshot.higherBarCount
        clientOrderIDs = snapshot.clientOrderIDs
        features = snapshot.features
        entriesBlocked = snapshot.entriesBlocked
        safetyState = snapshot.safetyState ?? SafetyState()
    }
}
