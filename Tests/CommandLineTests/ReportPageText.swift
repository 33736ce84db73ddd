import Foundation

/// An HTML report without the line that quotes its own command (which names
/// its own output path): what two runs that should agree are compared on.
func withoutCommand(_ path: String) throws -> String {
    try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n").filter { !$0.contains("class=\"command\"") }.joined(separator: "\n")
}
