import Foundation
import TestSupport
import Testing

/// `tradectl top` as a person uses it: in a terminal (tmux), refreshing in
/// place, telling when the server goes away, and leaving on `q` or Ctrl-C
/// with the terminal put back.
@Suite(.serialized) struct TopTests {
    /// A tmux server of the test's own (its own socket), killed at the end.
    final class Tmux {
        let socket = "te-top-\(UUID().uuidString.prefix(8))"
        func run(_ args: [String]) throws -> CommandResult { try TestSupport.runCommand("/usr/bin/env", ["tmux", "-L", socket] + args, timeout: 30) }
        func screen() throws -> String { try run(["capture-pane", "-t", "top", "-p"]).stdout }
        /// Starts the session. The tmux server it forks keeps every descriptor
        /// it inherits open — the runner's output pipes among them, which would
        /// then never end — so it is started from Python, whose subprocess
        /// closes all but /dev/null for it.
        func start(width: Int, height: Int, _ command: String) throws -> Int32 {
            let args = ["tmux", "-L", socket, "new-session", "-d", "-s", "top", "-x", "\(width)", "-y", "\(height)", command]
            let json = String(decoding: try JSONSerialization.data(withJSONObject: args), as: UTF8.self)
            let script = "import json, subprocess, sys; sys.exit(subprocess.run(json.loads(sys.argv[1]), close_fds=True, "
                + "stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)"
            return try TestSupport.runCommand("/usr/bin/env", ["python3", "-c", script, json], timeout: 30).exitCode
        }
        /// Polls the screen (bounded) until `predicate` holds; returns the last screen.
        func wait(seconds: Double = 20, _ predicate: (String) -> Bool) throws -> String {
            let deadline = Date().addingTimeInterval(seconds)
            var s = try screen()
            while !predicate(s) && Date() < deadline { usleep(100_000); s = try screen() }
            return s
        }
        deinit { _ = try? run(["kill-server"]) }
    }

    static func command(_ f: Fixture) -> String {
        [Binaries.tradectl, "top", "--interval", "0.3", "--server", f.server.address, "--ca", f.certs + "/ca.pem",
         "--cert", f.certs + "/admin.pem", "--key", f.certs + "/admin.key"].joined(separator: " ")
    }

    @Test func topShowsTheEngineLiveAndQuitsOnQ() throws {
        try #require(try TestSupport.runCommand("/usr/bin/env", ["tmux", "-V"], timeout: 30).exitCode == 0, "tmux is needed: scripts/install-deps.sh")
        let f = try Fixture()
        #expect(try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "models"]).exitCode == 0)
        let tmux = Tmux()
        try #require(try tmux.start(width: 150, height: 50, Self.command(f) + "; echo EXITED $?; sleep 60") == 0)
        let first = try tmux.wait { $0.contains("RUNNING") && $0.contains("HEALTH PART") && $0.contains("gross_exposure") }
        for part in ["MODELS", "aggressive", "big-picture", "BUDGETS", "POSITIONS", "LATEST SIGNALS", "equity 100000.00",
                     "feed", "connected to \(f.server.address)", "(q to quit)"] {
            #expect(first.contains(part), "no \(part) on the screen:\n\(first)")
        }
        // It refreshes in place: the candle count moves, the screen does not scroll.
        func candles(_ s: String) -> Int? {
            s.range(of: "candles ").flatMap { r in Int(s[r.upperBound...].prefix { $0.isNumber }) }
        }
        let later = try tmux.wait { candles($0).map { $0 > (candles(first) ?? 0) } ?? false }
        #expect(candles(later)! > candles(first)!, "\(later)")
        #expect(later.hasPrefix("tradeengine top"), "the dashboard stays at the top of the screen")
        // The server goes away: top says so and keeps trying.
        f.server.stop()
        let lost = try tmux.wait { $0.contains("connection lost") }
        #expect(lost.contains("reconnecting in"), "\(lost)")
        // q leaves, exit code 0, the shell's screen is back (no dashboard left on it).
        _ = try tmux.run(["send-keys", "-t", "top", "q"])
        let after = try tmux.wait { $0.contains("EXITED") }
        #expect(after.contains("EXITED 0") && !after.contains("MODELS"), "\(after)")
    }

    @Test func ctrlCLeavesTopCleanly() throws {
        try #require(try TestSupport.runCommand("/usr/bin/env", ["tmux", "-V"], timeout: 30).exitCode == 0, "tmux is needed: scripts/install-deps.sh")
        let f = try Fixture()
        let tmux = Tmux()
        try #require(try tmux.start(width: 120, height: 40, Self.command(f) + "; echo EXITED $?; sleep 60") == 0)
        let idle = try tmux.wait { $0.contains("IDLE") }
        #expect(idle.contains("IDLE") && idle.contains("MODELS"), "\(idle)")
        _ = try tmux.run(["send-keys", "-t", "top", "C-c"])
        let after = try tmux.wait { $0.contains("EXITED") }
        #expect(after.contains("EXITED 0"), "\(after)")
    }
}
