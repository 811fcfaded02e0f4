/// Escaping for summary.md: any label from an export or from study.yaml is written through `escape`, so that a reader
/// who renders the Markdown sees the label as it is and nothing in it can form a link, an image, raw HTML, an
/// autolink, a mention, a table cell or a heading; the raw file stays readable (`self_harm`, `A&E`, `(2)` are kept).
public enum MarkdownText {
    /// ASCII punctuation that is always escaped: it starts or closes syntax in CommonMark, GitHub-flavoured Markdown or
    /// common extensions (links and footnotes, raw HTML and autolinks, emphasis and strike-through, code, tables,
    /// headings, attributes, mentions, maths). CommonMark lets a backslash escape any of them. `(`, `)` and `!` need no
    /// escape: a link or image cannot open without `[`.
    static let special: Set<Character> = ["\\", "`", "*", "[", "]", "<", ">", "#", "|", "~", "{", "}", "@", "$", "^"]

    /// `s` as inline Markdown text: on one line (line breaks and tabs become spaces), without control characters, each
    /// special character escaped with a backslash, and also `_` unless inside a word, `&` where it could start an
    /// entity, `:` before `/` (`http://`) and the full stop of `www.`, so that no emphasis, entity or autolink forms.
    public static func escape(_ s: String) -> String {
        let flat = Array(PlainText.removingControls(s, keeping: ["\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}"]))
        var out = ""
        out.reserveCapacity(flat.count)
        func at(_ i: Int) -> Character? { i >= 0 && i < flat.count ? flat[i] : nil }
        func isWordCharacter(_ c: Character?) -> Bool { c.map { $0.isLetter || $0.isNumber } ?? false }
        for (i, ch) in flat.enumerated() {
            if ch.isNewline || ch == "\t" || ch == "\u{0B}" || ch == "\u{0C}" {
                out.append(" ")
                continue
            }
            let escape: Bool
            switch ch {
            case _ where special.contains(ch): escape = true
            case "_": escape = !(isWordCharacter(at(i - 1)) && isWordCharacter(at(i + 1)))
            case "&": escape = startsEntity(flat, after: i)
            case ":": escape = at(i + 1) == "/"
            case ".":
                escape = i >= 3 && flat[(i - 3)..<i].allSatisfy { $0 == "w" || $0 == "W" } && !isWordCharacter(at(i - 4))
            default: escape = false
            }
            if escape { out.append("\\") }
            out.append(ch)
        }
        return out
    }

    /// Whether the characters after an `&` at `i` could make an entity reference (`&amp;`, `&#60;`, `&#x3C;`).
    static func startsEntity(_ chars: [Character], after i: Int) -> Bool {
        var j = i + 1
        while j < chars.count && j - i <= 33 {
            let c = chars[j]
            if c == ";" { return j > i + 1 }
            guard c.isASCII && (c.isLetter || c.isNumber || c == "#") else { return false }
            j += 1
        }
        return false
    }
}
