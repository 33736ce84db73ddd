import ArgumentParser

/// Entry: `TradeCtlMain` (GlobalFlags.swift), which lets connection flags come before the subcommand.
struct TradeCtl: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradectl",
        abstract: "Operate a tradeengine server remotely over gRPC with mutual TLS.",
        discussion: """
        Connection: --server, --ca, --cert, --key; or TRADECTL_SERVER, TRADECTL_CA, TRADECTL_CERT, TRADECTL_KEY;
        or a named context (--context NAME / TRADECTL_CONTEXT) from ~/.config/tradectl/config.json.
        Output: tables by default, -o json for scripts (one JSON object per line for streams).
        Exit codes: 0 ok, 1 other error, 3 connection or TLS failure (or a local certificate problem),
        4 permission denied, 5 invalid argument, 6 failed precondition, 7 not found, 64 usage error.
        Shell completion: tradectl completion bash|zsh|fish.
        """,
        subcommands: [
            Start.self, Stop.self, Pause.self, Resume.self, Halt.self, Flatten.self, SetContext.self,
            Status.self, Models.self, Positions.self, Orders.self, Trades.self, Signals.self, Performance.self,
            Risk.self, Params.self, Rollback.self, Audit.self, Runs.self, Venues.self, Breakers.self, Candles.self, Health.self,
            Watch.self, Top.self, Certs.self, Revoke.self, Revoked.self, Completion.self,
        ])
}

struct Completion: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print a shell completion script.",
        discussion: "bash: source <(tradectl completion bash); zsh: tradectl completion zsh > \"${fpath[1]}/_tradectl\"")
    @Argument(help: "bash, zsh or fish.")
    var shell: String

    func run() throws {
        guard let kind = CompletionShell(rawValue: shell) else { throw ValidationError("shell must be bash, zsh or fish") }
        print(TradeCtl.completionScript(for: kind))
    }
}
