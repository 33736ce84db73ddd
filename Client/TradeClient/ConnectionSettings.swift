import Foundation

/// Where and as whom `tradectl` (or a script) connects.
///
/// Each field is taken from the first place that sets it: a command-line flag,
/// then a `TRADECTL_*` environment variable, then the chosen context of the
/// contexts file, then the default. Defaults suit a server started beside the
/// client: `127.0.0.1:7443` with `certs/ca.pem` and the admin certificate.
public struct ConnectionSettings: Sendable, Equatable {
    public var server: String
    public var caPath: String
    public var certificatePath: String
    public var keyPath: String
    /// The context the values came from, if any (for messages).
    public var contextName: String?

    public static let defaultServer = "127.0.0.1:7443"

    public init(server: String = defaultServer, caPath: String = "certs/ca.pem",
                certificatePath: String = "certs/admin.pem", keyPath: String = "certs/admin.key", contextName: String? = nil) {
        self.server = server
        self.caPath = caPath
        self.certificatePath = certificatePath
        self.keyPath = keyPath
        self.contextName = contextName
    }

    /// Values given on the command line; nil = not given.
    public struct Overrides: Sendable {
        public var server: String?
        public var ca: String?
        public var cert: String?
        public var key: String?
        public var context: String?
        public var configPath: String?

        public init(server: String? = nil, ca: String? = nil, cert: String? = nil, key: String? = nil,
                    context: String? = nil, configPath: String? = nil) {
            self.server = server
            self.ca = ca
            self.cert = cert
            self.key = key
            self.context = context
            self.configPath = configPath
        }
    }

    /// Resolves flags, environment and contexts file into one setting.
    public static func resolve(_ flags: Overrides, environment: [String: String] = ProcessInfo.processInfo.environment)
        throws(ClientFailure) -> ConnectionSettings {
        func env(_ name: String) -> String? {
            guard let v = environment["TRADECTL_" + name], !v.isEmpty else { return nil }
            return v
        }
        let configPath = flags.configPath ?? env("CONFIG") ?? ContextsFile.defaultPath(environment: environment)
        let contextName = flags.context ?? env("CONTEXT")
        var context: ContextsFile.Context?
        var chosen: String?
        if FileManager.default.fileExists(atPath: configPath) {
            let file = try ContextsFile.load(path: configPath)
            if let name = contextName ?? file.currentContext {
                guard let c = file.contexts[name] else {
                    throw ClientFailure(.invalidArgument, "no context '\(name)' in \(configPath); contexts: \(file.contexts.keys.sorted().joined(separator: ", "))")
                }
                context = c.resolvingPaths(relativeTo: (configPath as NSString).deletingLastPathComponent)
                chosen = name
            }
        } else if let contextName {
            throw ClientFailure(.invalidArgument, "--context \(contextName) was given but there is no contexts file at \(configPath)")
        }
        let d = ConnectionSettings()
        return ConnectionSettings(
            server: flags.server ?? env("SERVER") ?? context?.server ?? d.server,
            caPath: flags.ca ?? env("CA") ?? context?.ca ?? d.caPath,
            certificatePath: flags.cert ?? env("CERT") ?? context?.cert ?? d.certificatePath,
            keyPath: flags.key ?? env("KEY") ?? context?.key ?? d.keyPath,
            contextName: chosen)
    }

    /// Host and port of `server` (`HOST:PORT`, `[IPv6]:PORT`; port 7443 if omitted).
    public func hostAndPort() throws(ClientFailure) -> (host: String, port: Int) {
        var host = server
        var port = 7443
        if server.hasPrefix("[") {
            guard let close = server.firstIndex(of: "]") else { throw ClientFailure(.invalidArgument, "--server \(server): missing ']'") }
            host = String(server[server.index(after: server.startIndex)..<close])
            let rest = server[server.index(after: close)...]
            if rest.hasPrefix(":") {
                guard let p = Int(rest.dropFirst()) else { throw ClientFailure(.invalidArgument, "--server \(server): bad port") }
                port = p
            }
        } else if let colon = server.lastIndex(of: ":") {
            host = String(server[..<colon])
            guard let p = Int(server[server.index(after: colon)...]) else {
                throw ClientFailure(.invalidArgument, "--server \(server): the port must be a number")
            }
            port = p
        }
        guard !host.isEmpty, (1...65535).contains(port) else {
            throw ClientFailure(.invalidArgument, "--server \(server): give HOST:PORT, e.g. 127.0.0.1:7443")
        }
        return (host, port)
    }
}
