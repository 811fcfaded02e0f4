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
