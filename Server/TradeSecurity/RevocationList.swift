import Foundation

/// The deny list of client certificate serials (`certs/revoked.txt`).
///
/// One lower-case hex serial per line, optionally followed by `# note`; blank
/// lines and lines starting with `#` are ignored. A revoked certificate is
/// refused at the TLS handshake, so a leaked laptop certificate is cut off
/// without re-keying anything else. A plain text file on purpose: it can be
/// edited by hand, diffed, and copied to another server.
public struct RevocationList: Sendable, Equatable {
    /// Serial → note.
    public private(set) var entries: [String: String] = [:]
    /// Serials in file order, for listing.
    public private(set) var order: [String] = []

    public init() {}

    public func contains(_ serial: String) -> Bool { entries[serial] != nil }

    /// Adds a serial; returns false if it was already there.
    @discardableResult
    public mutating func add(_ serial: String, note: String = "") -> Bool {
        guard entries[serial] == nil else { return false }
        entries[serial] = note
        order.append(serial)
        return true
    }

    public static func parse(_ text: String, source: String = "revoked.txt") throws(SecurityError) -> RevocationList {
        var list = RevocationList()
        for (i, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let line = raw.trimmingCharacters(in: .whitespaces)
            if line.isEmpty || line.hasPrefix("#") { continue }
            let parts = line.split(separator: "#", maxSplits: 1)
            let serialText = parts[0].trimmingCharacters(in: .whitespaces)
            guard let serial = SerialNumberText.normalize(serialText) else {
                throw SecurityError("\(source) line \(i + 1): '\(serialText)' is not a hex serial number")
            }
            let note = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
            list.add(serial, note: note)
        }
        return list
    }

    public func render() -> String {
        var text = "# Revoked client certificate serials, one per line (tradectl certs revoke). The server re-reads this file.\n"
        for serial in order {
            let note = entries[serial] ?? ""
            text += note.isEmpty ? "\(serial)\n" : "\(serial) # \(note.replacingOccurrences(of: "\n", with: " "))\n"
        }
        return text
    }

    /// Reads the file; a missing file is an empty list (nothing revoked yet).
    public static func load(path: String) throws(SecurityError) -> RevocationList {
        guard FileManager.default.fileExists(atPath: path) else { return RevocationList() }
        return try parse(try CertificateDirectory.read(path), source: path)
    }

    /// Writes the whole list atomically (a reader never sees half a file).
    public func save(path: String) throws(SecurityError) {
        do { try Data(render().utf8).write(to: URL(fileURLWithPath: path), options: .atomic) }
        catch { throw SecurityError("cannot write \(path): \(error.localizedDescription)") }
    }
}
