import Foundation
@testable import WardsleepKit

/// A reader of the Markdown subset `MarkdownWriter` writes, turning it into HTML as `HTMLReport.render(document:)` does.
/// It is the oracle of the differential tests: the product never parses Markdown (every format is written from the
/// `ReportDocument`), so the tests check that the Markdown, read back, means what the HTML shows.
extension HTMLReport {
    /// Renders `markdown` (the summary as wardsleep writes it); `charts` maps image paths to inline SVG. With a
    /// `runningHeader` (the page printed to report.pdf), every printed page carries it at the top and its page number
    /// at the foot.
    static func render(markdown: String, title: String, charts: [String: String], runningHeader: String? = nil) -> String {
        page(body(markdown, charts: charts), title: title, runningHeader: runningHeader)
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
