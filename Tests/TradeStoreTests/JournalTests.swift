import Foundation
import GRDB
import Testing
import TradeCore
@testable import TradeStore

@Suite struct JournalTests {
    @Test func appendsAndReadsBackInOrder() throws {
        let store = try makeStore()
        #expect(try store.journal.lastSequence() == 0)
        let candles = candleEntries(try realCandles(1_000))
        let others = everyKindOfEvent.enumerated().map { i, e in
            JournalEntry(sequence: 1_001 + Int64(i), time: 1_735_749_600_000 + Int64(i), event: e)
        }
        #expect(try store.journal.append(candles) == 1_000)
        #expect(try store.journal.append(others) == 1_000 + Int64(others.count))
        let all = try store.journal.read(after: 0, limit: 10_000)
        #expect(all == candles + others)
        #expect(try store.journal.read(after: 998, limit: 3) == Array((candles + others)[998..<1_001]))
        #expect(try store.journal.read(after: all.last!.sequence, limit: 5).isEmpty)
        var streamed: [Int64] = []
        try store.journal.forEach(after: 990) { streamed.append($0.sequence) }
        #expect(streamed == Array(991...all.last!.sequence))
    }

    @Test func aBatchThatDoesNotContinueTheJournalIsRefusedWhole() throws {
        let store = try makeStore()
        let entries = candleEntries(try realCandles(10))
        try store.journal.append(Array(entries[0..<5]))
        // Starts too late (a hole) or too early (a second writer re-using sequences).
        for start in [7, 3] {
            let batch = candleEntries(Array(try realCandles(3)), first: Int64(start))
            #expect { try store.journal.append(batch) } throws: { ($0 as? TradeStoreError)?.kind == .conflict }
        }
        // Not contiguous inside the batch: nothing of it is stored.
        var broken = Array(entries[5..<10])
        broken[3].sequence = 42
        #expect { try store.journal.append(broken) } throws: { ($0 as? TradeStoreError)?.kind == .conflict }
        #expect(try store.journal.lastSequence() == 5)
        try store.journal.append(Array(entries[5..<10]))
        #expect(try store.journal.lastSequence() == 10)
    }

    @Test func theJournalCannotBeEditedOrDeleted() throws {
        let store = try makeStore()
        try store.journal.append(candleEntries(try realCandles(3)))
        for sql in ["UPDATE journal SET kind = 2 WHERE sequence = 2", "DELETE FROM journal WHERE sequence = 3"] {
            #expect(throws: TradeStoreError.self) { try store.write { db in try db.execute(sql: sql) } }
        }
        #expect(try store.journal.read(after: 0, limit: 10).count == 3)
    }

    @Test func aDamagedPayloadStopsTheReplayAndNamesTheEntry() throws {
        let store = try makeStore()
        try store.journal.append(candleEntries(try realCandles(3)))
        // Bypass the triggers the way a disk fault would: rewrite the row's bytes.
        try store.write { db in
            try db.execute(sql: "DROP TRIGGER journal_no_update")
            try db.execute(sql: "UPDATE journal SET payload = x'0102' WHERE sequence = 2")
        }
        #expect { try store.journal.read(after: 0, limit: 10) } throws: { error in
            let e = error as? TradeStoreError
            return e?.kind == .undecodable && e?.description.contains("journal entry 2") == true
        }
    }

    @Test func readLimitMustBePositive() throws {
        let store = try makeStore()
        #expect { try store.journal.read(after: 0, limit: 0) } throws: { ($0 as? TradeStoreError)?.kind == .invalidArgument }
    }
}

@Suite struct SnapshotTests {
    @Test func latestSnapshotAndTheJournalAfterIt() throws {
        let store = try makeStore()
        #expect(try store.snapshots.latest() == nil)
        try store.journal.append(candleEntries(try realCandles(100)))
        let first = Snapshot(sequence: 40, takenAt: 1, format: 1, payload: Array("state at 40".utf8))
        let second = Snapshot(sequence: 90, takenAt: 2, format: 1, payload: [UInt8](repeating: 7, count: 100_000))
        try store.snapshots.save(first)
        try store.snapshots.save(second)
        #expect(try store.snapshots.latest() == second)
        #expect(try store.snapshots.latest(atOrBefore: 89) == first)
        #expect(try store.journal.read(after: second.sequence, limit: 1_000).map(\.sequence) == Array(91...100))
        try store.snapshots.prune(keepingLatest: 1)
        #expect(try store.snapshots.latest(atOrBefore: 89) == nil)
        #expect(try store.snapshots.latest() == second)
    }

    @Test func aSnapshotAheadOfTheJournalIsRefused() throws {
        let store = try makeStore()
        try store.journal.append(candleEntries(try realCandles(5)))
        #expect { try store.snapshots.save(Snapshot(sequence: 6, takenAt: 0, format: 1, payload: [])) }
            throws: { ($0 as? TradeStoreError)?.kind == .conflict }
    }
}
