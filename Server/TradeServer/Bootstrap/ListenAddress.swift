/// `HOST:PORT` as `--listen` takes it: an IPv4 address, `localhost`, or an IPv6
/// address in brackets (`[::1]:7443`). Port 0 asks the system for a free port
/// (tests use it). Host names other than localhost are refused: the server
/// binds an address, and which interfaces it is reachable on should be explicit.
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
    public enum Family: Sendable, Equatable { case ipv4, ipv6 }
    public var host: String
    public var port: Int
    public var family: Family

    public static let `default` = ListenAddress(host: "127.0.0.1", port: 7443, family: .ipv4)

    public init(host: String, port: Int, family: Family) {
        self.host = host
        self.port = port
        self.family = family
    }

    public init(parsing text: String) throws(ListenAddressError) {
        var hostPart: Substring
        var portPart: Substring
        if text.hasPrefix("[") {
            guard let close = text.firstIndex(of: "]"), text[text.index(after: close)...].hasPrefix(":") else {
                throw ListenAddressError("'\(text)': write an IPv6 address as [ADDRESS]:PORT")
            }
            hostPart = text[text.index(after: text.startIndex)..<close]
            portPart = text[text.index(close, offsetBy: 2)...]
            family = .ipv6
        } else {
            guard let colon = text.lastIndex(of: ":") else { throw ListenAddressError("'\(text)': give HOST:PORT, e.g. 127.0.0.1:7443") }
            hostPart = text[..<colon]
            portPart = text[text.index(after: colon)...]
            family = .ipv4
            if hostPart == "localhost" { hostPart = "127.0.0.1" }
            let octets = hostPart.split(separator: ".", omittingEmptySubsequences: false)
            guard octets.count == 4, octets.allSatisfy({ UInt8($0) != nil }) else {
                throw ListenAddressError("'\(hostPart)' is not an IPv4 address (or localhost); bind an address, e.g. 127.0.0.1 or 0.0.0.0")
            }
        }
        guard let p = Int(portPart), (0...65535).contains(p) else {
            throw ListenAddressError("'\(portPart)' is not a port (0–65535)")
        }
        host = String(hostPart)
        port = p
    }

    public var description: String { family == .ipv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

public struct ListenAddressError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
