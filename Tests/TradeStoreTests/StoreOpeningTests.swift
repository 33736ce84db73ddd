import Foundation
import GRDB
import Testing
import TradeCore
@testable import TradeStore

@Suite struct StoreOpeningTests {
    @Test func createsTheFileAndMissingFoldersWithTheCurrentSchema() throws {
        let folder = try TempFolder()
        let path = folder.file("var/deeper/tradeengine.sqlite")
        let store = try TradeStore(path: path)
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try store.storedSchemaVersion() == TradeStore.schemaVersion)
        #expect(TradeStore.schemaVersion == 6)
        #expect(try store.integrityProblems().isEmpty)
        // Nothing of the temporary creation file is left behind.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: folder.file("var/deeper"))
            .filter { $0.contains(".creating-") }
        #expect(leftovers.isEmpty)
    }

    @Test func walModeAndFullSynchronousOnEveryConnection() throws {
        let store = try makeStore()
        let (mode, writerSync) = try store.write { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        let readerSync = try store.read { db in try Int.fetchOne(db, sql: "PRAGMA synchronous") }
        #expect(mode == "wal")
        #expect(writerSync == 2)   // FULL
        #expect(readerSync == 2)
        #expect(try store.read { db in try Int32.fetchOne(db, sql: "PRAGMA application_id") } == StoreSchema.applicationID)
    }

    @Test func reopeningKeepsWhatWasStored() throws {
        let path = try TempFolder().file("store.sqlite")
        let entries = candleEntries(try realCandles(10))
        do {
            let store = try TradeStore(path: path)
            try store.journal.append(entries)
            try store.close()
        }
        let store = try TradeStore(path: path, options: { var o = TradeStore.Options(); o.integrityCheck = .full; return o }())
        #expect(try store.journal.read(after: 0, limit: 100) == entries)
    }

    @Test func anOlderSchemaIsMigratedForward() throws {
        let path = try TempFolder().file("old.sqlite")
        do {
            let queue = try DatabaseQueue(path: path)
            try StoreSchema.migrator.migrate(queue, upTo: StoreSchema.migrations[0].name)
            #expect(try queue.read { db in try Int.fetchOne(db, sql: "PRAGMA user_version") } == 1)
            try queue.close()
        }
        let store = try TradeStore(path: path)
        #expect(try store.storedSchemaVersion() == TradeStore.schemaVersion)
        #expect(try store.read { db in try db.tableExists("parameter_versions") && db.tableExists("audit_log") })
    }

    @Test func twoOpenersOfOneNewPathShareOneStore() throws {
        let path = try TempFolder().file("shared.sqlite")
        let first = try TradeStore(path: path)
        try first.journal.append(candleEntries(try realCandles(3)))
        let second = try TradeStore(path: path)
        #expect(try second.journal.lastSequence() == 3)
    }

    /// A copy taken while the store was open (or a crash that lost the shared-memory
    /// index) has committed transactions only in the `-wal` file: they are recovered.
    @Test func commitsThatAreOnlyInTheLogAreRecovered() throws {
        let folder = try TempFolder()
        let path = folder.file("live.sqlite")
        let store = try TradeStore(path: path)
        try store.journal.append(candleEntries(try realCandles(100)))
        let copy = folder.file("copy.sqlite")
        try FileManager.default.copyItem(atPath: path, toPath: copy)
        try FileManager.default.copyItem(atPath: path + "-wal", toPath: copy + "-wal")
        #expect(!FileManager.default.fileExists(atPath: copy + "-shm"))
        #expect(try TradeStore(path: copy).journal.lastSequence() == 100)
    }
}
