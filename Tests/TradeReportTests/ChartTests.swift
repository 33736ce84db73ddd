import Foundation
import Testing
@testable import TradeReport

/// The chart primitives: what they draw is what the data says.
@Suite struct ChartTests {
    @Test func aCalendarDateWithoutAFormatterAgreesWithFoundationsCalendar() {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        // Every 7th day from 1969 to 2101, and the leap days around 2000 and 2100.
        for day in stride(from: -400, to: 48_000, by: 7) + [11_016, 11_017, 47_540, 47_541] {
            let d = calendar.dateComponents([.year, .month, .day], from: Date(timeIntervalSince1970: Double(day) * 86_400))
            let c = ReportFormat.civil(day: day)
            #expect(c.year == d.year! && c.month == d.month! && c.day == d.day!, "day \(day)")
            if c.day == 1 { #expect(ReportFormat.monthStart(year: c.year, month: c.month) == Int64(day) * 86_400_000) }
        }
    }

    @Test func monthlyReturnsCompoundToTheRunsReturn() {
        // Hourly equity from 2024-12-20 to 2025-02-10, a random walk (seeded).
        var state: UInt64 = 42
        func next() -> Double { state = state &* 6364136223846793005 &+ 1442695040888963407; return Double(state >> 11) / Double(1 << 53) }
        let start: Int64 = 1_734_652_800_000   // 2024-12-20T00:00Z
        let times = (0..<(52 * 24)).map { start + Int64($0) * 3_600_000 }
        var e = 10_000.0
        let equity = times.map { _ in e *= 1 + (next() - 0.5) * 0.01; return e }
        let months = EquitySection.monthlyReturns(times: times, equity: equity, initial: 10_000)
        #expect(months.map { "\($0.year)-\($0.month)" } == ["2024-12", "2025-1", "2025-2"])
        let compounded = months.reduce(1.0) { $0 * (1 + $1.value) }
        #expect(abs(compounded - equity.last! / 10_000) < 1e-12)
        // January: its last bar against December's last bar.
        let decEnd = equity[times.lastIndex { $0 < 1_735_689_600_000 }!]
        let janEnd = equity[times.lastIndex { $0 < 1_738_368_000_000 }!]
        #expect(months[1].value == janEnd / decEnd - 1)
    }

    @Test func thinningALongCurveKeepsItsExtremesAndEnds() {
        let n = 100_000
        let x = (0..<n).map(Double.init)
        let y = x.map { sin($0 / 997) * 100 + ($0 == 54_321 ? -500 : 0) + ($0 == 12_345 ? 400 : 0) }
        let thin = Downsample.minMax(x: x, y: y, buckets: 500)
        #expect(thin.count <= 2_000)
        #expect(thin.first! == (0, y[0]) && thin.last! == (Double(n - 1), y[n - 1]))
        #expect(thin.contains { $0 == (54_321, y[54_321]) } && thin.contains { $0 == (12_345, y[12_345]) })
        #expect(zip(thin, thin.dropFirst()).allSatisfy { $0.0 < $1.0 }, "in time order")
        #expect(Downsample.minMax(x: [1, 2, 3], y: [3, 1, 2]).map(\.1) == [3, 1, 2], "short curves are drawn as they are")
    }

    @Test func aLineBreaksWhereTheDataHasNoValueAndMarksEveryDrawnShape() {
        let d = SVGCanvas.pathData([(0, 0), (1, 1), (2, .nan), (3, 3), (4, 4)])
        #expect(d == "M0 0L1 1M3 3L4 4")
        let svg = LineChart(series: [.init(name: "a<b", color: "#000", points: [(0, 1), (10, 2), (20, 1.5)])],
                            markers: [.init(x: 10, y: 2, up: true, color: "#0f0", title: "BUY \"1\"")], xAxis: .numeric(label: "n")).svg(label: "t")
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\"") && svg.hasSuffix("</svg>"))
        #expect(svg.components(separatedBy: "class=\"mark\"").count - 1 == 2, "the line and the marker")
        #expect(svg.contains("a&lt;b") && svg.contains("BUY &quot;1&quot;"), "text is escaped")
    }

    @Test func niceTicksAreRoundAndInside() {
        #expect(LinearScale(domain: (0, 100), range: (0, 1)).ticks(5) == [0, 20, 40, 60, 80, 100])
        #expect(LinearScale(domain: (-0.023, 0.004), range: (0, 1)).ticks(5) == [-0.02, -0.01, 0])
        #expect(LinearScale(domain: (99_000, 101_500), range: (0, 1)).ticks(5) == [99_000, 99_500, 100_000, 100_500, 101_000, 101_500])
        let flat = LinearScale(domain: (5, 5), range: (0, 100))
        #expect(flat(5) == 50, "a flat series sits in the middle, not on a division by zero")
    }

    @Test func heatMapCellsCarryTheirValuesAndEmptyCellsAreNotMarks() {
        let svg = HeatMap(rowLabels: ["1", "2"], columnLabels: ["a", "b"], values: [[0.5, nil], [-1, 0]],
                          format: { ReportFormat.number($0) }).svg(label: "h")
        #expect(svg.components(separatedBy: "class=\"mark\"").count - 1 == 3)
        #expect(svg.contains("class=\"empty\""))
        #expect(svg.contains(Palette.diverging(-1)) && Palette.diverging(-1) == "rgb(207,34,46)" && Palette.diverging(0) == "rgb(255,255,255)")
        #expect(svg.contains(">0.50<") && svg.contains(">−1.00<"))
    }

    @Test func moneyAndPercentReadTheSameEverywhere() {
        #expect(ReportFormat.money(1_234_567.891) == "1,234,567.89")
        #expect(ReportFormat.money(-17.414) == "−17.41" && ReportFormat.money(-0.001) == "0.00")
        #expect(ReportFormat.money(5, signed: true) == "+5.00")
        #expect(ReportFormat.percent(0.0123) == "1.23 %" && ReportFormat.percent(nil) == "–")
        #expect(ReportFormat.value(16) == "16" && ReportFormat.value(0.45) == "0.45")
    }
}
