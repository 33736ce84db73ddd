import Foundation
import TradeCore
import TradeStore

/// What a journaled run is: its strategy, symbols and settings, written as the
/// journal's first entry. A resume with different arguments is refused instead
/// of silently mixing two runs in one database.
public struct RunIdentity: Sendable, Equatable, Codable {
    public var strategy: String
    public var symbols: [String]
    /// Anything else that changes decisions (fill convention, config file digest, …).
    public var settings: [String: String]

    public init(strategy: String, symbols: [String], settings: [String: String] = [:]) {
        self.strategy = strategy
        self.symbols = symbols
        self.settings = settings
    }

    var command: OperatorCommand {
        var arguments = settings
        arguments["strategy"] = strategy
        arguments["symbols"] = symbols.joined(separator: ",")
        return OperatorCommand(name: "start", arguments: arguments)
    }

    init?(_ command: OperatorCommand) {
        guard command.name == "start", let strategy = command.arguments["strategy"],
              let symbols = command.arguments["symbols"] else { return nil }
        var settings = command.arguments
        settings["strategy"] = nil
        settings["symbols"] = nil
        settings["run"] = nil   // the run's number, added by the journal
        self.init(strategy: strategy, symbols: symbols.split(separator: ",").map(String.init), settings: settings)
    }

    /// Canonical JSON (sorted keys), as the store's `runs.identity` keeps it.
    public var json: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: (try? encoder.encode(self)) ?? Data(), as: UTF8.self)
    }

    public init(json: String) throws {
        self = try JSONDecoder().decode(RunIdentity.self, from: Data(json.utf8))
    }

    public var summary: String {
        ([strategy, symbols.joined(separator: ",")] + settings.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" })
            .joined(separator: " ")
    }
}
