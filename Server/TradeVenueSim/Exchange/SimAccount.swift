/// An API key's account at the simulated venue: its secret and its balances.
public struct SimAccount: Sendable, Equatable {
    public struct Balance: Sendable, Equatable {
        public var free = Decimal8.zero
        public var locked = Decimal8.zero
    }

    public var key: String
    public var secret: String
    public var balances: [String: Balance]

    public init(key: String, secret: String, balances: [String: Decimal8]) {
        self.key = key
        self.secret = secret
        self.balances = balances.mapValues { Balance(free: $0) }
    }

    /// Parses `KEY:SECRET[:USDT=100000,BTC=0]` (the `--account` flag); without balances, 100,000 USDT.
    public static func parse(_ text: String) -> SimAccount? {
        let parts = text.split(separator: ":", maxSplits: 2, omittingEmptySubsequences: false).map(String.init)
        guard parts.count >= 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        var balances: [String: Decimal8] = ["USDT": Decimal8(units: 100_000)]
        if parts.count == 3 {
            balances = [:]
            for item in parts[2].split(separator: ",") {
                let kv = item.split(separator: "=", maxSplits: 1)
                guard kv.count == 2, !kv[0].isEmpty, let amount = Decimal8(kv[1]), amount.raw >= 0 else { return nil }
                balances[kv[0].uppercased()] = amount
            }
        }
        return SimAccount(key: parts[0], secret: parts[1], balances: balances)
    }

    public subscript(asset: String) -> Balance {
        get { balances[asset] ?? Balance() }
        set { balances[asset] = newValue }
    }
}
