/// Inline text of the report as runs of plain text and marks, written by each format in its own syntax
/// (`MarkdownWriter`, `HTMLReport.render(document:)`), so that no format has to parse another.
///
/// The text of every run is plain, never markup: each writer escapes it. Runs are kept in a normal form, so that two
/// writers cannot disagree about what they hold: each is on one line (line breaks and tabs become spaces) without
/// control characters, as `MarkdownText.escape` flattens text; a mark never starts or ends with white space (it moves
/// outside the mark, where Markdown needs it); empty runs are dropped; and adjacent runs of the same kind are merged, so
/// the Markdown escape sees the characters around it (`_` inside a word is kept as it is).
///
///     let p: Prose = "\(strong: "Safety.") Incidents in \(code: "tables/incidents.csv"): \(count)."
public struct Prose: Sendable, Equatable, Codable, ExpressibleByStringInterpolation {
    /// One run of inline text.
    public enum Run: Sendable, Equatable, Codable {
        /// Plain text.
        case text(String)
        /// Strong importance (bold).
        case strong(String)
        /// Emphasis (italic).
        case emphasis(String)
        /// Code: a file name, a command, an R call; shown as it is, in a fixed-width font.
        case code(String)

        /// The text of the run, without its mark.
        public var string: String {
            switch self {
            case .text(let s), .strong(let s), .emphasis(let s), .code(let s): return s
            }
        }

        /// The same kind of run holding `s`.
        func with(_ s: String) -> Run {
            switch self {
            case .text: return .text(s)
            case .strong: return .strong(s)
            case .emphasis: return .emphasis(s)
            case .code: return .code(s)
            }
        }

        var isText: Bool { if case .text = self { return true } else { return false } }

        func isSameKind(as other: Run) -> Bool { with("") == other.with("") }
    }

    /// The runs, in normal form.
    public private(set) var runs: [Run] = []

    private enum CodingKeys: String, CodingKey { case runs }

    /// Empty text.
    public init() {}

    /// Plain text.
    public init(_ text: String) { append(.text(text)) }

    /// The runs, brought to normal form.
    public init(runs: [Run]) { for r in runs { append(r) } }

    /// A literal is plain text.
    public init(stringLiteral value: String) { self.init(value) }

    /// Literals and `\(string)`, `\(substring)`, `\(int)` are plain text; `\(strong:)`, `\(emphasis:)` and `\(code:)`
    /// are marked; `\(prose)` is appended as it is.
    public init(stringInterpolation: StringInterpolation) { self = stringInterpolation.prose }

    /// Decodes the runs and brings them to normal form.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        self.init(runs: try c.decode([Run].self, forKey: .runs))
    }

    /// Whether there is no text at all.
    public var isEmpty: Bool { runs.isEmpty }

    /// The text without its marks: for alternative text, titles and HTML ids.
    public var plainText: String { runs.map(\.string).joined() }

    /// Appends one run, keeping the normal form.
    public mutating func append(_ run: Run) {
        let s = Prose.flattened(run.string)
        guard !run.isText else { return appendNormal(.text(s)) }
        let core = s.drop { $0.isWhitespace }
        let trailing = core.reversed().prefix { $0.isWhitespace }.count
        appendNormal(.text(String(s.prefix(s.count - core.count))))
        appendNormal(run.with(String(core.dropLast(trailing))))
        appendNormal(.text(String(core.suffix(trailing))))
    }

    /// Appends `other`'s runs.
    public mutating func append(_ other: Prose) { for r in other.runs { appendNormal(r) } }

    private mutating func appendNormal(_ run: Run) {
        guard !run.string.isEmpty else { return }
        if let last = runs.last, last.isSameKind(as: run) {
            runs[runs.count - 1] = last.with(last.string + run.string)
        } else {
            runs.append(run)
        }
    }

    /// `a` followed by `b`.
    public static func + (a: Prose, b: Prose) -> Prose {
        var p = a
        p.append(b)
        return p
    }

    /// Appends `b` to `a`.
    public static func += (a: inout Prose, b: Prose) { a.append(b) }

    /// The text with white space removed from both ends: a block's content, as both writers take it (Markdown would
    /// read leading spaces as an indented code block).
    var trimmed: Prose {
        // Only the characters at each end are looked at: a table of thousands of rows trims every cell.
        var r = runs
        while let first = r.first, first.isText {
            let s = first.string
            guard let start = s.firstIndex(where: { !$0.isWhitespace }) else { r.removeFirst(); continue }
            if start != s.startIndex { r[0] = .text(String(s[start...])) }
            break
        }
        while let last = r.last, last.isText {
            let s = last.string
            guard let end = s.lastIndex(where: { !$0.isWhitespace }) else { r.removeLast(); continue }
            if s.index(after: end) != s.endIndex { r[r.count - 1] = .text(String(s[...end])) }
            break
        }
        return r == runs ? self : Prose(runs: r)
    }

    /// `s` on one line without control characters, exactly as `MarkdownText.escape` flattens it before escaping.
    static func flattened(_ s: String) -> String {
        let kept: Set<Unicode.Scalar> = ["\t", "\n", "\r", "\u{0B}", "\u{0C}", "\u{85}"]
        var out = ""
        for ch in PlainText.removingControls(s, keeping: kept) {
            out.append(ch.isNewline || ch == "\t" || ch == "\u{0B}" || ch == "\u{0C}" ? " " : ch)
        }
        return out
    }

    /// Builds a `Prose` from a string literal with interpolations.
    public struct StringInterpolation: StringInterpolationProtocol {
        var prose = Prose()

        /// Starts empty.
        public init(literalCapacity: Int, interpolationCount: Int) {}

        /// Plain text.
        public mutating func appendLiteral(_ literal: String) { prose.append(.text(literal)) }

        /// Plain text.
        public mutating func appendInterpolation(_ s: String) { prose.append(.text(s)) }

        /// Plain text.
        public mutating func appendInterpolation(_ s: Substring) { prose.append(.text(String(s))) }

        /// The number as plain digits (`String(n)`, not grouped).
        public mutating func appendInterpolation(_ n: Int) { prose.append(.text(String(n))) }

        /// Other prose, marks kept.
        public mutating func appendInterpolation(_ p: Prose) { prose.append(p) }

        /// Strong importance.
        public mutating func appendInterpolation(strong s: String) { prose.append(.strong(s)) }

        /// Emphasis.
        public mutating func appendInterpolation(emphasis s: String) { prose.append(.emphasis(s)) }

        /// Code.
        public mutating func appendInterpolation(code s: String) { prose.append(.code(s)) }
    }
}

extension Sequence where Element == Prose {
    /// The elements one after another, `separator` between each two.
    public func joined(separator: Prose = Prose()) -> Prose {
        var out = Prose(), first = true
        for p in self {
            if !first { out.append(separator) }
            out.append(p)
            first = false
        }
        return out
    }
}
