import Foundation
import Testing
@testable import TradeReport

/// Pages: the template lays out what the page holds, escaped, self-contained.
@Suite struct PageTests {
    @Test func thePageIsSelfContainedAndEscapesWhatItShows() {
        let page = ReportPage(title: "<script>alert(1)</script>", subtitle: "a & b", command: "tradeengine backtest --html 'x y.html'",
                              cards: [.init(label: "Net", value: "+1.00", tone: "pos")],
                              sections: [.init(id: "s", heading: "Section", note: "n",
                                               figures: [.init(id: "f", caption: "c", svg: "<svg class=\"x\"></svg>")],
                                               tables: [.init(caption: "t", header: ["h1", "h2"], rows: [.init(cells: ["<1>", "2"])])])])
        let html = page.render()
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") && !html.contains("<script>"))
        #expect(html.contains("<svg class=\"x\"></svg>"), "charts go in as markup")
        #expect(html.contains("<td>&lt;1&gt;</td><td>2</td>") && html.contains("<th>h1</th><th>h2</th>"))
        #expect(html.contains("data-chart=\"f\"") && html.contains("href=\"#s\""))
        #expect(!html.contains("src=") && !html.contains("<link") && !html.contains("https://"), "nothing to fetch")
        #expect(page.render() == html, "deterministic")
    }

    static let table = """
    rank,index,a,b,eligible,net_pnl,total_return,sharpe,sortino,calmar,max_drawdown,profit_factor,win_rate,trades,fees,candles
    1,3,2,20,1,50,0.0005,1.5,2,3,0.01,1.2,0.5,12,3,100
    2,0,1,10,1,40,0.0004,1.2,2,3,0.01,1.1,0.5,11,3,100
    3,2,1,20,1,-10,-0.0001,-0.2,2,3,0.01,0.9,0.5,10,3,100
    4,1,2,10,0,99,0.00099,3,2,3,0.01,2,0.5,2,3,100

    """

    @Test func aSweepHeatMapShowsTheBestEligiblePointPerPairOfValues() throws {
        let page = try SweepPage.build(table: Self.table, objective: "net_pnl", minTrades: 10, command: "c")
        let heat = page.sections.first { $0.id == "heat-maps" }!.figures
        #expect(heat.count == 1 && heat[0].id == "sweep-a-b")
        // Cells (a=1,b=10)=40, (1,20)=−10, (2,20)=50; (2,10) is the ineligible point: empty.
        let svg = heat[0].svg
        #expect(svg.contains(">+40.00<") && svg.contains(">−10.00<") && svg.contains(">+50.00<") && !svg.contains("99.00"))
        #expect(svg.contains("class=\"empty\""))
        #expect(page.cards.contains { $0.label == "Best net_pnl" && $0.value == "+50.00" })
        #expect(page.sections[0].tables[0].rows.count == 4)
    }

    @Test func aTableThatIsNotASweepIsRefusedWithAReason() {
        #expect(throws: SweepPage.TableError.self) { try SweepPage.build(table: "ts,equity\n1,2\n", objective: "net_pnl", minTrades: 0, command: "") }
        let short = Self.table.replacingOccurrences(of: "4,1,2,10,0,99,0.00099,3,2,3,0.01,2,0.5,2,3,100", with: "4,1,2")
        do {
            _ = try SweepPage.build(table: short, objective: "net_pnl", minTrades: 0, command: "")
            Issue.record("a short row was accepted")
        } catch { #expect("\(error)".contains("does not fit the header")) }
    }
}
