import ArgumentParser
import Foundation
import GRPCCore
import TradeAPI
import TradeClient

/// Runs one command's calls on a connection and turns any failure into advice
/// on standard error and the documented exit code (see `ClientFailure`).
enum RPC {
    static func run(_ options: ConnectionOptions, _ body: (TradeEngineClient) async throws -> Void) async throws {
        let settings: ConnectionSettings
        do { settings = try options.settings() } catch { fail(error) }
        do {
            try await TradeEngineClient.with(settings, body)
        } catch {
            fail(ClientFailure.from(error, settings: settings))
        }
    }

    static func fail(_ failure: ClientFailure) -> Never {
        FileHandle.standardError.write(Data("tradectl: \(failure.description)\n".utf8))
        exit(failure.exitCode)
    }
}
