import Foundation
import Testing
@testable import TradeSecurity

@Suite struct RevocationTests {
    @Test func serialsNormalize() {
        #expect(SerialNumberText.normalize("AB:CD:01") == "abcd01")
        #expect(SerialNumberText.normalize("0x12") == nil)
        #expect(SerialNumberText.normalize("00a1") == "a1")
        #expect(SerialNumberText.normalize("abc") == "0abc")
        #expect(SerialNumberText.format([0x00, 0x8f, 0x01]) == "8f01")
        #expect(SerialNumberText.normalize(SerialNumberText.format([0x0a, 0xbc])) == "0abc")
    }

    @Test func listParsesCommentsAndRoundTrips() throws {
        let text = "# header\n\nABCD # laptop stolen\n  0123  \n"
        let list = try RevocationList.parse(text)
        #expect(list.order == ["abcd", "0123"])
        #expect(list.entries["abcd"] == "laptop stolen")
        #expect(try RevocationList.parse(list.render()) == list)
    }

    @Test func aBadLineNamesItsLine() {
        #expect(throws: SecurityError("revoked.txt line 2: 'zz' is not a hex serial number")) {
            try RevocationList.parse("abcd\nzz\n")
        }
    }

    @Test func watcherPicksUpChangesAndKeepsTheOldListOnAParseError() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("revoked-\(UUID().uuidString).txt").path
        let errors = Errors()
        let watcher = try RevocationWatcher(path: path, checkInterval: .zero) { errors.append($0) }
        #expect(!watcher.isRevoked("abcd"))
        var list = RevocationList()
        list.add("abcd", note: "test")
        try list.save(path: path)
        #expect(watcher.isRevoked("abcd"))
        try "abcd\nnot hex at all\n".write(toFile: path, atomically: true, encoding: .utf8)
        #expect(watcher.isRevoked("abcd"))
        #expect(errors.count == 1)
    }
}

/// Collects reload errors from the watcher's callback.
final class Errors: @unchecked Sendable {
    private let lock = NSLock()
    private var errors: [SecurityError] = []
    func append(_ e: SecurityError) { lock.withLock { errors.append(e) } }
    var count: Int { lock.withLock { errors.count } }
}
