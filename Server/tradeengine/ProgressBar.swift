import Foundation

/// A one-line progress bar on standard error, shown only when it is a terminal
/// (so scripts and CI logs stay clean).
struct ProgressBar {
    let enabled: Bool
    private var lastPercent = -1

    init(enabled: Bool = isatty(STDERR_FILENO) == 1) { self.enabled = enabled }

    mutating func update(done: Int, total: Int) {
        guard enabled, total > 0 else { return }
        let percent = done * 100 / total
        guard percent != lastPercent else { return }
        lastPercent = percent
        let width = 30
        let filled = percent * width / 100
        let bar = String(repeating: "#", count: filled) + String(repeating: " ", count: width - filled)
        FileHandle.standardError.write(Data("\r[\(bar)] \(percent)%  \(done)/\(total) candles".utf8))
        if done >= total { FileHandle.standardError.write(Data("\r\u{1B}[K".utf8)) }
    }
}
