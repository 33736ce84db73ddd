import TradeCore

/// How well orders were executed, per model and venue (seed 000's dashboard): how much of
/// what was asked for filled, how far fills landed from the price the decision saw (basis
/// points, signed so that positive is worse for us), how often orders ended cancelled or
/// refused, and how long the venue took to acknowledge. Samples are bounded.
public struct ExecutionQuality: Sendable, Equatable {
    public struct Key: Sendable, Hashable, Comparable {
        public var model: String
        public var venue: String
        public init(model: String, venue: String) {
            self.model = model
            self.venue = venue
        }
        public static func < (a: Key, b: Key) -> Bool { (a.model, a.venue) < (b.model, b.venue) }
    }

    public struct Figures: Sendable, Equatable {
        public var ordersSent = 0
        public var acknowledged = 0
        public var cancelled = 0
        public var rejected = 0
        public var quantityOrdered = 0.0
        public var quantityFilled = 0.0
        /// The latest samples (about `ExecutionQuality.window` each), oldest first.
        public private(set) var slippageBps = SampleWindow(capacity: ExecutionQuality.window)
        public private(set) var acknowledgementMs = SampleWindow(capacity: ExecutionQuality.window)

        public var fillRatio: Double { quantityOrdered > 0 ? quantityFilled / quantityOrdered : 0 }
        /// Of the orders sent, the share that ended cancelled.
        public var cancelRate: Double { ordersSent > 0 ? Double(cancelled) / Double(ordersSent) : 0 }
        public var slippageP50: Double? { slippageBps.percentile(0.5) }
        public var slippageP99: Double? { slippageBps.percentile(0.99) }
        public var acknowledgementP50: Double? { acknowledgementMs.percentile(0.5) }
        public var acknowledgementP99: Double? { acknowledgementMs.percentile(0.99) }

        mutating func sample(slippage: Double) { slippageBps.append(slippage) }
        mutating func sample(acknowledgement: Double) { acknowledgementMs.append(acknowledgement) }

        /// Nearest rank (the samples' windows use the same).
        public static func percentile(_ samples: [Double], _ p: Double) -> Double? { SampleWindow.percentile(samples, p) }
    }

    public static let window = 2_048
    public private(set) var figures: [Key: Figures] = [:]

    public init() {}

    mutating func update(_ key: Key, _ change: (inout Figures) -> Void) { change(&figures[key, default: Figures()]) }

    /// Signed slippage of a fill against the decision's price: positive when it cost us.
    public static func slippageBps(side: OrderSide, decision: Double, fill: Double) -> Double {
        guard decision > 0 else { return 0 }
        let bps = (fill / decision - 1) * 10_000
        return side == .buy ? bps : -bps
    }
}
