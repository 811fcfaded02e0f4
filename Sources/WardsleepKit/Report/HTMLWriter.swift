/// report.html written from the `ReportDocument`, block by block, with no Markdown in between.
extension HTMLReport {
    /// The page of `document`; `charts` maps chart paths to inline SVG (a chart missing from it is shown as its
    /// alternative text).
    /// With a `runningHeader` (the page printed to report.pdf), every printed page carries it at the top and its page
    /// number at the foot.
    public static func render(document: ReportDocument, title: String, charts: [String: String], runningHeader: String? = nil) -> String {
        page(body(document, charts: charts), title: title, runningHeader: runningHeader)
    }

    /// The blocks as HTML. Headings get ids from their plain text (`Slug`), a repeated id numbered `-2`, `-3`.
    static func body(_ document: ReportDocument, charts: [String: String]) -> String {
        var out = "", ids: [String: Int] = [:]
        for block in document.blocks {
            switch block {
            case .heading(let level, let text):
                let text = text.trimmed, h = min(max(level, 1), 6)
                var id = Slug.make(text.plainText)
                ids[id, default: 0] += 1
                if let n = ids[id], n > 1 { id += "-\(n)" }
                out += "<h\(h) id=\"\(id)\">\(inline(text))</h\(h)>\n"
            case .paragraph(let p):
                let p = p.trimmed
                if !p.isEmpty { out += "<p>\(inline(p))</p>\n" }
            case .list(let items, let ordered):
                guard !items.isEmpty else { continue }
                let tag = ordered ? "ol" : "ul"
                out += "<\(tag)>\n" + items.map { "<li>\(inline($0.trimmed))</li>\n" }.joined() + "</\(tag)>\n"
            case .quote(let paragraphs, let notice):
                let shown = paragraphs.map(\.trimmed).filter { !$0.isEmpty }
                guard !shown.isEmpty else { continue }
                out += "<blockquote\(notice ? " class=\"notice\"" : "")>" + shown.map { "<p>\(inline($0))</p>" }.joined() + "</blockquote>\n"
            case .table(let t):
                out += table(ReportTable(header: t.header, numeric: t.numeric, rows: t.rows))
            case .figures(let figures):
                out += self.figures(figures, charts: charts)
            }
        }
        return out
    }

    /// A table in its scrolling wrapper: column headers, then rows whose first cell heads the row; numeric columns
    /// right-aligned.
    static func table(_ t: ReportTable) -> String {
        guard !t.header.isEmpty else { return "" }
        func num(_ k: Int) -> String { t.numeric[k] ? " class=\"num\"" : "" }
        var s = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for (k, h) in t.header.enumerated() { s += "<th scope=\"col\"\(num(k))>\(inline(h.trimmed))</th>" }
        s += "</tr></thead>\n<tbody>\n"
        for row in t.rows {
            s += "<tr>"
            for (k, c) in row.enumerated() {
                s += k == 0 ? "<th scope=\"row\">\(inline(c.trimmed))</th>" : "<td\(num(k))>\(inline(c.trimmed))</td>"
            }
            s += "</tr>\n"
        }
        return s + "</tbody>\n</table></div>\n"
    }

    /// One chart as a figure with its caption, or several as a grid of small multiples.
    static func figures(_ figures: [ReportFigure], charts: [String: String]) -> String {
        func chart(_ f: ReportFigure) -> String { charts[f.path] ?? "<p>\(XMLText.escape(Prose.flattened(f.alt)))</p>\n" }
        guard figures.count > 1 else {
            return figures.first.map { "<figure>\n\(chart($0))<figcaption>\(XMLText.escape(Prose.flattened($0.alt)))</figcaption>\n</figure>\n" } ?? ""
        }
        return "<div class=\"small-multiples\">\n" + figures.map { "<figure>\n\(chart($0))</figure>\n" }.joined() + "</div>\n"
    }

    /// Inline HTML of `p`: every run's text through `XMLText.escape`, marks as `strong`, `em` and `code`.
    static func inline(_ p: Prose) -> String {
        p.runs.map { run in
            switch run {
            case .text(let s): return XMLText.escape(s)
            case .strong(let s): return "<strong>\(XMLText.escape(s))</strong>"
            case .emphasis(let s): return "<em>\(XMLText.escape(s))</em>"
            case .code(let s): return "<code>\(XMLText.escape(s))</code>"
            }
        }.joined()
    }
}
