import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TradeAPI
import TradeEngine
import TradeSecurity
import TradeServer
import TradeStore

// Control-plane benchmark (issue: remote control plane, item 11).
//
// Starts the real server stack (TradeEngineServer: HTTP/2, mutual TLS with
// P-256 certificates, the authorization interceptor, ReplayEngineHost) on a
// loopback port inside this process, with fresh certificates, and measures
// through real gRPC clients:
//   1. unary GetStatus latency, sequential (p50/p99), and throughput with 32
//      concurrent callers on one connection;
//   2. stream events per second to 1 and to 100 watchers (WatchLogs; events are
//      published onto the engine's bus in batches the watchers can keep up with);
//   3. engine replay speed (candles/s, max speed, real BTC+ETH minutes) with 0
//      and with 100 WatchAll watchers attached.
// Client and server share the process and the machine's 2 cores. Build and run in release:
//
//     swift build -c release -Xswiftc -num-threads -Xswiftc 2 --product ControlPlaneBenchmark
//     .build/release/ControlPlaneBenchmark [--calls 5000] [--runs 3]

func argument(_ name: String, default value: String) -> String {
    let args = CommandLine.arguments
    if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
    return value
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    sorted[min(sorted.count - 1, Int(Double(sorted.count - 1) * p + 0.5))]
}

let calls = Int(argument("--calls", default: "5000"))!
/// Which measurements to run: any of unary, streams, replay (comma-separated).
let parts = Set(argument("--parts", default: "unary,streams,replay").split(separator: ",").map(String.init))
let runs = Int(argument("--runs", default: "3"))!
let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
let dataDir = root.deletingLastPathComponent().appendingPathComponent("shared/data").path
let replayFiles = ["BTCUSDT-1m-20250520-20250818.csv.gz", "ETHUSDT-1m-20250520-20250818.csv.gz"]

// Fresh certificates.
let certs = FileManager.default.temporaryDirectory.appendingPathComponent("bench-certs-\(UUID().uuidString)").path
let folder = CertificateDirectory(path: certs)
try folder.create()
let ca = try CertificateAuthority.create()
try folder.write(ca.credential, name: "ca")
try folder.write(try ca.issueServer(dnsNames: ["localhost"], ipAddresses: ["127.0.0.1"]), name: "server")
try folder.write(try ca.issueClient(name: "admin", role: .admin), name: "admin")

let bus = EventBus()
// The engine journals every candle to its database, as `tradeengine serve` does.
let database = FileManager.default.temporaryDirectory.appendingPathComponent("bench-\(UUID().uuidString).sqlite").path
let host = try ReplayEngineHost(store: TradeStore(path: database), dataDirectories: [dataDir], bus: bus)
let setup = Setup(bus: bus, host: host, folder: folder, dataDir: dataDir, replayFiles: replayFiles, runs: runs)
let server = try TradeEngineServer(
    options: ServerOptions(certificatesDirectory: certs, listen: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4)),
    host: host, audit: InMemoryAuditLog(), log: { _ in })
let bound = Mutex("")
let serving = Task { try await server.run { address in bound.withLock { $0 = address } } }
while bound.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
let port = Int(bound.withLock { $0 }.split(separator: ":").last!)!
print("server on 127.0.0.1:\(port), mTLS P-256; \(ProcessInfo.processInfo.activeProcessorCount) cores; engine thread priority raised: \(await host.engineThreadPriorityRaised)")
setup.port.withLock { $0 = port }
if parts.contains("unary") { try await unaryBenchmark(setup, calls: calls) }
if parts.contains("streams") {
    try await streamBenchmark(setup, watchers: 1, events: 200_000)
    try await streamBenchmark(setup, watchers: 100, events: 5_000)
}
if parts.contains("replay") { try await replayBenchmark(setup) }
server.beginShutdown()
try await serving.value
try? FileManager.default.removeItem(atPath: certs)

/// What the measurements need, passed explicitly (top-level values belong to the main actor).
final class Setup: Sendable {
    let bus: EventBus
    let host: ReplayEngineHost
    let folder: CertificateDirectory
    let dataDir: String
    let replayFiles: [String]
    let runs: Int
    let replayWatchers = Int(argument("--replay-watchers", default: "100"))!
    let port = Mutex(0)

    init(bus: EventBus, host: ReplayEngineHost, folder: CertificateDirectory, dataDir: String, replayFiles: [String], runs: Int) {
        self.bus = bus
        self.host = host
        self.folder = folder
        self.dataDir = dataDir
        self.replayFiles = replayFiles
        self.runs = runs
    }
}

nonisolated func makeTransport(_ setup: Setup) throws -> HTTP2ClientTransport.Posix {
    let folder = setup.folder
    return try HTTP2ClientTransport.Posix(
        target: .ipv4(host: "127.0.0.1", port: setup.port.withLock { $0 }),
        transportSecurity: .mTLS(certificateChain: [.file(path: folder.certificatePath(name: "admin"), format: .pem)],
                                 privateKey: .file(path: folder.keyPath(name: "admin"), format: .pem)) {
            $0.trustRoots = .certificates([.file(path: folder.caCertificatePath, format: .pem)])
        })
}

// MARK: 1. Unary

nonisolated func unaryBenchmark(_ setup: Setup, calls: Int) async throws {
  let runs = setup.runs
  try await withGRPCClient(transport: try makeTransport(setup)) { client in
    let query = Tradeengine_V1_QueryService.Client(wrapping: client)
    for _ in 0..<500 { _ = try await query.getStatus(.init()) }  // warm-up, connection established
    var latencies: [Double] = []
    latencies.reserveCapacity(calls)
    for _ in 0..<calls {
        let t = ContinuousClock.now
        _ = try await query.getStatus(.init())
        latencies.append((ContinuousClock.now - t).seconds * 1000)
    }
    latencies.sort()
    print(String(format: "unary GetStatus, sequential, %d calls: p50 %.3f ms, p99 %.3f ms, max %.3f ms",
                 calls, percentile(latencies, 0.5), percentile(latencies, 0.99), latencies.last!))

    for _ in 0..<runs {
        let duration = Duration.seconds(3)
        let start = ContinuousClock.now
        let total = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<32 {
                group.addTask {
                    var n = 0
                    while ContinuousClock.now - start < duration {
                        _ = try await query.getStatus(.init())
                        n += 1
                    }
                    return n
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = (ContinuousClock.now - start).seconds
        print(String(format: "unary GetStatus, 32 concurrent callers: %.0f calls/s (%d calls in %.2f s)", Double(total) / elapsed, total, elapsed))
    }
  }
}

// MARK: 2. Streams

/// Counts what watchers received, so the publisher can pace itself to them.
final class Received: Sendable {
    private let counts: Mutex<[Int]>
    let opened = Mutex(0)
    init(_ n: Int) { counts = Mutex(Array(repeating: 0, count: n)) }
    /// Adds to watcher `w`'s count and returns the new count.
    func add(_ w: Int, _ n: Int) -> Int { counts.withLock { $0[w] += n; return $0[w] } }
    var minimum: Int { counts.withLock { $0.min() ?? 0 } }
    var total: Int { counts.withLock { $0.reduce(0, +) } }
}

nonisolated func streamBenchmark(_ setup: Setup, watchers: Int, events: Int) async throws {
    let received = Received(watchers)
    let bus = setup.bus
    try await withGRPCClient(transport: try makeTransport(setup)) { client in
        let stream = Tradeengine_V1_StreamService.Client(wrapping: client)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for w in 0..<watchers {
                group.addTask {
                    var request = Tradeengine_V1_WatchLogsRequest()
                    request.components = ["bench"]
                    try await stream.watchLogs(request) { response in
                        received.opened.withLock { $0 += 1 }
                        for try await m in response.messages {
                            var seen = 0
                            switch m.event {
                            case .log?: seen = received.add(w, 1)
                            case .lag(let l)?: seen = received.add(w, Int(l.dropped))
                            case nil: break
                            }
                            if seen >= events { return }
                        }
                    }
                }
            }
            while received.opened.withLock({ $0 }) < watchers { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(200))
            let batch = 1024
            let start = ContinuousClock.now
            var published = 0
            while published < events {
                // Keep at most two batches in flight per watcher: no drops, full pipes.
                while published - received.minimum > 2 * batch { try await Task.sleep(for: .microseconds(200)) }
                for _ in 0..<min(batch, events - published) {
                    published += 1
                    bus.publish(.log(LogRecord(level: .info, component: "bench", message: "event \(published)")))
                }
            }
            try await group.waitForAll()
            let elapsed = (ContinuousClock.now - start).seconds
            print(String(format: "stream WatchLogs to %d watcher(s): %.0f events/s delivered in total (%.0f per watcher), %d events each in %.2f s",
                         watchers, Double(received.total) / elapsed, Double(events) / elapsed, events, elapsed))
        }
    }
}

// MARK: 3. Replay speed with and without watchers

nonisolated func replay(_ setup: Setup) async throws -> Double {
    let host = setup.host, replayFiles = setup.replayFiles
    // Timed by the host, from the run's start (after the candle files are read)
    // to its last candle: the uptime of a finished run.
    _ = try await host.start(StartOptions(mode: .replay, source: .files(replayFiles), speed: .max, models: ["ema_cross_rsi"]))
    while await host.status().state == .running { try await Task.sleep(for: .milliseconds(5)) }
    let s = await host.status()
    let elapsed = s.uptimeSeconds
    guard s.state == .finished else { fatalError("replay ended \(s.state): \(s.message)") }
    return Double(s.candlesProcessed) / elapsed
}

nonisolated func median(_ x: [Double]) -> Double { let s = x.sorted(); return s[s.count / 2] }

nonisolated func replayBenchmark(_ setup: Setup) async throws {
let runs = setup.runs, replayFiles = setup.replayFiles
var alone: [Double] = []
var watched: [Double] = []
let delivered = Received(1)
for run in 0..<runs {
    alone.append(try await replay(setup))
    if setup.replayWatchers == 0 { print(String(format: "replay run %d: %.0f candles/s alone", run + 1, alone.last!)); continue }
    let rate = try await withGRPCClient(transport: try makeTransport(setup)) { client in
        let stream = Tradeengine_V1_StreamService.Client(wrapping: client)
        let opened = Received(1)
        return try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<setup.replayWatchers {
                group.addTask {
                    try await stream.watchAll(.init()) { response in
                        _ = opened.add(0, 1)
                        for try await _ in response.messages { _ = delivered.add(0, 1) }
                    }
                }
            }
            while opened.total < setup.replayWatchers { try await Task.sleep(for: .milliseconds(5)) }
            let r = try await replay(setup)
            group.cancelAll()
            return r
        }
    }
    watched.append(rate)
    print(String(format: "replay run %d: %.0f candles/s alone, %.0f with 100 watchers", run + 1, alone.last!, rate))
}
guard !watched.isEmpty else { return }
let a = median(alone), w = median(watched)
print(String(format: "replay (BTC+ETH 1m, %@, max speed), median of %d: %.0f candles/s alone, %.0f with 100 WatchAll watchers (%+.1f%%); %d events delivered to watchers",
             replayFiles.joined(separator: " + "), runs, a, w, (w / a - 1) * 100, delivered.total))
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
