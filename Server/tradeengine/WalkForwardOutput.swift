import ArgumentParser
import Foundation
import TradeCore
import TradeEngine
import TradeReport

/// What `walkforward` and `walkforward-merge` print and write, from the windows' results.
struct WalkForwardOutput: ParsableArguments {
    @Option(name: .long, help: ArgumentHelp("Write the windows as CSV.", valueName: "OUT.csv"))
    var out: String?
    @Option(name: .long, help: ArgumentHelp("Write the stitched out-of-sample equity curve: ts,equity.", valueName: "OUT.csv"))
    var equity: String?
    @Option(name: .long, help: ArgumentHelp("Write the HTML report (self-contained, opens offline).", valueName: "OUT.html"))
    var html: String?
    @Option(name: .long, help: ArgumentHelp("Write the windows' full results for walkforward-merge.", valueName: "OUT.json"))
    var part: String?

    func emit(_ run: WalkForwardPart) throws {
        let (results, names) = (run.results, run.names)
        func day(_ t: Int64) -> String { String(TimeArgument.format(t).prefix(16)) }
        var lines = ["window,in_sample_start,in_sample_end,out_of_sample_start,out_of_sample_end,point," + names.joined(separator: ",")
                     + ",in_sample_net_pnl,in_sample_trades,out_of_sample_net_pnl,out_of_sample_trades,in_sample_per_day,out_of_sample_per_day,efficiency"]
        print("  window  in sample                 out of sample             in-sample/day  out-of-sample/day  efficiency  parameters")
        for r in results {
            let w = r.window
            func g(_ x: Double?) -> String { x.map { String(format: "%.17g", $0) } ?? "" }
            lines.append(([String(w.index + 1), day(w.inSample.lowerBound), day(w.inSample.upperBound), day(w.outOfSample.lowerBound),
                           day(w.outOfSample.upperBound), String(r.chosen.index)] + names.map { g(r.chosen.parameters[$0]) }
                          + [g(r.chosen.netPnL), String(r.chosen.metrics.tradeCount), g(r.outOfSample.netPnL), String(r.outOfSample.metrics.tradeCount),
                             g(r.inSamplePerDay), g(r.outOfSamplePerDay), g(r.efficiency)]).joined(separator: ","))
            print("  \(String(w.index + 1).padding(toLength: 6, withPad: " ", startingAt: 0))  \(day(w.inSample.lowerBound)) → \(day(w.inSample.upperBound))  \(day(w.outOfSample.lowerBound)) → \(day(w.outOfSample.upperBound))  "
                  + String(format: "%13.2f  %17.2f  %10@", r.inSamplePerDay, r.outOfSamplePerDay, r.efficiency.map { String(format: "%.2f", $0) } ?? "-")
                  + "  " + names.map { "\($0.split(separator: ".").last!)=\(r.chosen.parameters[$0]!)" }.joined(separator: " "))
        }
        let initial = run.initialEquity
        if run.shardCount == 1 {
            let stitched = WalkForward.stitched(results, initial: initial)
            let final = stitched.equity.last ?? initial
            let inSum = results.reduce(0) { $0 + $1.inSamplePerDay } / Double(results.count)
            let outSum = results.reduce(0) { $0 + $1.outOfSamplePerDay } / Double(results.count)
            print(String(format: "  out of sample, stitched: %.2f → %.2f (%+.2f %%); mean net PnL per day in sample %.2f, out of sample %.2f",
                         initial, final, (final / initial - 1) * 100, inSum, outSum))
            if let equity {
                try write((["ts,equity"] + zip(stitched.times, stitched.equity).map { "\($0),\(String(format: "%.8f", $1))" }).joined(separator: "\n") + "\n", to: equity)
            }
            if let html {
                let plan = run.plan
                func days(_ ms: Int64) -> String { ms % 86_400_000 == 0 ? "\(ms / 86_400_000)d" : (ms % 3_600_000 == 0 ? "\(ms / 3_600_000)h" : "\(ms / 60_000)m") }
                let subtitle = "\(run.strategy) · \(plan.anchored ? "anchored" : "rolling") windows: \(days(plan.inSampleMilliseconds)) in sample, "
                    + "\(days(plan.outOfSampleMilliseconds)) out of sample, step \(days(plan.stepMilliseconds)) · grid: \(names.joined(separator: ", "))"
                try write(WalkForwardPage.build(results: results, names: names, initial: initial, subtitle: subtitle, command: commandLine()).render(), to: html)
            }
        } else {
            print("  shard \(run.shardIndex)/\(run.shardCount): \(results.count) of \(run.windowCount) windows; walkforward-merge the parts for the stitched curve")
        }
        if let out { try write(lines.joined(separator: "\n") + "\n", to: out) }
        if let part { try write(try run.json(), to: part) }
    }
}
