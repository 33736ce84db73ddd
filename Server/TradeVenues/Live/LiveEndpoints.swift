/// Venue endpoints as the feed is told them.
public enum LiveEndpoints {
    /// ws(s)://host[:port]/path for an http(s) REST base URL: a venue's stream host
    /// is its REST host in tests (the simulator serves both on one port); the real
    /// venues' stream hosts are given by `realStreamHost`.
    public static func webSocketURL(_ rest: String, path: String) -> String {
        var base = rest
        while base.hasSuffix("/") { base.removeLast() }
        if let host = realStreamHost[base] { return host + path }
        if base.hasPrefix("https://") { return "wss://" + base.dropFirst("https://".count) + path }
        if base.hasPrefix("http://") { return "ws://" + base.dropFirst("http://".count) + path }
        return base + path
    }

    /// The real venues stream from hosts other than their REST hosts.
    static let realStreamHost: [String: String] = [
        "https://api.binance.com": "wss://stream.binance.com:9443",
        "https://testnet.binance.vision": "wss://stream.testnet.binance.vision",
        "https://api.bybit.com": "wss://stream.bybit.com",
        "https://api-testnet.bybit.com": "wss://stream-testnet.bybit.com",
    ]
}
