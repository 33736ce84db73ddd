import Foundation
import GRDB
import Testing
import TradeCore
@testable import TradeStore

/// Opens `path`, expecting a refusal of `kind` whose message contains `words`,
/// and checks the file's bytes were left exactly as they were.
private func expectRefusal(_ path: String, _ kind: TradeStoreError.Kind, _ words: [String],
                           options: TradeStore.Options = .init(),
                           sourceLocation: SourceLocation = #_sourceLocation) {
    let before = FileManager.default.contents(atPath: path)
    do {
        _ = try TradeStore(path: path, options: options)
        Issue.record("opened \(path), expected a \(kind) refusal", sourceLocation: sourceLocation)
    } catch {
        #expect(error.kind == kind, "\(error)", sourceLocation: sourceLocation)
        for word in words {
            #expect(error.description.contains(word), "missing '\(word)' in: \(error)", sourceLocation: sourceLocation)
        }
    }
    #expect(FileManager.default.contents(atPath: path) == before, "the refused file changed", sourceLocation: sourceLocation)
}

@Suite struct StoreRefusalTests {
    @Test func aFileThatIsNotADatabase() throws {
        let path = try TempFolder().file("notes.sqlite")
        try Data("ts,open,high,low,close,volume\n1735689600000,1,1,1,1,1\n".utf8).write(to: URL(fileURLWithPath: path))
        expectRefusal(path, .corrupt, ["not a database", path, "backup", "refusing to start an empty store"])
    }

    @Test func anEmptyFileIsNotTakenForANewStore() throws {
        let path = try TempFolder().file("empty.sqlite")
        #expect(FileManager.default.createFile(atPath: path, contents: Data()))
        expectRefusal(path, .corrupt, ["empty (0 bytes)"])
    }

    @Test func anotherProgramsSQLiteFile() throws {
        let path = try TempFolder().file("other.sqlite")
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
        try queue.close()
        expectRefusal(path, .corrupt, ["not a tradeengine store", "application_id 0"])
    }

    @Test func aSchemaFromANewerBuildNamesBothVersions() throws {
        let path = try TempFolder().file("newer.sqlite")
        try TradeStore(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "PRAGMA user_version = 7") }
        try queue.close()
        expectRefusal(path, .newerSchema, ["schema version 7", "up to \(TradeStore.schemaVersion)", "newer"])
    }

    @Test func aMigrationThisBuildDoesNotKnow() throws {
        let path = try TempFolder().file("unknown-migration.sqlite")
        try TradeStore(path: path).close()
        let queue = try DatabaseQueue(path: path)
        try queue.write { db in try db.execute(sql: "INSERT INTO grdb_migrations VALUES ('v9-from-the-future')") }
        try queue.close()
        expectRefusal(path, .newerSchema, ["v9-from-the-future"])
    }

    @Test func aDamagedPageFailsTheIntegrityCheck() throws {
        let path = try TempFolder().file("damaged.sqlite")
        do {
            let store = try TradeStore(path: path)
            try store.journal.append(candleEntries(try realCandles(5_000)))
            try store.close()
        }
        // Overwrite the middle of the file (B-tree pages of the journal) with noise.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        let page = 4096
        let middle = (bytes.count / page / 2) * page
        for i in 0..<page { bytes[middle + i] = UInt8(truncatingIfNeeded: i &* 7 &+ 13) }
        try bytes.write(to: URL(fileURLWithPath: path))
        expectRefusal(path, .corrupt, ["not a usable tradeengine database", "backup"])
    }

    @Test func aFolderWhereTheFileShouldBe() throws {
        let path = try TempFolder().file("folder.sqlite")
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        #expect(throws: TradeStoreError.self) { try TradeStore(path: path) }
        do { _ = try TradeStore(path: path) } catch {
            #expect(error.kind == .unreadable)
            #expect(error.description.contains("is a folder"))
        }
    }

    @Test func aReadOnlyFileSystem() throws {
        guard let mount = try TmpfsMount(sizeKiB: 4096) else {
            // Without root, permission bits make a file read-only. (Root ignores them,
            // so a root without the right to mount has no way to make one here.)
            if getuid() != 0 { try readOnlyByPermissions() }
            return
        }
        defer { mount.unmount() }
        let path = (mount.path as NSString).appendingPathComponent("store.sqlite")
        do {
            let store = try TradeStore(path: path)
            try store.journal.append(candleEntries(try realCandles(10)))
            try store.close()
        }
        #expect(mount.remountReadOnly())
        expectRefusal(path, .readOnly, ["cannot be written", "Read-only file system", "will not trade"])
        // Nothing is created on a read-only file system either.
        let fresh = (mount.path as NSString).appendingPathComponent("new/store.sqlite")
        #expect(throws: TradeStoreError.self) { try TradeStore(path: fresh) }
        #expect(!FileManager.default.fileExists(atPath: fresh))
    }

    private func readOnlyByPermissions() throws {
        let folder = try TempFolder()
        let path = folder.file("store.sqlite")
        try TradeStore(path: path).close()
        chmod(path, 0o444)
        defer { chmod(path, 0o644) }
        expectRefusal(path, .readOnly, ["cannot be written"])
    }

    @Test func aFullDatabaseRefusesTheWriteAndKeepsWhatItHad() throws {
        var options = TradeStore.Options()
        options.maximumPageCount = 100
        let store = try makeStore(options: options)
        let candles = try realCandles(20_000)
        var stored: Int64 = 0
        var refusal: TradeStoreError?
        for start in stride(from: 0, to: candles.count, by: 500) {
            do {
                stored = try store.journal.append(candleEntries(Array(candles[start..<start + 500]), first: stored + 1))
            } catch {
                refusal = error
                break
            }
        }
        let error = try #require(refusal)
        #expect(error.kind == .diskFull)
        #expect(error.description.contains("is full"))
        #expect(error.description.contains("nothing of it was stored"))
        #expect(stored > 0)
        #expect(try store.journal.lastSequence() == stored)   // the failed batch left no trace
        #expect(try store.integrityProblems().isEmpty)
    }

    @Test func aFullFileSystem() throws {
        guard let mount = try TmpfsMount(sizeKiB: 512) else { return }
        defer { mount.unmount() }
        let store = try TradeStore(path: (mount.path as NSString).appendingPathComponent("store.sqlite"))
        let candles = try realCandles(40_000)
        var stored: Int64 = 0
        var refusal: TradeStoreError?
        for start in stride(from: 0, to: candles.count, by: 1_000) {
            do {
                stored = try store.journal.append(candleEntries(Array(candles[start..<start + 1_000]), first: stored + 1))
            } catch {
                refusal = error
                break
            }
        }
        let error = try #require(refusal, "40,000 candle events should not fit in 512 KiB")
        #expect(error.kind == .diskFull, "\(error)")
        #expect(try store.journal.lastSequence() == stored)
        // A new store cannot be created there either, and nothing half-made is left.
        let fresh = (mount.path as NSString).appendingPathComponent("second.sqlite")
        #expect { try TradeStore(path: fresh) } throws: { ($0 as? TradeStoreError)?.kind == .diskFull }
        #expect(try FileManager.default.contentsOfDirectory(atPath: mount.path).filter { $0.hasPrefix("second") }.isEmpty)
    }

    @Test func aPathThroughAFile() throws {
        let folder = try TempFolder()
        let blocker = folder.file("var")
        #expect(FileManager.default.createFile(atPath: blocker, contents: Data("x".utf8)))
        #expect { try TradeStore(path: blocker + "/tradeengine.sqlite") } throws: { error in
            let e = error as? TradeStoreError
            return e?.kind == .unreadable && e?.description.contains("a file, not a folder") == true
        }
    }
}
