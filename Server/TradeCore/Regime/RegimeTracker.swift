/// The regime of one symbol on one timeframe, by the configured method.
/// See `RegimeSettings` for what each method does before it has an opinion.
public struct RegimeTracker: Sendable, Codable {
    private enum State: Sendable, Codable {
        case rule(RuleRegimeClassifier)
        /// Collecting the run's first returns to fit on.
        case training(returns: [Double])
        case hmm(HMMRegimeDetector)
    }

    private let settings: RegimeSettings
    private let barMilliseconds: Int64
    private var state: State
    private var previous: Candle?

    public init(timeframe: Timeframe, settings: RegimeSettings) {
        self.settings = settings
        self.barMilliseconds = timeframe.milliseconds
        switch settings.method {
        case .rule: state = .rule(RuleRegimeClassifier(parameters: settings.rule))
        case .hmm:
            var buffer: [Double] = []
            buffer.reserveCapacity(settings.hmmTrainingBars)
            state = .training(returns: buffer)
        }
    }

    public mutating func update(candle: Candle, features: RegimeFeatures) -> RegimeReading {
        // A return across missing bars is not a one-bar return: skip it (as LogReturns.of does).
        let followsGap = previous.map { candle.openTime - $0.openTime != barMilliseconds } ?? true
        let previousClose = previous?.close ?? .nan
        previous = candle
        switch state {
        case .rule(let classifier):
            return classifier.classify(features)
        case .training(var returns):
            state = .training(returns: [])  // drop the enum's reference so the append does not copy
            if !followsGap, previousClose > 0, candle.close > 0 {
                returns.append(Self.log(candle.close / previousClose))
            }
            if returns.count >= max(settings.hmmTrainingBars, 2 * settings.hmmStates) {
                var model = GaussianHMM(stateCount: settings.hmmStates, initialisedFrom: returns)
                model.fit(returns: returns)
                var detector = HMMRegimeDetector(model: model, mapping: settings.hmmMapping)
                let reading = detector.update(close: candle.close, followsGap: true)  // primes the previous close
                state = .hmm(detector)
                return reading
            }
            state = .training(returns: returns)
            return RegimeReading(label: .chop, confidence: 0)
        case .hmm(var detector):
            state = .training(returns: [])  // as above: keep `detector` uniquely referenced
            let reading = detector.update(close: candle.close, followsGap: followsGap)
            state = .hmm(detector)
            return reading
        }
    }

    private static func log(_ x: Double) -> Double {
        #if canImport(Glibc)
        return Glibc.log(x)
        #else
        return Darwin.log(x)
        #endif
    }
}

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
