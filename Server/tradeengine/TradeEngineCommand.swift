import ArgumentParser

@main
struct TradeEngineCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tradeengine",
        abstract: "A self-hosted crypto trading engine.",
        discussion: "Backtest strategies on recorded candles, export indicators, and serve the control plane (gRPC, mTLS).",
        subcommands: [BacktestCommand.self, IndicatorsCommand.self, ServeCommand.self])
}
