import Foundation

/// Named connection contexts, like kubeconfig: `tradectl --context prod status`.
///
///     { "current_context": "local",
///       "contexts": {
///         "local": { "server": "127.0.0.1:7443", "ca": "certs/ca.pem",
///                    "cert": "certs/admin.pem", "key": "certs/admin.key" },
///         "prod":  { "server": "10.0.0.5:7443", "ca": "prod/ca.pem",
///                    "cert": "prod/ops.pem", "key": "prod/ops.key" } } }
///
/// Default location `$XDG_CONFIG_HOME/tradectl/config.json` (or
/// `~/.config/tradectl/config.json`); `--config` or `TRADECTL_CONFIG` picks
/// another. Relative paths are relative to the file's folder. JSON so that no
/// extra parser is needed; unknown keys are errors, so a typo is not ignored.
public struct ContextsFile: Sendable, Equatable {
    public struct Context: Sendable, Equatable {
        public var server: String?
        public var ca: String?
        public var cert: String?
        public var key: String?

        func resolvingPaths(relativeTo folder: String) -> Context {
            func abs(_ p: String?) -> String? {
                guard let p, !p.hasPrefix("/") else { return p }
                return (folder as NSString).appendingPathComponent(p)
            }
            return Context(server: server, ca: abs(ca), cert: abs(cert), key: abs(key))
        }
    }

    public var currentContext: String?
    public var contexts: [String: Context]

    public static func defaultPath(environment: [String: String]) -> String {
        if let xdg = environment["XDG_CONFIG_HOME"], !xdg.isEmpty { return xdg + "/tradectl/config.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/tradectl/config.json"
    }

    public static func load(path: String) throws(ClientFailure) -> ContextsFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ClientFailure(.invalidArgument, "cannot read contexts file \(path)")
        }
        return try parse(data, source: path)
    }

    public static func parse(_ data: Data, source: String) throws(ClientFailure) -> ContextsFile {
        func fail(_ why: String) -> ClientFailure { ClientFailure(.invalidArgument, "\(source): \(why)") }
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw fail("not a JSON object")
        }
        for key in root.keys where key != "current_context" && key != "contexts" { throw fail("unknown key '\(key)'") }
        var file = ContextsFile(currentContext: nil, contexts: [:])
        if let current = root["current_context"] {
            guard let name = current as? String else { throw fail("current_context must be a string") }
            file.currentContext = name
        }
        guard let contexts = root["contexts"] as? [String: Any] else { throw fail("contexts must be an object of named contexts") }
        for (name, value) in contexts {
            guard let c = value as? [String: Any] else { throw fail("context '\(name)' must be an object") }
            var context = Context()
            for (key, v) in c {
                guard let text = v as? String else { throw fail("\(name).\(key) must be a string") }
                switch key {
                case "server": context.server = text
                case "ca": context.ca = text
                case "cert": context.cert = text
                case "key": context.key = text
                default: throw fail("unknown key '\(name).\(key)' (known: server, ca, cert, key)")
                }
            }
            file.contexts[name] = context
        }
        if let current = file.currentContext, file.contexts[current] == nil {
            throw fail("current_context '\(current)' is not one of the contexts")
        }
        return file
    }
}
