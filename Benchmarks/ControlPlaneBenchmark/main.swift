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
// P-256 certificates, the authorization interceptor, EngineHost over a
// journaled SQLite TradeStore) on a loopback port inside this process, with
// fresh certificates, and measures through real gRPC clients:
//   1. unary GetStatus latency, sequential (p50/p99), and throughput with 32
//      concurrent callers on one connection;
//   2. stream events per second to 1 and to 100 watchers (WatchLogs; events are
//      published onto the engine's bus in batches the watchers can keep up with);
//   3. engine replay speed (candles/s, max speed, real BTC+ETH minutes, every
//      batch one durable commit) with 0 and with 100 WatchAll watchers attached:
//      interleaved pairs of runs (none, 100, none, 100, …), each on a server and
//      a database of its own (a temporary folder, deleted afterwards), timed by
//      the engine from the run's start to FINISHED; per-pair ratios, their
//      median and spread, and the engine thread's CPU time and run-queue wait.
// Client and server share the process and the machine's 2 cores. Build and run in release:
//
//     swift build -c release -Xswiftc -num-threads -Xswiftc 2 --product ControlPlaneBenchmark
//     .build/release/ControlPlaneBenchmark [--parts unary,streams,replay] [--calls 5000] [--runs 3]
//         [--replay-watchers 100] [--replay-warmups 1] [--replay-files A.csv.gz,B.csv.gz]
//
// --runs is the number of 3-second throughput runs (unary) and of replay pairs.

struct BenchmarkFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

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
let replayFiles = argument("--replay-files", default: "BTCUSDT-1m-20250520-20250818.csv.gz,ETHUSDT-1m-20250520-20250818.csv.gz")
    .split(separator: ",").map(String.init)

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
let databaseDir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-db-\(UUID().uuidString)")
let host = try EngineHost(store: TradeStore(path: databaseDir.appendingPathComponent("engine.sqlite").path),
                                dataDirectories: [dataDir], bus: bus)
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
try? FileManager.default.removeItem(at: databaseDir)

/// What the measurements need, passed explicitly (top-level values belong to the main actor).
final class Setup: Sendable {
    let bus: EventBus
    let host: EngineHost
    let folder: CertificateDirectory
    let dataDir: String
    let replayFiles: [String]
    let runs: Int
    let replayWatchers = Int(argument("--replay-watchers", default: "100"))!
    let replayWarmups = Int(argument("--replay-warmups", default: "1"))!
    /// Replays of the data per measured run, back to back in the run's database, so a run lasts seconds.
    let replayRepeat = Int(argument("--replay-repeat", default: "4"))!
    /// For experiments: set the engine thread's nice value (default: as the server sets it).
    let engineNice = Int32(argument("--engine-nice", default: ""))
    let port = Mutex(0)

    init(bus: EventBus, host: EngineHost, folder: CertificateDirectory, dataDir: String, replayFiles: [String], runs: Int) {
        self.bus = bus
        self.host = host
        self.folder = folder
        self.dataDir = dataDir
        self.replayFiles = replayFiles
        self.runs = runs
    }
}

nonisolated func makeTransport(_ setup: Setup, port: Int? = nil) throws -> HTTP2ClientTransport.Posix {
    let folder = setup.folder
    return try HTTP2ClientTransport.Posix(
        target: .ipv4(host: "127.0.0.1", port: port ?? setup.port.withLock { $0 }),
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

/// The kernel's accounting of one thread (Linux /proc), to tell CPU spent from CPU waited for.
struct ThreadAccount {
    /// Seconds on a CPU, and runnable but waiting for one (schedstat).
    var onCPU = 0.0, queued = 0.0
    /// Context switches: voluntary (blocked: fsync, waiting for work), involuntary (preempted).
    var voluntary = 0, involuntary = 0

    static func read(tid: Int32) -> ThreadAccount {
        var a = ThreadAccount()
        if let s = try? String(contentsOfFile: "/proc/self/task/\(tid)/schedstat", encoding: .utf8) {
            let f = s.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
            if f.count >= 2 { a.onCPU = f[0] / 1e9; a.queued = f[1] / 1e9 }
        }
        if let s = try? String(contentsOfFile: "/proc/self/task/\(tid)/status", encoding: .utf8) {
            for line in s.split(separator: "\n") {
                let parts = line.split(separator: ":")
                guard parts.count == 2, let n = Int(parts[1].trimmingCharacters(in: .whitespaces)) else { continue }
                if parts[0] == "voluntary_ctxt_switches" { a.voluntary = n }
                if parts[0] == "nonvoluntary_ctxt_switches" { a.involuntary = n }
            }
        }
        return a
    }

    static func - (l: ThreadAccount, r: ThreadAccount) -> ThreadAccount {
        ThreadAccount(onCPU: l.onCPU - r.onCPU, queued: l.queued - r.queued,
                      voluntary: l.voluntary - r.voluntary, involuntary: l.involuntary - r.involuntary)
    }
}

extension EngineHost {
    /// Starts a replay, reading the engine thread's accounts on that thread just before.
    func benchmarkStart(_ options: StartOptions, tid: Int32) async throws -> ThreadAccount {
        let before = ThreadAccount.read(tid: tid)
        _ = try await start(options)
        return before
    }

    /// The kernel id of the thread this host's actor runs on (its engine thread).
    func benchmarkThreadID() -> Int32 {
        // "/proc/thread-self" links to "<pid>/task/<tid>".
        let link = (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/thread-self")) ?? ""
        return Int32(link.split(separator: "/").last ?? "") ?? 0
    }
}

/// CPU seconds (user + system) of the whole process so far.
func processCPUSeconds() -> Double {
    var u = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &u)
    return Double(u.ru_utime.tv_sec) + Double(u.ru_utime.tv_usec) / 1e6 + Double(u.ru_stime.tv_sec) + Double(u.ru_stime.tv_usec) / 1e6
}

func loadAverage() -> Double {
    var l = [Double](repeating: 0, count: 3)
    return getloadavg(&l, 3) > 0 ? l[0] : .nan
}

struct ReplayResult {
    var watchers = 0
    var candles = 0
    /// The engine's own clock: from the run's start (data loaded, run opened) to its last candle (its uptime once FINISHED).
    var engineSeconds = 0.0
    /// The benchmark's clock: from calling Start (so including reading the files) to the first status poll that saw FINISHED (every 20 ms).
    var observedSeconds = 0.0
    /// The engine thread during the run (from Start, including reading the files, to FINISHED).
    var thread = ThreadAccount()
    var processCPU = 0.0
    /// Events the watchers received in total, and the events they were told they lost (lag markers).
    var delivered = 0, lost = 0
    var load = 0.0
    var rate: Double { Double(candles) / engineSeconds }
}

/// Counters shared by the watchers of one run.
final class WatcherCounts: Sendable {
    let delivered = Atomic<Int>(0)
    let lost = Atomic<Int>(0)
}

/// One replay on a server of its own over a fresh database (a temporary folder,
/// deleted afterwards), with `watchers` WatchAll streams attached on one connection.
nonisolated func replayRun(_ setup: Setup, watchers: Int) async throws -> ReplayResult {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("bench-replay-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    let store = try TradeStore(path: dir.appendingPathComponent("engine.sqlite").path)
    let bus = EventBus()
    let host = try EngineHost(store: store, dataDirectories: [setup.dataDir], bus: bus)
    let server = try TradeEngineServer(
        options: ServerOptions(certificatesDirectory: setup.folder.path, listen: ListenAddress(host: "127.0.0.1", port: 0, family: .ipv4)),
        host: host, audit: InMemoryAuditLog(), log: { _ in })
    let bound = Mutex("")
    let serving = Task { try await server.run { address in bound.withLock { $0 = address } } }
    while bound.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(10)) }
    let port = Int(bound.withLock { $0 }.split(separator: ":").last!)!
    let tid = await host.benchmarkThreadID()
    let counts = WatcherCounts()

    if let nice = setup.engineNice {
        guard setpriority(__priority_which_t(PRIO_PROCESS.rawValue), id_t(tid), nice) == 0 else {
            throw BenchmarkFailure("--engine-nice \(nice): setpriority failed (errno \(errno); a negative value needs CAP_SYS_NICE)")
        }
    }
    let measure: @Sendable () async throws -> ReplayResult = {
        var r = ReplayResult(watchers: watchers)
        r.load = loadAverage()
        for _ in 0..<setup.replayRepeat {
            // The benchmark's task may resume late (100 busy watchers on the pool): read the engine thread's accounts on it.
            let t0 = ContinuousClock.now, c0 = processCPUSeconds()
            let a0 = try await host.benchmarkStart(StartOptions(mode: .replay, source: .files(setup.replayFiles), speed: .max,
                                                                models: ["ema_cross_rsi"]), tid: tid)
            var s = await host.status()
            while s.state == .running {
                try await Task.sleep(for: .milliseconds(20))
                s = await host.status()
            }
            r.observedSeconds += (ContinuousClock.now - t0).seconds
            let a = ThreadAccount.read(tid: tid) - a0
            r.thread.onCPU += a.onCPU; r.thread.queued += a.queued
            r.thread.voluntary += a.voluntary; r.thread.involuntary += a.involuntary
            r.processCPU += processCPUSeconds() - c0
            guard s.state == .finished else { throw BenchmarkFailure("the replay ended \(s.state) instead of finished: \(s.message)") }
            r.engineSeconds += s.uptimeSeconds
            r.candles += Int(s.candlesProcessed)
        }
        return r
    }

    var result: ReplayResult
    if watchers == 0 {
        result = try await measure()
    } else {
        result = try await withGRPCClient(transport: try makeTransport(setup, port: port)) { client in
            let stream = Tradeengine_V1_StreamService.Client(wrapping: client)
            return try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<watchers {
                    group.addTask {
                        try await stream.watchAll(.init()) { response in
                            for try await m in response.messages {
                                if case .lag(let l)? = m.event { counts.lost.add(Int(l.dropped), ordering: .relaxed) }
                                else { counts.delivered.add(1, ordering: .relaxed) }
                            }
                        }
                    }
                }
                // Subscribed on the bus (not just the stream opened), so none misses the start.
                while bus.subscriberCount < watchers { try await Task.sleep(for: .milliseconds(5)) }
                let r = try await measure()
                group.cancelAll()
                return r
            }
        }
    }
    result.delivered = counts.delivered.load(ordering: .relaxed)
    result.lost = counts.lost.load(ordering: .relaxed)
    server.beginShutdown()
    try await serving.value
    try? store.close()
    return result
}

nonisolated func median(_ x: [Double]) -> Double { quantile(x, 0.5) }

/// Linear interpolation between order statistics (type 7, as R and NumPy by default).
nonisolated func quantile(_ x: [Double], _ p: Double) -> Double {
    let s = x.sorted()
    guard s.count > 1 else { return s.first ?? .nan }
    let h = Double(s.count - 1) * p
    let lo = Int(h.rounded(.down)), hi = min(s.count - 1, lo + 1)
    return s[lo] + (h - Double(lo)) * (s[hi] - s[lo])
}

nonisolated func describe(_ r: ReplayResult) -> String {
    var line = String(format: "%8.0f candles/s, %.2f s (seen %.2f s); engine thread on CPU %.2f s, waiting for a CPU %.2f s, %d/%d voluntary/involuntary switches; process CPU %.2f s; load %.1f",
                      r.rate, r.engineSeconds, r.observedSeconds, r.thread.onCPU, r.thread.queued, r.thread.voluntary,
                      r.thread.involuntary, r.processCPU, r.load)
    if r.watchers > 0 {
        line += String(format: "; delivered %.0f events per watcher, lost %.0f", Double(r.delivered) / Double(r.watchers),
                       Double(r.lost) / Double(r.watchers))
    }
    return line
}

nonisolated func replayBenchmark(_ setup: Setup) async throws {
    let pairs = setup.runs, n = setup.replayWatchers
    print("replay: \(setup.replayFiles.joined(separator: " + ")) × \(setup.replayRepeat) back to back per run, max speed, ema_cross_rsi, a fresh database and server per run; \(setup.replayWarmups) warm-up run(s), then \(pairs) pairs (none, \(n) watchers) in turn\(setup.engineNice.map { "; engine thread set to nice \($0)" } ?? "")")
    for w in 0..<setup.replayWarmups {
        let r = try await replayRun(setup, watchers: 0)
        print("  warm-up \(w + 1), not counted: \(describe(r))")
        try await Task.sleep(for: .milliseconds(500))
    }
    var alone: [ReplayResult] = [], watched: [ReplayResult] = []
    for pair in 0..<pairs {
        alone.append(try await replayRun(setup, watchers: 0))
        print(String(format: "  pair %d, no watchers:  %@", pair + 1, describe(alone.last!)))
        try await Task.sleep(for: .milliseconds(500))
        watched.append(try await replayRun(setup, watchers: n))
        print(String(format: "  pair %d, %d watchers: %@", pair + 1, n, describe(watched.last!)))
        print(String(format: "  pair %d: ratio %.3f (%+.1f %%)", pair + 1, watched.last!.rate / alone.last!.rate,
                     (watched.last!.rate / alone.last!.rate - 1) * 100))
        try await Task.sleep(for: .milliseconds(500))
    }
    guard pairs > 0 else { return }
    let diffs = zip(alone, watched).map { ($1.rate / $0.rate - 1) * 100 }
    let cpuDiffs = zip(alone, watched).map { ($1.thread.onCPU / Double($1.candles)) / ($0.thread.onCPU / Double($0.candles)) * 100 - 100 }
    print(String(format: "replay, %d pairs, %d candles per run: median %.0f candles/s with no watchers (%.0f – %.0f), %.0f with %d WatchAll watchers (%.0f – %.0f)",
                 pairs, alone[0].candles, median(alone.map(\.rate)), alone.map(\.rate).min()!, alone.map(\.rate).max()!,
                 median(watched.map(\.rate)), n, watched.map(\.rate).min()!, watched.map(\.rate).max()!))
    print(String(format: "replay difference with %d watchers, per pair: median %+.1f %%, interquartile %+.1f … %+.1f %%, min %+.1f %%, max %+.1f %% (pairs: %@)",
                 n, median(diffs), quantile(diffs, 0.25), quantile(diffs, 0.75), diffs.min()!, diffs.max()!,
                 diffs.map { String(format: "%+.1f", $0) }.joined(separator: ", ")))
    print(String(format: "engine thread CPU per candle with watchers, per pair: median %+.1f %% (min %+.1f, max %+.1f); waiting for a CPU: median %.2f s alone, %.2f s with watchers",
                 median(cpuDiffs), cpuDiffs.min()!, cpuDiffs.max()!, median(alone.map(\.thread.queued)), median(watched.map(\.thread.queued))))
}

extension Duration {
    var seconds: Double { Double(components.seconds) + Double(components.attoseconds) * 1e-18 }
}
