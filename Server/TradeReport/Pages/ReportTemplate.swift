/// The Mustache templates of the HTML report. Triple braces (`{{{svg}}}`)
/// insert the charts' SVG as markup; everything else is HTML-escaped by the
/// template engine.
enum ReportTemplate {
    static let page = """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>{{title}}</title>
    <style>
    {{> style}}
    </style>
    </head>
    <body>
    <header>
    <h1>{{title}}</h1>
    <p class="subtitle">{{subtitle}}</p>
    <p class="command"><code>{{command}}</code></p>
    </header>
    <nav>{{#sections}}<a href="#{{id}}">{{heading}}</a>{{/sections}}</nav>
    <section class="cards">
    {{#cards}}<div class="card"><div class="label">{{label}}</div><div class="value {{tone}}">{{value}}</div></div>
    {{/cards}}
    </section>
    {{#sections}}
    <section class="part" id="{{id}}">
    <h2>{{heading}}</h2>
    {{#hasNote}}<p class="note">{{note}}</p>{{/hasNote}}
    {{#figures}}
    <figure class="chart" data-chart="{{id}}">
    {{{svg}}}
    <figcaption>{{caption}}</figcaption>
    </figure>
    {{/figures}}
    {{#tables}}{{> table}}{{/tables}}
    </section>
    {{/sections}}
    <footer>tradeengine · every number on this page is reproduced exactly by the command line above</footer>
    </body>
    </html>

    """

    static let partials: [(String, String)] = [
        ("table", """
        <div class="table-wrap"><table>
        {{#hasCaption}}<caption>{{caption}}</caption>{{/hasCaption}}
        <thead><tr>{{#header}}<th>{{.}}</th>{{/header}}</tr></thead>
        <tbody>
        {{#rows}}<tr>{{#cells}}<td>{{.}}</td>{{/cells}}</tr>
        {{/rows}}
        </tbody>
        </table></div>

        """),
        ("style", """
        :root { color-scheme: light; }
        body { font: 14px/1.45 -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: #24292f;
               background: #f6f8fa; margin: 0; }
        header, nav, .cards, .part, footer { max-width: 1000px; margin: 0 auto; padding: 0 20px; }
        header { padding-top: 24px; }
        h1 { font-size: 22px; margin: 0 0 4px; }
        h2 { font-size: 17px; margin: 0 0 10px; }
        .subtitle { color: #57606a; margin: 0 0 6px; }
        .command code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: #eaeef2; padding: 3px 6px;
                        border-radius: 4px; display: inline-block; max-width: 100%; overflow-wrap: anywhere; }
        nav { margin: 10px auto 6px; }
        nav a { color: #0969da; text-decoration: none; margin-right: 14px; font-size: 13px; }
        .cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(150px, 1fr)); gap: 10px; margin-top: 12px; }
        .card { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; padding: 10px 12px; }
        .card .label { color: #57606a; font-size: 12px; }
        .card .value { font-size: 18px; font-weight: 600; font-variant-numeric: tabular-nums; }
        .pos { color: #1a7f37; } .neg { color: #cf222e; }
        .part { background: #fff; border: 1px solid #d0d7de; border-radius: 6px; margin: 16px auto; padding: 16px 20px;
                max-width: 960px; }
        .note { color: #57606a; margin-top: -4px; }
        figure { margin: 8px 0 18px; }
        figure svg { max-width: 100%; height: auto; font-family: inherit; }
        figcaption { color: #57606a; font-size: 12.5px; }
        .table-wrap { overflow-x: auto; margin: 8px 0 14px; }
        table { border-collapse: collapse; font-size: 12.5px; font-variant-numeric: tabular-nums; }
        caption { text-align: left; font-weight: 600; padding: 4px 0; }
        th, td { border-bottom: 1px solid #eaeef2; padding: 4px 10px; text-align: right; white-space: nowrap; }
        th:first-child, td:first-child { text-align: left; }
        th { background: #f6f8fa; font-weight: 600; }
        footer { color: #8c959f; font-size: 12px; padding: 10px 20px 30px; }
        """),
    ]
}
