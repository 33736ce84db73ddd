import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeReport

struct WalkForwardMergeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "walkforward-merge",
        abstract: "Merge the --part files of a sharded walk-forward into what one machine would print and write.")

    @Argument(help: "The shards' --part files.")
    var parts: [String]
    @OptionGroup var output: WalkForwardOutput

    func run() throws {
        guard !parts.isEmpty else { throw ValidationError("give the shards' --part files") }
        let files = try parts.map { ($0, try readFile($0)) }
        do {
            let read = try files.map { path, data throws(EngineError) in try WalkForwardPart.read(data, source: path) }
            try output.emit(try WalkForwardPart.merge(read))
        } catch let e as EngineError { throw CommandFailure(e.description) }
    }
}
