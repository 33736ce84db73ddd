import ArgumentParser

@main
struct TradeEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradeengine",
        abstract: "A self-hosted crypto trading engine.",
        discussion: "Backtest and replay strategies on recorded candles (files or the store), import candles, export indicators, and serve the control plane (gRPC, mTLS).",
        subcommands: [BacktestCommand.self, ReplayCommand.self, SweepCommand.self, SweepMergeCommand.self, WalkForwardCommand.self,
                      WalkForwardMergeCommand.self, ImportCommand.self,
                      IndicatorsCommand.self, ServeCommand.self, VenueSimCommand.self])
}
