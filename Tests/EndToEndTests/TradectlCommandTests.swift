import Foundation
import TestSupport
import Testing

/// Every tradectl command against a real server, with the exit codes the README documents.
@Suite(.serialized) struct TradectlCommandTests {
    @Test func everyCommandWorksForAnAdmin() throws {
        let f = try Fixture()
        func ok(_ args: [String], json: Bool = false) throws -> CommandResult {
            let r = try f.ctl(args, json: json)
            #expect(r.exitCode == 0, "tradectl \(args.joined(separator: " ")): \(r)")
            return r
        }
        #expect(try ok(["health"]).stdout.contains("serving"))
        #expect(try ok(["status"]).stdout.contains("idle"))
        try ok(["models"])
        // Guardrails: +100 % is past the ±20 % step limit; an admin may force it.
        let refused = try f.ctl(["params", "set", "ema_cross_rsi.notional=2000", "--comment", "bigger"])
        #expect(refused.exitCode == 5 && refused.stderr.contains("at most ±20%"), "\(refused)")
        try ok(["params", "set", "ema_cross_rsi.notional=2000", "--comment", "bigger", "--force"])
        try ok(["start", "--data", Fixture.dataFile, "--speed", "max", "--model", "ema_cross_rsi"])
        let done = try f.waitForState(["ENGINE_STATE_FINISHED"])
        #expect(done["candlesProcessed"] as? String == "50180")

        let trades = try ok(["trades", "--all"], json: true).stdout
        #expect(trades.contains("\"side\":\"ORDER_SIDE_BUY\""))
        let page = try ok(["trades", "--page-size", "2"], json: true).json()
        #expect((page["trades"] as? [Any])?.count == 2)
        #expect(((page["page"] as? [String: Any])?["nextPageToken"] as? String)?.isEmpty == false)
        let signals = try ok(["signals", "--symbol", "BTCUSDT", "--model", "ema_cross_rsi", "--page-size", "5"], json: true).json()
        #expect((signals["signals"] as? [[String: Any]])?.first?["outcome"] as? String == "SIGNAL_OUTCOME_ACCEPTED")
        // Parameters v2 (notional 2000) were used: the first buy is worth about 2000 USDT.
        let first = ((try ok(["trades", "--page-size", "1"], json: true).json()["trades"] as? [[String: Any]])?.first)!
        let notional = Double(first["price"] as! String)! * Double(first["quantity"] as! String)!
        #expect(abs(notional - 2000) < 1)

        #expect(try ok(["orders", "--status", "filled", "--from", "2025-01-02", "--to", "2025-02-01"]).stdout.contains("filled"))
        try ok(["orders", "--page-size", "3"])
        try ok(["positions"])
        try ok(["performance"])
        #expect(try ok(["risk"]).stdout.contains("gross_exposure"))
        try ok(["candles", "--symbol", "BTCUSDT", "--from", "2025-01-01T00:00:00Z", "--page-size", "3"])
        try ok(["params"])
        try ok(["params", "history"])
        #expect(try ok(["rollback", "--version", "1", "--comment", "undo"]).stdout.contains("restored from v1"))

        // A paced run for the lifecycle commands.
        try ok(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "ema_cross_rsi"])
        try ok(["pause", "--reason", "news"])
        #expect(try ok(["status"]).stdout.contains("paused"))
        try ok(["resume"])
        try ok(["context", "--bias", "risk-off", "--note", "CPI", "--expires-in", "30"])
        try ok(["flatten"])
        try ok(["halt", "--reason", "e2e"])
        #expect(try ok(["status"]).stdout.contains("HALTED"))
        try ok(["resume"])
        let watched = try ok(["watch", "status", "--max-events", "2", "--interval", "0.2"], json: true)
        #expect(watched.stdout.split(separator: "\n").count == 2)
        try ok(["stop", "--flatten"])
        // Both runs are in the database, newest first, the second stopped.
        let runs = (try ok(["runs"], json: true).json()["runs"] as? [[String: Any]]) ?? []
        #expect(runs.map { $0["state"] as? String } == ["stopped", "finished"], "\(runs)")
        #expect(try ok(["runs"]).stdout.contains("ema_cross_rsi"))
        try ok(["breakers"])
        try ok(["breakers", "--run", "1"])
        let audit = try ok(["audit", "--method", "Halt"], json: true).json()
        let entry = (audit["entries"] as? [[String: Any]])?.first
        #expect(entry?["caller"] as? String == "admin" && entry?["outcome"] as? String == "AUDIT_OUTCOME_OK")
        #expect((entry?["requestSummary"] as? String)?.contains("e2e") == true)

        let serial = try run(Binaries.tradectl, ["certs", "list", "--dir", f.certs]).stdout
            .split(separator: "\n").first { $0.hasPrefix("ci-bot") }!.split(separator: " ", omittingEmptySubsequences: true)[2]
        #expect(try ok(["revoke", "--serial", String(serial), "--note", "lost laptop"]).stdout.contains("revoked"))
        #expect(try ok(["revoked"]).stdout.contains(String(serial)))
        #expect(try run(Binaries.tradectl, ["completion", "bash"]).stdout.contains("tradectl"))
    }

    /// Paper cuts a new user found: connection and output flags before the
    /// subcommand (as kubectl takes them), status showing only the strategy
    /// that runs, and no stray "(none)" under the risk table.
    @Test func globalFlagsGoBeforeTheSubcommandAndOutputsShowOnlyWhatIsThere() throws {
        let f = try Fixture()
        let connection = ["--server", f.server.address, "--ca", f.certs + "/ca.pem",
                          "--cert=" + f.certs + "/admin.pem", "--key", f.certs + "/admin.key"]
        func before(_ args: [String]) throws -> CommandResult { try run(Binaries.tradectl, connection + args) }
        let idle = try before(["-o", "json", "status"])
        let idleState = (try idle.json()["status"] as? [String: Any])?["state"] as? String
        #expect(idle.exitCode == 0 && idleState == "ENGINE_STATE_IDLE", "\(idle)")
        // While idle, status lists every strategy that could be started.
        #expect(try before(["status"]).stdout.contains("model ema_cross_rsi"))
        #expect(try before(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "models"]).exitCode == 0)
        let status = try before(["status"]).stdout
        #expect(status.contains("model aggressive") && status.contains("model big-picture"), "\(status)")
        #expect(!status.contains("ema_cross_rsi"), "\(status)")
        let risk = try before(["risk"])
        #expect(risk.exitCode == 0 && risk.stdout.contains("gross_exposure") && !risk.stdout.contains("(none)"), "\(risk)")
        // Nested commands and a flag that is not a connection flag keep working.
        #expect(try before(["-o", "json", "params", "show"]).stdout.contains("\"parameters\""))
        let typo = try run(Binaries.tradectl, ["--sever", "x", "status"])
        #expect(typo.exitCode == 64, "\(typo)")
        #expect(try before(["stop"]).exitCode == 0)
    }

    @Test func aViewerIsDeniedEveryControlMethodAndNothingChanges() throws {
        let f = try Fixture()
        let before = try f.ctl(["status"], as: "ci-bot", json: true)
        #expect(before.exitCode == 0, "a viewer may read: \(before)")
        let controls: [[String]] = [
            ["start", "--data", Fixture.dataFile], ["stop"], ["pause"], ["resume"], ["halt", "--reason", "x"], ["flatten"],
            ["context", "--bias", "risk-off"], ["params", "set", "ema_cross_rsi.fast_period=5"], ["rollback", "--version", "1"],
            ["revoke", "--serial", "abcd"], ["revoked"],
        ]
        for args in controls {
            let r = try f.ctl(args, as: "ci-bot")
            #expect(r.exitCode == 4, "viewer: tradectl \(args.joined(separator: " ")) → \(r)")
            #expect(r.stderr.contains("permission denied"))
        }
        let after = try f.ctl(["status"], json: true).json()["status"] as? [String: Any]
        #expect(after?["state"] as? String == "ENGINE_STATE_IDLE")
        #expect(after?["parameterVersion"] as? String == "1")
        #expect(try f.ctl(["revoked"]).stdout.contains("(none)"))
        let audit = try f.ctl(["audit", "--caller", "ci-bot", "--page-size", "100"], json: true).json()
        let entries = audit["entries"] as? [[String: Any]] ?? []
        #expect(entries.count == controls.count)
        #expect(entries.allSatisfy { $0["outcome"] as? String == "AUDIT_OUTCOME_DENIED" && $0["role"] as? String == "ROLE_VIEWER" })
    }

    @Test func anOperatorOperatesButDoesNotAdminister() throws {
        let f = try Fixture()
        #expect(try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "ema_cross_rsi"], as: "ops").exitCode == 0)
        #expect(try f.ctl(["halt", "--reason", "drill"], as: "ops").exitCode == 0)
        let denied = try f.ctl(["params", "set", "ema_cross_rsi.fast_period=5"], as: "ops")
        #expect(denied.exitCode == 4)
        #expect(denied.stderr.contains("needs the admin role"))
        #expect(try f.ctl(["stop"], as: "ops").exitCode == 0)
    }

    @Test func invalidRequestsGiveInvalidArgumentAndChangeNothing() throws {
        let f = try Fixture()
        #expect(try f.ctl(["start", "--data", Fixture.dataFile, "--speed", "60x", "--model", "ema_cross_rsi"]).exitCode == 0)
        let cases: [[String]] = [
            ["trades", "--symbol", "DOGEUSDT"],
            ["signals", "--model", "no_such_model"],
            ["trades", "--page-size", "0"],
            ["trades", "--page-size", "1000000"],
            ["orders", "--page-size=-1"],
            ["trades", "--page-token", "not-a-token"],
            ["trades", "--from", "2025-02-01", "--to", "2025-01-01"],
            ["params", "set", "ema_cross_rsi.notional=-5"],
            ["params", "set", "ema_cross_rsi.fast_period=-3"],
            ["flatten", "--symbol", "DOGEUSDT"],
            ["candles"],
        ]
        for args in cases {
            let r = try f.ctl(args)
            #expect(r.exitCode == 5, "tradectl \(args.joined(separator: " ")) → \(r)")
            #expect(r.stderr.contains("invalid request"))
        }
        let failed = try f.ctl(["start", "--data", Fixture.dataFile])
        #expect(failed.exitCode == 6 && failed.stderr.contains("already running"), "\(failed)")
        let status = try f.ctl(["status"], json: true).json()["status"] as? [String: Any]
        #expect(status?["state"] as? String == "ENGINE_STATE_RUNNING")
        #expect(status?["parameterVersion"] as? String == "1")
        #expect(try f.ctl(["params", "history"], json: true).json()["versions"].map { ($0 as? [Any])?.count } == 1)
    }

    @Test func connectionProblemsExitWith3AndGiveAdvice() throws {
        let f = try Fixture()
        let ca = try f.loadCA()
        try f.write(try ca.issueClient(name: "old", role: .admin, now: Date() - 400 * 86_400, lifetime: 30 * 86_400), name: "old")
        let expired = try f.ctl(["status"], as: "old")
        #expect(expired.exitCode == 3)
        #expect(expired.stderr.contains("expired on") && expired.stderr.contains("tradectl certs issue"))
        let missing = try f.ctl(["status"], as: "nobody")
        #expect(missing.exitCode == 3 && missing.stderr.contains("does not exist"))
        f.server.stop()
        let down = try f.ctl(["status"])
        #expect(down.exitCode == 3 && down.stderr.contains("cannot reach"), "\(down)")
    }
}
