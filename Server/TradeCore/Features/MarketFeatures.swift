/// What the engine knows about one symbol on one timeframe at a bar's close:
/// the shared indicator set and the regime. Computed once per closed bar and
/// handed to every strategy that asked for the timeframe, so models never
/// recompute the same EMA.
public struct FeatureSnapshot: Sendable, Codable, Equatable {
    public var close = Double.nan
    public var emaFast = Double.nan      // EMA(20)
    public var emaSlow = Double.nan      // EMA(50)
    public var rsi = Double.nan          // RSI(14), TA-Lib seeding
    public var atr = Double.nan          // ATR(14), Wilder
    public var adx = Double.nan          // ADX(14)
    public var plusDI = Double.nan
    public var minusDI = Double.nan
    public var bollingerUpper = Double.nan   // BBANDS(20, 2)
    public var bollingerMiddle = Double.nan
    public var bollingerLower = Double.nan
    public var zScore = Double.nan       // (close − SMA20) / σ20
    public var roc = Double.nan          // ROC(10), percent
    /// Volume over its 20-bar average (1 = ordinary).
    public var volumeRatio = Double.nan
    /// ATR/close over its slow average (1 = ordinary; see `VolatilityRatio`).
    public var volatilityRatio = Double.nan
    public var regime = RegimeReading(label: .chop, confidence: 0)

    public init() {}

    /// True once every indicator has warmed up.
    public var isWarm: Bool {
        !(emaSlow.isNaN || rsi.isNaN || atr.isNaN || adx.isNaN || bollingerMiddle.isNaN
          || zScore.isNaN || roc.isNaN || volumeRatio.isNaN || volatilityRatio.isNaN)
    }
}

/// The incremental state behind a `FeatureSnapshot` for one symbol and timeframe.
public struct MarketFeatures: Sendable, Codable {
    public private(set) var snapshot = FeatureSnapshot()
    private var emaFast = EMA(period: 20)
    private var emaSlow = EMA(period: 50)
    private var rsi = RSI(period: 14)
    private var atr = ATR(period: 14)
    private var adx = ADX(period: 14)
    private var bollinger = BollingerBands(period: 20, upperDeviations: 2, lowerDeviations: 2)
    private var zScore = ZScore(period: 20)
    private var roc = ROC(period: 10)
    private var volumeAverage = SMA(period: 20)
    private var volatility = VolatilityRatio()
    private var regime: RegimeTracker

    public init(timeframe: Timeframe, regime settings: RegimeSettings) {
        regime = RegimeTracker(timeframe: timeframe, settings: settings)
    }

    public mutating func update(_ c: Candle) {
        emaFast.update(c.close)
        emaSlow.update(c.close)
        rsi.update(c.close)
        atr.update(c)
        adx.update(c)
        bollinger.update(c.close)
        zScore.update(c.close)
        roc.update(c.close)
        volumeAverage.update(c.volume)
        if atr.isReady { volatility.update(atr: atr.value, close: c.close) }

        snapshot.close = c.close
        snapshot.emaFast = emaFast.value
        snapshot.emaSlow = emaSlow.value
        snapshot.rsi = rsi.value
        snapshot.atr = atr.value
        snapshot.adx = adx.adx
        snapshot.plusDI = adx.plusDI
        snapshot.minusDI = adx.minusDI
        snapshot.bollingerUpper = bollinger.upper
        snapshot.bollingerMiddle = bollinger.middle
        snapshot.bollingerLower = bollinger.lower
        snapshot.zScore = zScore.value
        snapshot.roc = roc.value
        let average = volumeAverage.value
        snapshot.volumeRatio = average > 0 ? c.volume / average : (average == 0 ? 1 : .nan)
        snapshot.volatilityRatio = volatility.value
        snapshot.regime = regime.update(candle: c, features: RegimeFeatures(
            adx: snapshot.adx, plusDI: snapshot.plusDI, minusDI: snapshot.minusDI,
            emaFast: snapshot.emaFast, emaSlow: snapshot.emaSlow, close: c.close,
            atr: snapshot.atr, volatilityRatio: snapshot.volatilityRatio))
    }
}
