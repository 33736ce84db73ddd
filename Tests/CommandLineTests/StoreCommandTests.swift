import Foundation
import Testing
import TestSupport

/// `tradeengine import` and `tradeengine backtest --db` as a user runs them.
@Suite struct StoreCommandTests {
    let scratch: URL = {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("tradeengine-store-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }()

    func tradeengine(_ args: [String]) throws -> ProductBinary.Output { try ProductBinary.run("tradeengine", args) }
    func file(_ name: String) -> String { scratch.appendingPathComponent(name).path }

    @Test func importingTwiceChangesNothingTheSecondTime() throws {
        let db = file("var/te.sqlite")
        let files = [SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), SharedData.data("ETHUSDT-1m-20250520-20250818.csv.gz")]
        let first = try tradeengine(["import"] + files + ["--db", db])
        #expect(first.status == 0, "\(first.stderr)")
        #expect(first.stdout.contains("binance/BTCUSDT/1m, 50180 rows: 50180 inserted, 0 updated, 0 unchanged"), "\(first.stdout)")
        #expect(first.stdout.contains("binance/ETHUSDT/1m, 130680 rows: 130680 inserted"), "\(first.stdout)")
        #expect(first.stdout.contains("gaps: "))
        let second = try tradeengine(["import", files[0], "--db", db])
        #expect(second.stdout.contains("50180 rows: 0 inserted, 0 updated, 50180 unchanged"), "\(second.stdout)")
    }

    @Test func aBacktestFromTheStoreTradesAsOneFromTheFiles() throws {
        let db = file("te.sqlite")
        let files = ["BTCUSDT-1m-20250101-20250204.csv", "ETHUSDT-1m-20250101-20250204.csv"].map(SharedData.data)
        #expect(try tradeengine(["import"] + files + ["--db", db]).status == 0)
        let fromFiles = try tradeengine(["backtest", "--data", files[0], "--data", files[1], "--from", "2025-01-05",
                                         "--to", "2025-01-25", "--trades", file("a.csv")])
        let fromStore = try tradeengine(["backtest", "--db", db, "--symbols", "BTCUSDT,ETHUSDT", "--from", "2025-01-05",
                                         "--to", "2025-01-25", "--trades", file("b.csv")])
        #expect(fromFiles.status == 0 && fromStore.status == 0, "\(fromStore.stderr)")
        let a = try String(contentsOfFile: file("a.csv"), encoding: .utf8)
        let b = try String(contentsOfFile: file("b.csv"), encoding: .utf8)
        #expect(a.split(separator: "\n").count > 100)
        #expect(a == b)
        #expect(fromStore.stdout.contains("store:binance/BTCUSDT/1m"))
    }

    @Test func storeErrorsAreClearAndChangeNothing() throws {
        let good = SharedData.data("BTCUSDT-1m-20250101-20250204.csv")
        let notADatabase = file("notes.sqlite")
        try "not a database\n".write(toFile: notADatabase, atomically: true, encoding: .utf8)
        let badCSV = file("BTCUSDT-1m-bad.csv")
        try "ts,open,high,low,close,volume\n1735689600000,100,101,99,100.5,1\n1735689660000,100,99,98,100,1\n"
            .write(toFile: badCSV, atomically: true, encoding: .utf8)
        let db = file("store.sqlite")
        let cases: [([String], String)] = [
            (["import", good, "--db", notADatabase], "not a database"),
            (["import", badCSV, "--db", db], "BTCUSDT-1m-bad.csv:3"),
            (["backtest", "--db", file("missing.sqlite"), "--symbols", "BTCUSDT"], "there is no store"),
            (["backtest", "--db", notADatabase, "--symbols", "BTCUSDT"], "not a database"),
            (["backtest", "--db", db], "--db needs --symbols"),
            (["backtest", "--symbols", "BTCUSDT"], "give --db too"),
            (["backtest", "--db", db, "--symbols", "SOLUSDT"], "no binance candles for SOLUSDT"),
            (["backtest", "--db", db, "--data", good, "--symbols", "BTCUSDT"], "not both"),
        ]
        for (args, message) in cases {
            let out = try tradeengine(args)
            #expect(out.status != 0, "\(args) should fail")
            #expect(out.stderr.contains(message), "\(args): \(out.stderr)")
            #expect(!out.stderr.contains("Fatal error"), "\(args) crashed: \(out.stderr)")
        }
        #expect(try String(contentsOfFile: notADatabase, encoding: .utf8) == "not a database\n")
        #expect(!FileManager.default.fileExists(atPath: file("missing.sqlite")))
    }

    /// The server never starts over a database it cannot trust: it names the reason and exits.
    @Test func serveRefusesABadDatabaseWithTheReason() throws {
        let garbage = file("garbage.sqlite")
        try Data(repeating: 0x5a, count: 8_192).write(to: URL(fileURLWithPath: garbage))
        let newer = file("newer.sqlite")
        #expect(try tradeengine(["import", SharedData.data("BTCUSDT-1m-20250101-20250204.csv"), "--db", newer]).status == 0)
        // user_version lives at offset 60 of the SQLite header (big-endian): a build from the future wrote it.
        let wal = (try? Data(contentsOf: URL(fileURLWithPath: newer + "-wal"))) ?? Data()
        #expect(wal.isEmpty, "the import left its changes in the WAL")
        var bytes = try Data(contentsOf: URL(fileURLWithPath: newer))
        bytes.replaceSubrange(60..<64, with: [0, 0, 0, 99])
        try bytes.write(to: URL(fileURLWithPath: newer))
        for (db, words) in [(garbage, ["refusing to serve", "not a database"]), (newer, ["refusing to serve", "newer"])] {
            let before = try Data(contentsOf: URL(fileURLWithPath: db))
            let r = try tradeengine(["serve", "--db", db, "--certs", file("no-certs"), "--listen", "127.0.0.1:0"])
            #expect(r.status != 0)
            for w in words { #expect(r.stderr.lowercased().contains(w.lowercased()), "\(db): \(r.stderr)") }
            #expect(try Data(contentsOf: URL(fileURLWithPath: db)) == before, "a refused database is left as it was")
        }
    }
}
