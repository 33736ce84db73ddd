import TradeEngine

/// How `tradeengine serve` runs.
public struct ServerOptions: Sendable {
    /// Folder with ca.pem, server.pem, server.key and revoked.txt.
    public var certificatesDirectory: String
    public var listen: ListenAddress
    /// How long in-flight calls may take to finish after SIGTERM/SIGINT.
    public var shutdownGrace: Duration
    /// How often the deny list file is checked for changes.
    public var revocationCheckInterval: Duration

    public init(certificatesDirectory: String = "certs", listen: ListenAddress = .default,
                shutdownGrace: Duration = .seconds(10),
                revocationCheckInterval: Duration = .seconds(1)) {
        self.certificatesDirectory = certificatesDirectory
        self.listen = listen
        self.shutdownGrace = shutdownGrace
        self.revocationCheckInterval = revocationCheckInterval
    }
}
