import Foundation
import TradeCore

/// Everything a backtest says about itself, written as JSON by `--report`.
/// Money is a decimal string (exact); statistics are numbers.
public struct BacktestReport: Codable, Sendable {
    public struct DataSummary: Codable, Sendable {
        public var file: String
        public var symbol: String
        public var interval: String
        public var rows: Int
        public var firstOpenTime: Int64
        public var lastOpenTime: Int64
        public var gapCount: Int
        public var missingCandles: Int
        public var largestGapStart: Int64?
        public var largestGapMissing: Int
        public var zeroVolumeCandles: Int

        public init(file: String, symbol: String, interval: String, rows: Int, firstOpenTime: Int64, lastOpenTime: Int64,
                    gapCount: Int, missingCandles: Int, largestGapStart: Int64?, largestGapMissing: Int, zeroVolumeCandles: Int) {
            self.file = file; self.symbol = symbol; self.interval = interval; self.rows = rows
            self.firstOpenTime = firstOpenTime; self.lastOpenTime = lastOpenTime
            self.gapCount = gapCount; self.missingCandles = missingCandles
            self.largestGapStart = largestGapStart; self.largestGapMissing = largestGapMissing
            self.zeroVolumeCandles = zeroVolumeCandles
        }
    }

    public struct Costs: Codable, Sendable {
        public var fill: String
        public var makerFeeBps: Double
        public var takerFeeBps: Double
        public var slippageBps: Double
        public var volatilitySlippage: Double
        public var maxVolumeParticipation: Double?
    }

    public struct OpenPosition: Codable, Sendable {
        public var symbol: String
        public var quantity: String
        public var averageEntryPrice: Double
        public var mark: String
        public var unrealizedPnL: String
    }

    public struct Timing: Codable, Sendable {
        public var loadSeconds: Double
        public var runSeconds: Double
        public var candles: Int
        public var candlesPerSecond: Double
    }

    public var strategy: String
    public var data: [DataSummary]
    public var costs: Costs
    public var initialCash: String
    public var finalEquity: String
    public var realizedPnL: String
    public var feesPaid: String
    public var fills: Int
    public var ordersRejected: Int
    public var openPositions: [OpenPosition]
    public var metrics: PerformanceMetrics
    public var buyAndHold: PerformanceMetrics
    public var sharpeConvention: String
    public var timing: Timing
    /// Present with `--monte-carlo N`.
    public var monteCarlo: MonteCarloReport?
    /// Present for `--strategy models`.
    public var models: ModelsReport?

    public static let sharpeConvention = "daily returns at UTC day close, annualised by sqrt(365), risk-free 0; Sortino uses downside deviation over all days"

    public init(strategy: String, data: [DataSummary], result: BacktestResult, series: [MarketSeries],
                configuration: EngineConfiguration, baseTimeframe: Timeframe, loadSeconds: Double, runSeconds: Double) {
        let initial = configuration.initialCash.doubleValue
        self.strategy = strategy
        self.data = data
        let b = configuration.broker
        self.costs = Costs(fill: b.fillConvention.rawValue, makerFeeBps: Double(b.makerFeeE8) / 10_000,
                           takerFeeBps: Double(b.takerFeeE8) / 10_000, slippageBps: b.slippageBps,
                           volatilitySlippage: b.volatilitySlippage, maxVolumeParticipation: b.maxVolumeParticipation)
        self.initialCash = configuration.initialCash.formatted(digits: 8)
        self.finalEquity = result.finalEquity.formatted(digits: 8)
        self.realizedPnL = result.ledger.realizedPnL.formatted(digits: 8)
        self.feesPaid = result.ledger.feesPaid.formatted(digits: 8)
        self.fills = result.fills.count
        self.ordersRejected = result.orders.filter { $0.status == .rejected }.count
        self.openPositions = result.ledger.positions.enumerated().compactMap { i, p in
            guard !p.isFlat else { return nil }
            return OpenPosition(symbol: result.instruments[i].symbol, quantity: p.quantity.description,
                                averageEntryPrice: p.averageEntryPrice, mark: result.finalMarks[i].description,
                                unrealizedPnL: p.unrealizedPnL(at: result.finalMarks[i]).formatted(digits: 8))
        }
        self.metrics = result.performance(initialEquity: initial, barMilliseconds: baseTimeframe.milliseconds)
        let hold = BuyAndHold.equityCurve(series: series, initialCash: initial)
        self.buyAndHold = PerformanceMetrics.compute(times: hold.times, equity: hold.equity, startEquity: initial,
                                                     barMs: baseTimeframe.milliseconds, stepsInMarket: hold.times.count)
        self.sharpeConvention = Self.sharpeConvention
        self.timing = Timing(loadSeconds: loadSeconds, runSeconds: runSeconds, candles: result.candlesProcessed,
                             candlesPerSecond: runSeconds > 0 ? Double(result.candlesProcessed) / runSeconds : 0)
        self.models = result.models.map(ModelsReport.init)
    }

    public func json() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return try encoder.encode(self)
    }
}

extension BacktestResult {
    /// The run's performance: its equity curve, round trips, time in the market and fees.
    public func performance(initialEquity: Double, barMilliseconds: Int64) -> PerformanceMetrics {
        let trips = RoundTripBuilder.build(fills: fills, symbolCount: instruments.count, lots: instruments.map(\.lotSize))
        let curve = equityCurve
        return PerformanceMetrics.compute(times: curve.times, equity: curve.equity, startEquity: initialEquity,
                                          barMs: barMilliseconds, roundTrips: trips.closed, stepsInMarket: curve.stepsInMarket,
                                          feesPaid: ledger.feesPaid.doubleValue)
    }
}
