/// The output formats `--format` chooses from.
public enum OutputFormat: String, Sendable, CaseIterable, Codable {
    /// summary.md
    case md
    /// report.html and charts/
    case html
    /// results.json
    case json
    /// tables/*.csv
    case csv
    /// report.pdf, printed from report.html by headless Chromium (asked for only)
    case pdf
    /// report.docx, converted from summary.md by pandoc (asked for only)
    case docx

    /// The formats written when `--format` is not given: every one that needs no other program.
    public static let standard: Set<OutputFormat> = [.md, .html, .json, .csv]
}

extension OutputFormat {
    /// Whether the file at `path`, of `format`, is written when `formats` are asked for: when its own format is, and for
    /// summary.md the charts and tables it links to (`charts/…`, `tables/…`), so that `--format md` alone leaves no
    /// broken link.
    public static func writes(_ format: OutputFormat, path: String, for formats: Set<OutputFormat>) -> Bool {
        formats.contains(format) || (formats.contains(.md) && (path.hasPrefix("charts/") || path.hasPrefix("tables/")))
    }

    /// Whether charts are drawn for `formats`: those that show them, and summary.md, which links to them.
    public static func drawsCharts(_ formats: Set<OutputFormat>) -> Bool { !formats.isDisjoint(with: [.html, .pdf, .docx, .md]) }
}
