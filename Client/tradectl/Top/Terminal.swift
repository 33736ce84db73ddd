import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The terminal for a full-screen view: raw keys (no echo, no line buffering,
/// Ctrl-C as a key), the alternate screen, a hidden cursor — and everything
/// put back on exit, on SIGTERM and on SIGHUP (an SSH session that drops).
final class Terminal: @unchecked Sendable {
    private var saved = termios()
    private var raw = false
    private var signalSources: [DispatchSourceSignal] = []
    let isTTY = isatty(STDIN_FILENO) == 1 && isatty(STDOUT_FILENO) == 1

    func enter() {
        if isTTY, tcgetattr(STDIN_FILENO, &saved) == 0 {
            var t = saved
            t.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG | IEXTEN)
            t.c_iflag &= ~tcflag_t(IXON | ICRNL)
            withUnsafeMutableBytes(of: &t.c_cc) { cc in
                cc[Int(VMIN)] = 1
                cc[Int(VTIME)] = 0
            }
            raw = tcsetattr(STDIN_FILENO, TCSAFLUSH, &t) == 0
        }
        write("\u{1B}[?1049h\u{1B}[?25l\u{1B}[H\u{1B}[2J")
        for sig in [SIGTERM, SIGHUP, SIGINT] {
            signal(sig, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: sig, queue: .global())
            source.setEventHandler { [self] in
                leave()
                exit(0)
            }
            source.resume()
            signalSources.append(source)
        }
    }

    func leave() {
        write("\u{1B}[?25h\u{1B}[?1049l")
        if raw { tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved); raw = false }
    }

    /// Columns and rows (80×24 when unknown).
    var size: (columns: Int, rows: Int) {
        var w = winsize()
        guard ioctl(STDOUT_FILENO, UInt(TIOCGWINSZ), &w) == 0, w.ws_col > 0 else { return (80, 24) }
        return (Int(w.ws_col), Int(w.ws_row))
    }

    /// Draws a frame in place: home, each line cleared to its end, the rest of the screen cleared.
    func draw(_ lines: [String]) {
        let (columns, rows) = size
        var out = "\u{1B}[H"
        for line in lines.prefix(max(1, rows - 1)) {
            out += String(line.prefix(columns)) + "\u{1B}[K\r\n"
        }
        out += "\u{1B}[J"
        write(out)
    }

    func write(_ s: String) { FileHandle.standardOutput.write(Data(s.utf8)) }

    /// Blocks until a key that quits: q, Q, Ctrl-C or Ctrl-D (or the end of input).
    func waitForQuit() {
        var byte: UInt8 = 0
        while true {
            let n = read(STDIN_FILENO, &byte, 1)
            if n <= 0 { return }
            if byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 || byte == 4 { return }
        }
    }
}
