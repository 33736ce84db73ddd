import Foundation
import Testing
import TestSupport
import TradeCore
@testable import TradeStore

/// A fresh folder for each test's database files.
struct TempFolder {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory
            .appendingPathComponent("tradestore-\(UUID().uuidString)", isDirectory: true).path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }
}

/// Opens a new store in a fresh folder.
func makeStore(_ name: String = "store.sqlite", options: TradeStore.Options = .init()) throws -> TradeStore {
    try TradeStore(path: TempFolder().file(name), options: options)
}

/// The real BTCUSDT minutes of 2025-01-01 → 2025-02-04, read once for all tests.
let btcMinutesFile = "BTCUSDT-1m-20250101-20250204.csv"
let btcMinutes = Result { try SharedData.candles(btcMinutesFile) }

/// Real BTCUSDT minutes (2025-01-01 on), the first `count`.
func realCandles(_ count: Int) throws -> [Candle] {
    let all = try btcMinutes.get()
    precondition(count <= all.count, "the file has \(all.count) candles")
    return Array(all.prefix(count))
}

/// Journal entries 1…n (from `first`) of real candles.
func candleEntries(_ candles: [Candle], first: Int64 = 1) -> [JournalEntry] {
    candles.enumerated().map { i, c in
        JournalEntry(sequence: first + Int64(i), time: c.openTime, event: .candleAccepted(symbol: 0, candle: c, barIndex: i))
    }
}

/// Runs a shell command (mount, umount); returns its exit status.
@discardableResult
func shell(_ command: String) -> Int32 {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", command]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    do { try process.run() } catch { return -1 }
    process.waitUntilExit()
    return process.terminationStatus
}

/// A small tmpfs mounted for the test (root only: that is how CI runs), so a
/// full or read-only file system is real, not simulated.
struct TmpfsMount {
    let path: String

    /// nil when mounting is not possible here (not root, no CAP_SYS_ADMIN).
    init?(sizeKiB: Int) throws {
        guard getuid() == 0 else { return nil }
        path = try TempFolder().path
        guard shell("mount -t tmpfs -o size=\(sizeKiB)k tmpfs '\(path)'") == 0 else { return nil }
    }

    func remountReadOnly() -> Bool { shell("mount -o remount,ro '\(path)'") == 0 }

    func unmount() { shell("umount -l '\(path)'") }
}
