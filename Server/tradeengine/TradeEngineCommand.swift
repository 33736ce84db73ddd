import ArgumentParser

@main
struct TradeEngineCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradeengine",
        abstract: "A self-hosted crypto trading engine.",
        discussion: "Backtest strategies on recorded candles (files or the store), import candles into the store, export indicators, and (later) serve the control plane.",
        subcommands: [BacktestCommand.self, ReplayCommand.self, ImportCommand.self, IndicatorsCommand.self])
}
