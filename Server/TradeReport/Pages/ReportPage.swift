import Mustache

/// What one HTML report shows, independent of how it is laid out: headline
/// cards, then sections of charts (inline SVG) and tables. The pages
/// (`BacktestPage`, `SweepPage`, `WalkForwardPage`) fill it from their
/// results; `render` lays it out with the Mustache template.
public struct ReportPage: Sendable {
    public struct Card: Sendable {
        var label: String
        var value: String
        /// "pos", "neg" or "" — colours the value.
        var tone: String = ""
    }

    public struct Figure: Sendable {
        /// Names the chart for the browser test and for links (`data-chart`).
        var id: String
        var caption: String
        var svg: String
    }

    public struct Row: Sendable {
        var cells: [String]
    }

    public struct Table: Sendable {
        var caption: String
        var header: [String]
        var rows: [Row]
        var hasCaption: Bool { !caption.isEmpty }
    }

    public struct Section: Sendable {
        var id: String
        var heading: String
        var note: String = ""
        var figures: [Figure] = []
        var tables: [Table] = []
        var hasNote: Bool { !note.isEmpty }
    }

    var title: String
    var subtitle: String
    /// The command line that reproduces every number on the page.
    var command: String
    var cards: [Card]
    var sections: [Section]

    /// The page as one self-contained HTML document: styles inline, charts as
    /// inline SVG, no script, no external reference of any kind.
    public func render() -> String {
        Self.template.render(self, library: Self.library)
    }

    // The templates are part of the binary (no resource bundle to lose): see ReportTemplate.swift.
    private static let library: MustacheLibrary = {
        var library = MustacheLibrary()
        for (name, text) in ReportTemplate.partials {
            try! library.register(text, named: name)   // constant text, parsed by the tests on every run
        }
        return library
    }()

    private static let template = try! MustacheTemplate(string: ReportTemplate.page)
}
