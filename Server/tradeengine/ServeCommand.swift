import ArgumentParser
import Dispatch
import Foundation
import TradeEngine
import TradeServer
import TradeVenues
import TradeStore

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve the control plane: gRPC over HTTP/2 with mutual TLS, hosting one engine.",
        discussion: """
        Needs ca.pem, server.pem and server.key in --certs (create them with `tradectl certs init --dir certs`).
        Every client must present a certificate from that CA; there is no plaintext mode. Start runs with
        `tradectl start --data FILE`; data files are read only from --data-dir folders.
        Everything durable lives in --db (journal, snapshots, runs, history, parameter versions, audit log).
        On an existing database the latest run is resumed where it was: a running replay continues from its
        next unprocessed candle, a paused or halted one stays so. A database that is corrupt, unreadable,
        read-only, written by a newer build or on a full disk is refused with the reason; nothing starts over it.
        SIGTERM or SIGINT shuts down gracefully: no new calls, streams end, in-flight calls get --grace seconds,
        then the engine stops (the run stays resumable). Prints "listening on HOST:PORT" on standard output once ready.
        """)

    @Option(name: .long, help: ArgumentHelp("Certificate folder.", valueName: "DIR"))
    var certs = "certs"

    @Option(name: .long, help: ArgumentHelp("Address to bind: IPv4, localhost or [IPv6], and a port (0 = any free port).", valueName: "HOST:PORT"))
    var listen = "127.0.0.1:7443"

    @Option(name: .customLong("data-dir"), help: ArgumentHelp("Folder the engine may read candle files from; repeatable.", valueName: "DIR"))
    var dataDirectories: [String] = []

    @Option(name: .long, help: ArgumentHelp("The engine's database (created if missing).", valueName: "FILE"))
    var db = "var/tradeengine.sqlite"

    @Option(name: .long, help: ArgumentHelp("JSON run settings (costs, instruments, regime), as for backtest.", valueName: "FILE"))
    var config: String?

    @Option(name: .long, help: "Seconds in-flight calls may take to finish at shutdown.")
    var grace: Double = 10

    @Option(name: .customLong("stream-buffer"), help: "Events the bus keeps: how far a watcher may fall behind before it loses events.")
    var streamBuffer = 16_384

    @Option(name: .long, help: ArgumentHelp("Candles per commit (one fsync) at most: larger replays faster, smaller lets commands in sooner.", valueName: "N"))
    var batch = 4096

    @Flag(name: .long, help: "Print only warnings and errors (and the listening line).")
    var quiet = false

    @Option(name: .long, help: ArgumentHelp("Serve Prometheus metrics at http://HOST:PORT/metrics (off by default; loopback unless a host is named).", valueName: "HOST:PORT"))
    var metrics: String?

    @Option(name: .customLong("log-format"), help: "Log lines on standard error: text (a terminal) or json (one object per line, for collectors).")
    var logFormat = "text"

    @Option(name: .customLong("feed-stale-seconds"), help: "Paper runs: no kline from the venue for this long (wall time) marks the feed stale, freezes entries and remakes the stream.")
    var feedStaleSeconds: Double = 90

    @Option(name: .customLong("feed-breaker-cooloff-seconds"), help: "Paper runs: how long a venue endpoint's breaker stays OPEN after 5 consecutive failures before one probe.")
    var feedBreakerCoolOffSeconds: Double = 60

    @Option(name: .customLong("feed-backoff-max-seconds"), help: "Paper runs: the longest wait between reconnects (backoff doubles from 1 s to this, with full jitter).")
    var feedBackoffMaxSeconds: Double = 60

    @Option(name: .customLong("binance-keys"), help: ArgumentHelp("Live runs on Binance: a file (mode 0600) of key=… and secret=… lines; or set TRADEENGINE_BINANCE_API_KEY and _API_SECRET.", valueName: "FILE"))
    var binanceKeys: String?

    @Option(name: .customLong("bybit-keys"), help: ArgumentHelp("Live runs on Bybit: as --binance-keys; or TRADEENGINE_BYBIT_API_KEY and _API_SECRET.", valueName: "FILE"))
    var bybitKeys: String?

    /// Each venue's API key from its file or the environment; none given means no live runs there.
    /// The keys stay in this process: never logged, journaled or sent over an RPC.
    func venueCredentials() throws -> [String: VenueCredentials] {
        var out: [String: VenueCredentials] = [:]
        let environment = ProcessInfo.processInfo.environment
        for (venue, file) in [("binance", binanceKeys), ("bybit", bybitKeys)] {
            do {
                if let file {
                    out[venue] = try VenueCredentials.read(file: file)
                } else if let fromEnvironment = try VenueCredentials.fromEnvironment(environment, prefix: EngineHost.credentialsPrefix(venue)) {
                    out[venue] = fromEnvironment
                }
            } catch {
                throw ValidationError("--\(venue)-keys: \(error.description)")
            }
        }
        return out
    }

    func run() async throws {
        let credentials = try venueCredentials()
        guard (0.05...3600).contains(feedStaleSeconds) else { throw ValidationError("--feed-stale-seconds must be 0.05…3600") }
        guard (0.05...3600).contains(feedBreakerCoolOffSeconds) else { throw ValidationError("--feed-breaker-cooloff-seconds must be 0.05…3600") }
        guard (1...3600).contains(feedBackoffMaxSeconds) else { throw ValidationError("--feed-backoff-max-seconds must be 1…3600") }
        var feed = FeedTiming()
        feed.staleAfterMilliseconds = Int64(feedStaleSeconds * 1000)
        feed.breakerCoolOffMilliseconds = Int64(feedBreakerCoolOffSeconds * 1000)
        feed.backoffCapMilliseconds = Int64(feedBackoffMaxSeconds * 1000)
        let address: ListenAddress
        do { address = try ListenAddress(parsing: listen) } catch { throw ValidationError("--listen \(error.description)") }
        guard grace > 0 && grace <= 3600 else { throw ValidationError("--grace must be in (0, 3600] seconds") }
        guard (16...1_000_000).contains(streamBuffer) else { throw ValidationError("--stream-buffer must be 16…1000000") }
        guard (1...1_000_000).contains(batch) else { throw ValidationError("--batch must be 1…1000000") }
        guard let format = LogLineHandler.Format(rawValue: logFormat) else { throw ValidationError("--log-format must be text or json") }
        ServerConsole.format = format
        var metricsAddress: ListenAddress?
        if let metrics {
            let spec = metrics.contains(":") ? metrics : "127.0.0.1:\(metrics)"
            do { metricsAddress = try ListenAddress(parsing: spec) } catch { throw ValidationError("--metrics \(error.description)") }
        }
        var settings = RunSettings()
        if let config {
            do { settings = try RunSettings.load(path: config) } catch { throw ValidationError(error.description) }
        }
        let directories = dataDirectories.isEmpty ? ["."] : dataDirectories
        for d in directories {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: d, isDirectory: &isDirectory), isDirectory.boolValue else {
                throw ValidationError("--data-dir \(d) is not a folder")
            }
        }

        let bus = EventBus(capacity: streamBuffer)
        let quiet = self.quiet
        let log: @Sendable (LogRecord) -> Void = { record in
            bus.publish(.log(record))
            if !quiet || record.level >= .warning { ServerConsole.print(record) }
        }
        let store: TradeStore
        do {
            let folder = (db as NSString).deletingLastPathComponent
            if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
            store = try TradeStore(path: db)
        } catch {
            throw CommandFailure("refusing to serve: the database \(db) cannot be used: \(error)")
        }
        let audit = StoreAuditLog(store: store) { ServerConsole.printAudit($0) }
        let host: EngineHost
        do { host = try EngineHost(store: store, dataDirectories: directories, settings: settings, bus: bus, batchSize: batch) }
        catch { throw CommandFailure("refusing to serve: \(db): \(error)") }
        await host.configure(feed: feed)
        await host.configure(credentials: credentials)
        for (venue, key) in credentials.sorted(by: { $0.key < $1.key }) {
            ServerConsole.print(LogRecord(level: .info, component: "engine", message: "live runs on \(venue) may trade with \(key)"))
        }
        do {
            if let line = try await host.resumeLatestRun() { ServerConsole.print(LogRecord(level: .info, component: "engine", message: line)) }
        } catch {
            throw CommandFailure("refusing to serve: the latest run in \(db) cannot be resumed: \(error)")
        }
        let options = ServerOptions(certificatesDirectory: certs, listen: address,
                                    shutdownGrace: .milliseconds(Int(grace * 1000)))
        let engineMetrics = metricsAddress.map { _ in EngineMetrics() }
        if let engineMetrics { await host.attach(metrics: engineMetrics) }
        // Alerts: delivered off the engine's thread, never holding it up.
        let alerts = settings.alerts.webhooks.isEmpty ? nil : AlertDispatcher(settings: settings.alerts, metrics: engineMetrics, log: log)
        if let alerts {
            await host.attach(alerts: alerts)
            log(LogRecord(level: .info, component: "alerts",
                          message: "alerts (\(settings.alerts.minSeverity.name) and above) to \(settings.alerts.webhooks.map { "\($0.name) (\($0.kind.rawValue))" }.joined(separator: ", "))"))
        }
        let server: TradeEngineServer
        do { server = try TradeEngineServer(options: options, host: host, audit: audit, metrics: engineMetrics, log: log) }
        catch { throw ValidationError("\(error)") }
        var listener: MetricsListener?
        if let metricsAddress, let engineMetrics {
            do {
                listener = try await MetricsListener(host: metricsAddress.host, port: metricsAddress.port,
                                                     refresh: { await host.sampleMetrics() }, exposition: { engineMetrics.exposition() })
            } catch { throw CommandFailure("cannot serve metrics on \(metricsAddress): \(error)") }
        }
        let metricsLine = listener.map { "metrics on http://\($0.boundAddress)/metrics\n" }
        defer { if let listener { Task { await listener.close() } } }

        // The engine's own log lines go to the console too (the server's are printed as they happen).
        let console = Task {
            let lines = bus.subscribe(EventFilter(kinds: [.log], minLevel: quiet ? .warning : .info))
            for try await item in lines {
                if case .event(.log(let record)) = item, record.component != "server" { ServerConsole.print(record) }
                if case .lag(let n) = item { FileHandle.standardError.write(Data("(console fell behind: \(n) events not shown)\n".utf8)) }
            }
        }
        defer { console.cancel() }
        let signals = SignalHandlers { server.beginShutdown() }
        defer { signals.cancel() }
        do {
            try await server.run { bound in
                ServerConsole.printListening(bound)
                if let metricsLine { FileHandle.standardOutput.write(Data(metricsLine.utf8)) }
                log(LogRecord(level: .info, component: "server", message: "mTLS with CA \(certs)/ca.pem; data from \(directories.joined(separator: ", "))"))
            }
        } catch {
            throw ValidationError("cannot serve on \(address): \(error)")
        }
        await alerts?.shutdown()
    }
}

/// SIGTERM and SIGINT start a graceful shutdown; a second one exits at once.
/// `@unchecked`: the sources are set once in init and Dispatch sources are thread-safe.
final class SignalHandlers: @unchecked Sendable {
    private let sources: [DispatchSourceSignal]

    init(onFirst: @escaping @Sendable () -> Void) {
        let count = SignalCount()
        sources = [SIGTERM, SIGINT].map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler {
                if count.increment() == 1 { onFirst() } else { exit(130) }
            }
            source.resume()
            return source
        }
    }

    func cancel() { sources.forEach { $0.cancel() } }
}

private final class SignalCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
