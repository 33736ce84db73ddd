import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import Testing
import TradeAPI

@Suite(.serialized) struct StreamingTests {
    /// 100 watchers on one server during a paced replay: every one is served
    /// through the bus (WatchAll: log lines, status snapshots, signals, fills)
    /// and none holds up the others.
    @Test(.timeLimit(.minutes(3))) func aHundredConcurrentWatchers() async throws {
        let f = try Fixture()
        let security = HTTP2ClientTransport.Posix.TransportSecurity.mTLS(
            certificateChain: [.file(path: f.certs + "/ci-bot.pem", format: .pem)],
            privateKey: .file(path: f.certs + "/ci-bot.key", format: .pem)) {
            $0.trustRoots = .certificates([.file(path: f.certs + "/ca.pem", format: .pem)])
        }
        let transport = try HTTP2ClientTransport.Posix(target: .ipv4(host: "127.0.0.1", port: f.server.port), transportSecurity: security)
        let opened = Counter()
        let counts = try await withGRPCClient(transport: transport) { client in
            let stream = Tradeengine_V1_StreamService.Client(wrapping: client)
            return try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<100 {
                    group.addTask {
                        try await stream.watchAll(.init()) { response in
                            opened.increment()
                            var n = 0
                            for try await m in response.messages {
                                if m.event != nil { n += 1 }
                                if n >= 3 { break }
                            }
                            return n
                        }
                    }
                }
                let deadline = Date().addingTimeInterval(60)
                while opened.value < 100 && Date() < deadline { try await Task.sleep(for: .milliseconds(20)) }
                try await Task.sleep(for: .milliseconds(500))
                // At 60x the run goes on (and publishes a status snapshot every second) until stopped.
                let started = try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "60x"])
                #expect(started.exitCode == 0, "\(started)")
                var all: [Int] = []
                for try await n in group { all.append(n) }
                return all
            }
        }
        #expect(counts.count == 100)
        #expect(counts.allSatisfy { $0 == 3 }, "events seen per watcher: \(counts)")
        #expect(try f.ctl(["stop"]).exitCode == 0)
    }

    /// `tradectl watch` says it lost the server and reconnects once a new one
    /// listens on the same address.
    @Test(.timeLimit(.minutes(3))) func watchReconnectsAfterAServerRestart() async throws {
        let f = try Fixture()
        let port = f.server.port
        let watch = Process()
        watch.executableURL = URL(fileURLWithPath: Binaries.tradectl)
        watch.arguments = ["watch", "status", "--interval", "0.2", "--max-events", "12", "--server", f.server.address,
                           "--ca", f.certs + "/ca.pem", "--cert", f.certs + "/ci-bot.pem", "--key", f.certs + "/ci-bot.key"]
        let err = Pipe(), out = Pipe()
        watch.standardError = err
        watch.standardOutput = out
        try watch.run()
        try await Task.sleep(for: .milliseconds(800))
        #expect(f.server.stop() == 0, "graceful shutdown exits 0")
        try await Task.sleep(for: .milliseconds(1500))
        let second = try ServerProcess(certs: f.certs, dataDir: Fixture.dataDir, port: port, database: f.server.database)
        let deadline = Date().addingTimeInterval(30)
        while watch.isRunning && Date() < deadline { try await Task.sleep(for: .milliseconds(100)) }
        if watch.isRunning { watch.terminate() }
        watch.waitUntilExit()
        second.stop()
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let lines = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self).split(separator: "\n")
        #expect(watch.terminationStatus == 0, "\(errors)")
        #expect(errors.contains("reconnecting in"))
        #expect(errors.contains("reconnected to"))
        #expect(lines.count == 12)
    }
}

final class Counter: Sendable {
    private let count = Mutex(0)
    func increment() { count.withLock { $0 += 1 } }
    var value: Int { count.withLock { $0 } }
}
