#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Value at risk and conditional value at risk of a portfolio, parametric and
/// historical, at 95 % and 99 %, as positive fractions of equity (a loss of
/// 0.05 = 5 % of equity).
///
/// Both read the same aligned return rows (`ReturnHistory`, 1h by default):
/// the portfolio's PnL on a row is Σ wᵢ·rᵢ with wᵢ the signed notional (USDT).
/// - parametric: zero-mean normal with the sample σ of those PnLs (equal to
///   √(wᵀΣw) with the sample covariance); VaR = z·σ, CVaR = σ·φ(z)/(1 − α);
/// - historical: the empirical α-quantile of the losses (the ⌈α·n⌉-th
///   smallest), CVaR = the mean of the losses at or beyond it.
/// Both are scaled from the bar to `horizonBars` bars by √horizon (square-root
/// of time; 24 one-hour bars = one day by default).
public struct VaREstimate: Sendable, Codable, Equatable {
    public var parametric95: Double
    public var parametric99: Double
    public var historical95: Double
    public var historical99: Double
    public var parametricCVaR95: Double
    public var parametricCVaR99: Double
    public var historicalCVaR95: Double
    public var historicalCVaR99: Double
    public var observations: Int

    public static let zero = VaREstimate(parametric95: 0, parametric99: 0, historical95: 0, historical99: 0,
                                         parametricCVaR95: 0, parametricCVaR99: 0, historicalCVaR95: 0,
                                         historicalCVaR99: 0, observations: 0)

    /// The larger of the parametric and historical VaR at 95 % or 99 %.
    public func worst(confidence: Double) -> Double {
        confidence >= 0.99 ? max(parametric99, historical99) : max(parametric95, historical95)
    }
}

public enum ValueAtRisk {
    public static let z95 = 1.6448536269514722
    public static let z99 = 2.3263478740408408

    /// - Parameters:
    ///   - weights: signed notional (USDT) per column of `rows`.
    ///   - rows: row-major returns, `count` rows × `weights.count` columns.
    ///   - scratch: reused buffer for the PnL series.
    public static func estimate(weights: [Double], rows: [Double], count: Int, equity: Double,
                                horizonBars: Double, scratch: inout [Double]) -> VaREstimate {
        let k = weights.count
        guard count >= 2, k > 0, equity > 0 else { return .zero }
        scratch.removeAll(keepingCapacity: true)
        var sum = 0.0
        for i in 0..<count {
            var pnl = 0.0
            for j in 0..<k { pnl += weights[j] * rows[i * k + j] }
            scratch.append(pnl)
            sum += pnl
        }
        let mean = sum / Double(count)
        var ss = 0.0
        for x in scratch { ss += (x - mean) * (x - mean) }
        let scale = horizonBars.squareRoot() / equity
        let sigma = (ss / Double(count - 1)).squareRoot() * scale
        // Losses, ascending.
        for i in scratch.indices { scratch[i] = -scratch[i] * scale }
        scratch.sort()
        func historical(_ alpha: Double) -> (Double, Double) {
            let index = min(count - 1, max(0, Int((alpha * Double(count)).rounded(.up)) - 1))
            let v = scratch[index]
            var tail = 0.0
            for i in index..<count { tail += scratch[i] }
            return (v, tail / Double(count - index))
        }
        let (h95, hc95) = historical(0.95)
        let (h99, hc99) = historical(0.99)
        return VaREstimate(parametric95: z95 * sigma, parametric99: z99 * sigma,
                           historical95: h95, historical99: h99,
                           parametricCVaR95: sigma * phi(z95) / 0.05, parametricCVaR99: sigma * phi(z99) / 0.01,
                           historicalCVaR95: hc95, historicalCVaR99: hc99, observations: count)
    }

    /// Standard normal density.
    static func phi(_ z: Double) -> Double { exp(-z * z / 2) / (2 * Double.pi).squareRoot() }
}
