/// `report.html`: the summary rendered to one self-contained, printable page (inline CSS and SVG, no script, no
/// external reference), written as well-formed XHTML-compatible markup so it can be checked by any XML parser.
public enum HTMLReport {
    /// Renders `markdown` (the summary as wardsleep writes it); `charts` maps image paths to inline SVG. With a
    /// `runningHeader` (the page printed to report.pdf), every printed page carries it at the top and its page number
    /// at the foot.
    public static func render(markdown: String, title: String, charts: [String: String], runningHeader: String? = nil) -> String {
        page(body(markdown, charts: charts), title: title, runningHeader: runningHeader)
    }

    /// The page around `body`: the head with its inline CSS (and the print CSS of a `runningHeader`), then `main`.
    static func page(_ body: String, title: String, runningHeader: String?) -> String {
        var html = "<!DOCTYPE html>\n<html lang=\"en-GB\">\n<head>\n<meta charset=\"utf-8\" />\n"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n"
        html += "<title>\(XMLText.escape(title))</title>\n<style>\n\(css)\(runningHeader.map(pageCSS) ?? "")</style>\n</head>\n<body>\n<main>\n"
        html += body
        html += "</main>\n</body>\n</html>\n"
        return html
    }

    static let css = """
    body { font-family: Arial, "Helvetica Neue", Helvetica, sans-serif; color: #231f20; background: #ffffff; margin: 0; line-height: 1.5; }
    main { max-width: 64rem; margin: 0 auto; padding: 1rem 1.25rem 3rem; }
    h1 { font-size: 1.8rem; color: #005eb8; margin-top: 0.5rem; }
    h2 { font-size: 1.35rem; color: #005eb8; border-bottom: 2px solid #e8edee; padding-bottom: 0.2rem; margin-top: 2rem; }
    h3 { font-size: 1.1rem; margin-top: 1.4rem; }
    .table-wrap { overflow-x: auto; margin: 0.75rem 0; }
    table { border-collapse: collapse; font-size: 0.9rem; min-width: 50%; }
    th, td { border: 1px solid #d8dde0; padding: 0.3rem 0.5rem; vertical-align: top; }
    th { background: #f0f4f5; text-align: left; }
    td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
    blockquote { margin: 0.5rem 0; padding: 0.4rem 0.9rem; border-left: 4px solid #005eb8; background: #f0f4f5; }
    blockquote.notice { border-left-color: #ed8b00; background: #fff4e5; }
    figure { margin: 1rem 0; }
    figcaption { font-size: 0.85rem; color: #425563; }
    svg.chart { max-width: 100%; height: auto; border: 1px solid #e8edee; }
    .small-multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(17rem, 1fr)); gap: 0.75rem; margin: 1rem 0; }
    .small-multiples figure { margin: 0; }
    #key-findings + ul { background: #f0f4f5; border-left: 4px solid #005eb8; margin: 0.75rem 0; padding: 0.75rem 1rem 0.75rem 2rem; }
    #key-findings + ul li { margin: 0.3rem 0; }
    code { font-family: Consolas, Menlo, monospace; font-size: 0.9em; background: #f0f4f5; padding: 0 0.2em; }
    em { color: #425563; }
    @media (max-width: 40rem) { main { padding: 0.5rem; } table { font-size: 0.8rem; } h1 { font-size: 1.4rem; } }
    @media print {
      body { font-size: 10pt; } main { max-width: none; padding: 0; }
      h2 { page-break-after: avoid; break-before: page; } #key-findings { break-before: avoid; }
      figure, table, blockquote, li { page-break-inside: avoid; }
      .small-multiples { grid-template-columns: 1fr 1fr; }
      .table-wrap { overflow: visible; } svg.chart { border: none; }
    }

    """

    /// The printed page of report.pdf: A4 margins with `header` at the top of every page and "page N of M" at the foot.
    static func pageCSS(_ header: String) -> String {
        """
        @page { size: A4; margin: 18mm 14mm 16mm 14mm;
          @top-left { content: "\(cssString(header))"; font: 8pt Arial, Helvetica, sans-serif; color: #425563; }
          @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8pt Arial, Helvetica, sans-serif; color: #425563; } }

        """
    }

    /// Text inside a CSS string: every character outside plain printable ASCII, and the quote, backslash and angle
    /// brackets, written as a CSS escape, so a label can neither end the string nor close the style element.
    static func cssString(_ s: String) -> String {
        var out = ""
        for ch in PlainText.removingControls(s).unicodeScalars {
            if ch.value >= 0x20 && ch.value < 0x7F && !"\"\\<>&".unicodeScalars.contains(ch) {
                out.unicodeScalars.append(ch)
            } else {
                out += "\\" + String(ch.value, radix: 16) + " "
            }
        }
        return out
    }

    /// Block-level conversion of the Markdown subset the summary uses.
    static func body(_ markdown: String, charts: [String: String]) -> String {
        var out = ""
        let lines = markdown.components(separatedBy: "\n")
        var i = 0
        var paragraph: [String] = []
        var ids: [String: Int] = [:]
        func flushParagraph() {
            guard !paragraph.isEmpty else { return }
            let text = paragraph.joined(separator: " ")
            if text.hasPrefix("_") && text.hasSuffix("_") && text.count > 2 && !isEscaped(text, text.index(before: text.endIndex)) {
                out += "<p><em>\(inline(String(text.dropFirst().dropLast())))</em></p>\n"
            } else {
                out += "<p>\(inline(text))</p>\n"
            }
            paragraph = []
        }
        while i < lines.count {
            let line = lines[i]
            if line.trimmingCharacters(in: .whitespaces).isEmpty { flushParagraph(); i += 1; continue }
            if let level = heading(line) {
                flushParagraph()
                let text = String(line.dropFirst(level + 1))
                var id = Slug.make(text)
                ids[id, default: 0] += 1
                if let n = ids[id], n > 1 { id += "-\(n)" }
                out += "<h\(level) id=\"\(id)\">\(inline(text))</h\(level)>\n"
                i += 1
            } else if line.hasPrefix("|") {
                flushParagraph()
                var rows: [String] = []
                while i < lines.count && lines[i].hasPrefix("|") { rows.append(lines[i]); i += 1 }
                out += table(rows)
            } else if line.hasPrefix(">") {
                flushParagraph()
                var quote: [String] = []
                while i < lines.count && lines[i].hasPrefix(">") { quote.append(String(lines[i].dropFirst(lines[i].hasPrefix("> ") ? 2 : 1))); i += 1 }
                let paragraphs = quote.split(separator: "", omittingEmptySubsequences: true).map { $0.joined(separator: " ") }
                let notice = paragraphs.first?.hasPrefix("**") == true
                out += "<blockquote\(notice ? " class=\"notice\"" : "")>" + paragraphs.map { "<p>\(inline($0))</p>" }.joined() + "</blockquote>\n"
            } else if line.hasPrefix("- ") {
                flushParagraph()
                out += "<ul>\n"
                while i < lines.count && lines[i].hasPrefix("- ") { out += "<li>\(inline(String(lines[i].dropFirst(2))))</li>\n"; i += 1 }
                out += "</ul>\n"
            } else if let n = orderedItem(line) {
                flushParagraph()
                out += "<ol>\n"
                var j = n
                while i < lines.count, let k = orderedItem(lines[i]) {
                    out += "<li>\(inline(String(lines[i].dropFirst(k))))</li>\n"
                    i += 1
                    j = k
                }
                _ = j
                out += "</ol>\n"
            } else if let first = image(line) {
                flushParagraph()
                // Consecutive image lines are small multiples: a grid of charts, each titled in its own SVG.
                var images = [first]
                while i + 1 < lines.count, let next = image(lines[i + 1]) { images.append(next); i += 1 }
                if images.count == 1 {
                    out += "<figure>\n\(charts[first.path] ?? "<p>\(inline(first.alt))</p>\n")<figcaption>\(inline(first.alt))</figcaption>\n</figure>\n"
                } else {
                    out += "<div class=\"small-multiples\">\n"
                    for m in images { out += "<figure>\n\(charts[m.path] ?? "<p>\(inline(m.alt))</p>\n")</figure>\n" }
                    out += "</div>\n"
                }
                i += 1
            } else {
                paragraph.append(line)
                i += 1
            }
        }
        flushParagraph()
        return out
    }

    /// The alternative text and path of an image line (`![alt](path)`), if it is one.
    static func image(_ line: String) -> (alt: String, path: String)? {
        guard line.hasPrefix("!["), let close = unescapedIndex(of: "]", in: line), line[close...].hasPrefix("]("), line.hasSuffix(")")
        else { return nil }
        return (String(line[line.index(line.startIndex, offsetBy: 2)..<close]),
                String(line[line.index(close, offsetBy: 2)..<line.index(before: line.endIndex)]))
    }

    static func heading(_ line: String) -> Int? {
        let hashes = line.prefix { $0 == "#" }.count
        return (1...4).contains(hashes) && line.dropFirst(hashes).hasPrefix(" ") ? hashes : nil
    }

    /// The length of an ordered-list marker (`1. `), if the line starts with one.
    static func orderedItem(_ line: String) -> Int? {
        let digits = line.prefix { $0.isNumber }.count
        return digits > 0 && line.dropFirst(digits).hasPrefix(". ") ? digits + 2 : nil
    }

    /// The cells of a table row, split at the pipes that are not escaped; escapes are kept for `inline`.
    static func cells(_ row: String) -> [String] {
        var cells: [String] = [], current = "", escaped = false
        for ch in row.dropFirst() {
            if escaped { current.append(ch); escaped = false; continue }
            if ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "|" { cells.append(current.trimmingCharacters(in: .whitespaces)); current = "" } else { current.append(ch) }
        }
        return cells
    }

    static func table(_ rows: [String]) -> String {
        guard rows.count >= 2 else { return "" }
        let header = cells(rows[0]), align = cells(rows[1]).map { $0.hasSuffix(":") }
        var t = "<div class=\"table-wrap\"><table>\n<thead><tr>"
        for (k, h) in header.enumerated() { t += "<th scope=\"col\"\(k < align.count && align[k] ? " class=\"num\"" : "")>\(inline(h))</th>" }
        t += "</tr></thead>\n<tbody>\n"
        for row in rows.dropFirst(2) {
            t += "<tr>"
            for (k, c) in cells(row).enumerated() {
                t += k == 0 ? "<th scope=\"row\">\(inline(c))</th>" : "<td\(k < align.count && align[k] ? " class=\"num\"" : "")>\(inline(c))</td>"
            }
            t += "</tr>\n"
        }
        return t + "</tbody>\n</table></div>\n"
    }

    /// Inline conversion: `code`, **bold**, and backslash escapes (`\[` is a literal `[`, never syntax); all text is
    /// written through `XMLText.escape`.
    static func inline(_ text: String) -> String {
        enum Piece { case text(String), code(String), strong }
        var pieces: [Piece] = []
        var buffer = ""
        func flush() {
            if !buffer.isEmpty { pieces.append(.text(buffer)) }
            buffer = ""
        }
        let chars = Array(text)
        var i = 0, moreBackticks = true
        while i < chars.count {
            let ch = chars[i]
            if ch == "\\", i + 1 < chars.count, isEscapable(chars[i + 1]) {
                buffer.append(chars[i + 1])
                i += 2
            } else if ch == "`", moreBackticks {
                if let close = chars[(i + 1)...].firstIndex(of: "`") {
                    flush()
                    pieces.append(.code(String(chars[(i + 1)..<close])))
                    i = close + 1
                } else {
                    moreBackticks = false
                    buffer.append(ch)
                    i += 1
                }
            } else if ch == "*", i + 1 < chars.count, chars[i + 1] == "*" {
                flush()
                pieces.append(.strong)
                i += 2
            } else {
                buffer.append(ch)
                i += 1
            }
        }
        flush()
        let balanced = pieces.filter { if case .strong = $0 { return true } else { return false } }.count % 2 == 0
        var out = "", open = false
        for piece in pieces {
            switch piece {
            case .text(let t): out += XMLText.escape(t)
            case .code(let c): out += "<code>\(XMLText.escape(c))</code>"
            case .strong:
                if balanced { out += open ? "</strong>" : "<strong>"; open.toggle() } else { out += "**" }
            }
        }
        return out
    }

    /// Whether CommonMark lets a backslash escape `ch` (ASCII punctuation).
    static func isEscapable(_ ch: Character) -> Bool {
        guard let a = ch.asciiValue else { return false }
        return (0x21...0x2F).contains(a) || (0x3A...0x40).contains(a) || (0x5B...0x60).contains(a) || (0x7B...0x7E).contains(a)
    }

    /// Whether the character at `i` is escaped (preceded by an odd number of backslashes).
    static func isEscaped(_ s: String, _ i: String.Index) -> Bool {
        var n = 0, j = i
        while j > s.startIndex {
            j = s.index(before: j)
            guard s[j] == "\\" else { break }
            n += 1
        }
        return n % 2 == 1
    }

    /// The first `ch` in `line` that is not escaped.
    static func unescapedIndex(of ch: Character, in line: String) -> String.Index? {
        var escaped = false
        for i in line.indices {
            if escaped { escaped = false; continue }
            if line[i] == "\\" { escaped = true } else if line[i] == ch { return i }
        }
        return nil
    }
}
