import Foundation

/// Writes a `ReportDocument` as summary.md: CommonMark with GitHub tables, in the conventions the report has always
/// used. Every block ends with a blank line; text goes through `MarkdownText.escape`, so nothing a label holds can form
/// syntax; a block never starts with what Markdown would read as a list marker, a rule or an indented code block.
public enum MarkdownWriter {
    /// The Markdown text of `doc`.
    public static func render(_ doc: ReportDocument) -> String {
        var md = ""
        for block in doc.blocks { md += render(block) }
        return md
    }

    /// One block with the blank line after it; nothing for a block with nothing to show.
    static func render(_ block: ReportBlock) -> String {
        switch block {
        case .heading(let level, let text):
            return String(repeating: "#", count: min(max(level, 1), 6)) + " " + inline(text.trimmed) + "\n\n"
        case .paragraph(let p):
            let p = p.trimmed
            return p.isEmpty ? "" : blockStart(inline(p)) + "\n\n"
        case .list(let items, let ordered):
            guard !items.isEmpty else { return "" }
            return items.enumerated().map { "\(ordered ? "\($0.offset + 1)." : "-") \(blockStart(inline($0.element.trimmed)))\n" }.joined() + "\n"
        case .quote(let paragraphs, _):
            let shown = paragraphs.map(\.trimmed).filter { !$0.isEmpty }
            guard !shown.isEmpty else { return "" }
            return shown.map { "> \(blockStart(inline($0)))\n" }.joined(separator: ">\n") + "\n"
        case .table(let t):
            let t = ReportTable(header: t.header, numeric: t.numeric, rows: t.rows)
            guard !t.header.isEmpty else { return "" }
            func row(_ cells: [Prose]) -> String { "| " + cells.map { inline($0.trimmed, inTable: true) }.joined(separator: " | ") + " |\n" }
            return row(t.header) + "|" + t.numeric.map { $0 ? "---:|" : "---|" }.joined() + "\n" + t.rows.map(row).joined() + "\n"
        case .figures(let figures):
            guard !figures.isEmpty else { return "" }
            return figures.map { "![\(MarkdownText.escape($0.alt))](\(destination($0.path)))\n" }.joined() + "\n"
        }
    }

    /// Inline Markdown of `p`: text escaped, `**strong**`, `_emphasis_` (`*emphasis*` where it touches a letter or
    /// digit, as `_` does not work inside a word), `` `code` `` with a fence longer than any backtick run inside.
    /// In a table cell a `|` inside code is escaped too, as GitHub splits cells before it reads code.
    static func inline(_ p: Prose, inTable: Bool = false) -> String {
        var out = ""
        let runs = p.runs
        for (i, run) in runs.enumerated() {
            switch run {
            case .text(let s): out += MarkdownText.escape(s)
            case .strong(let s): out += "**" + MarkdownText.escape(s) + "**"
            case .emphasis(let s):
                let before = i > 0 ? runs[i - 1] : nil, after = i + 1 < runs.count ? runs[i + 1] : nil
                let touchesWord = (before.map { $0.isText && isWordCharacter($0.string.last) } ?? false)
                    || (after.map { $0.isText && isWordCharacter($0.string.first) } ?? false)
                let d = touchesWord ? "*" : "_"
                out += d + MarkdownText.escape(s) + d
            case .code(let s): out += code(inTable ? s.replacingOccurrences(of: "|", with: "\\|") : s)
            }
        }
        return out
    }

    static func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber } ?? false }

    /// A code span: the fence one backtick longer than the longest run inside; a space inside each end when the text
    /// starts or ends with a backtick (CommonMark strips one such space).
    static func code(_ s: String) -> String {
        var longest = 0, run = 0
        for ch in s {
            run = ch == "`" ? run + 1 : 0
            longest = max(longest, run)
        }
        let fence = String(repeating: "`", count: longest + 1)
        let pad = s.hasPrefix("`") || s.hasSuffix("`") ? " " : ""
        return fence + pad + s + pad + fence
    }

    /// `line` with a leading `-` or `+` (a bullet or a rule) or the `.`/`)` after leading digits (a numbered item)
    /// escaped, so that a block's text is never read as a list or a rule.
    static func blockStart(_ line: String) -> String {
        guard let first = line.first else { return line }
        if first == "-" || first == "+" {
            return isWordCharacter(line.dropFirst().first) ? line : "\\" + line
        }
        let digits = line.prefix { $0.isNumber }
        let rest = line.dropFirst(digits.count)
        guard !digits.isEmpty, let mark = rest.first, mark == "." || mark == ")",
              rest.dropFirst().first.map({ $0.isWhitespace }) ?? true else { return line }
        return digits + "\\" + rest
    }

    /// A link destination: the path with every character outside letters, digits and `-._~/` percent-encoded, so no
    /// space or bracket can end it.
    static func destination(_ path: String) -> String {
        let allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~/")
        return path.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
