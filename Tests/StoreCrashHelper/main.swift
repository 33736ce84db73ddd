import Foundation
import TradeCore
import TradeStore
import TradeVenues

// The child process of the journal durability test (TradeStoreTests,
// JournalDurabilityTests): it appends batches of real candles to the journal at
// PATH, forever, and after each `append` returns prints `acked N` (N = the last
// sequence now durable) and flushes. The test kills it with SIGKILL at a random
// moment, reopens the store and checks that every acknowledged sequence is there.
//
//     StoreCrashHelper PATH CANDLE_FILE BATCH_SIZE
//
// Entry n (1-based) always holds candle (n - 1) mod count of the file, so the
// test can check each recovered entry's content, not only its presence.

let arguments = CommandLine.arguments
guard arguments.count == 4, let batchSize = Int(arguments[3]), batchSize > 0 else {
    FileHandle.standardError.write(Data("usage: StoreCrashHelper PATH CANDLE_FILE BATCH_SIZE\n".utf8))
    exit(2)
}
do {
    let candles = try CandleFileReader.read(path: arguments[2]).candles
    let store = try TradeStore(path: arguments[1])
    var next = try store.journal.lastSequence() + 1
    var batch: [JournalEntry] = []
    batch.reserveCapacity(batchSize)
    while true {
        batch.removeAll(keepingCapacity: true)
        for _ in 0..<batchSize {
            let index = Int((next - 1) % Int64(candles.count))
            batch.append(JournalEntry(sequence: next, time: candles[index].openTime,
                                      event: .candleAccepted(symbol: 0, candle: candles[index], barIndex: index)))
            next += 1
        }
        let last = try store.journal.append(batch)
        // Unbuffered: the line is in the pipe the moment the append returned.
        FileHandle.standardOutput.write(Data("acked \(last)\n".utf8))
    }
} catch {
    FileHandle.standardError.write(Data("StoreCrashHelper: \(error)\n".utf8))
    exit(1)
}
