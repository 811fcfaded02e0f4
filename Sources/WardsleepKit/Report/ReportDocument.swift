/// The report as a document: a list of blocks of typed text, from which every format is written (`MarkdownWriter` for
/// summary.md, `HTMLReport.render(document:)` for report.html and report.pdf). A section renderer builds its part with
/// the mutating builders; the parts are joined with `append` or `+`.
public struct ReportDocument: Sendable, Equatable, Codable {
    /// The blocks, in reading order.
    public var blocks: [ReportBlock] = []

    /// An empty document.
    public init() {}

    /// A document of `blocks`.
    public init(blocks: [ReportBlock]) { self.blocks = blocks }

    /// A heading, level 1 (the title) to 6; a level outside that range is taken as the nearest.
    public mutating func heading(_ level: Int, _ text: Prose) {
        blocks.append(.heading(level: min(max(level, 1), 6), text: text))
    }

    /// A paragraph. A paragraph that is one emphasised run is a note (`_Row counts are disclosure-controlled…_`).
    public mutating func paragraph(_ p: Prose) { blocks.append(.paragraph(p)) }

    /// A bulleted list.
    public mutating func list(_ items: [Prose]) { blocks.append(.list(items, ordered: false)) }

    /// A numbered list, from 1.
    public mutating func orderedList(_ items: [Prose]) { blocks.append(.list(items, ordered: true)) }

    /// A quotation of one or more paragraphs; with `notice`, a highlighted notice box ("Restricted: exact counts.").
    public mutating func quote(_ paragraphs: [Prose], notice: Bool) { blocks.append(.quote(paragraphs, notice: notice)) }

    /// A table. `numeric[k]` right-aligns column `k` (missing flags are `false`); every row is cut or padded with empty
    /// cells to the header's width, as GitHub-flavoured Markdown reads it. The first cell of each row heads that row.
    public mutating func table(header: [Prose], numeric: [Bool], rows: [[Prose]]) {
        blocks.append(.table(ReportTable(header: header, numeric: numeric, rows: rows)))
    }

    /// One chart (`path` relative to the report folder, e.g. `charts/incidents.svg`) with its alternative text, which
    /// is also its caption.
    public mutating func figure(alt: String, path: String) { blocks.append(.figures([ReportFigure(alt: alt, path: path)])) }

    /// Small multiples: charts laid out as a grid, each titled in its own SVG. One chart alone is a `figure`.
    public mutating func figures(_ items: [(alt: String, path: String)]) {
        blocks.append(.figures(items.map { ReportFigure(alt: $0.alt, path: $0.path) }))
    }

    /// Appends the blocks of `other`.
    public mutating func append(_ other: ReportDocument) { blocks += other.blocks }

    /// `a` followed by `b`.
    public static func + (a: ReportDocument, b: ReportDocument) -> ReportDocument { ReportDocument(blocks: a.blocks + b.blocks) }
}

/// One block of a `ReportDocument`: plain data.
public enum ReportBlock: Sendable, Equatable, Codable {
    /// A heading of `level` 1 to 6.
    case heading(level: Int, text: Prose)
    /// A paragraph.
    case paragraph(Prose)
    /// A bulleted or numbered list.
    case list([Prose], ordered: Bool)
    /// A quotation, or with `notice` a highlighted notice box.
    case quote([Prose], notice: Bool)
    /// A table.
    case table(ReportTable)
    /// One chart, or several as small multiples.
    case figures([ReportFigure])
}

/// A table of a `ReportDocument`.
public struct ReportTable: Sendable, Equatable, Codable {
    /// The column headings.
    public var header: [Prose]
    /// Whether each column holds numbers (right-aligned); as many as the header.
    public var numeric: [Bool]
    /// The body rows, each as many cells as the header; the first cell heads its row.
    public var rows: [[Prose]]

    /// A table; `numeric` and each row are cut or padded to the header's width.
    public init(header: [Prose], numeric: [Bool], rows: [[Prose]]) {
        let n = header.count
        func fitted<T>(_ a: [T], _ pad: T) -> [T] { Array(a.prefix(n)) + Array(repeating: pad, count: max(0, n - a.count)) }
        self.header = header
        self.numeric = fitted(numeric, false)
        self.rows = rows.map { fitted($0, Prose()) }
    }
}

/// A chart of a `ReportDocument`.
public struct ReportFigure: Sendable, Equatable, Codable {
    /// The alternative text, which is also the caption of a chart shown alone.
    public var alt: String
    /// The chart's file, relative to the report folder.
    public var path: String

    /// A chart.
    public init(alt: String, path: String) {
        self.alt = alt
        self.path = path
    }
}
