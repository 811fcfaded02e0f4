import Foundation

/// Writes every quarantined row to `<folder>/<export>.csv` as it is found (`restricted/quarantine/` of a report, or
/// `validate --quarantine DIR`): file, line, column, field, raw value and reason. Restricted output: it points back
/// into the source exports. Patient identifiers and free text are withheld,
/// and other values (labels) are redacted of the study's listed names as well as of what any redactor removes.
public final class QuarantineWriter: ProblemSink {
    /// The header of every quarantine file.
    public static let header = ["file", "line", "column", "field", "value", "reason"]
    let folder: String
    let redactor: Redactor
    private var writers: [ExportKind: TextFileWriter] = [:]
    /// Values already redacted, the ones met lately (two generations of at most `memoLimit`): a file with a wrong
    /// mapping quarantines the same few values over and over (an unknown ward, a drug not in the formulary), and this
    /// runs on the thread that merges the rows in order, while the readers wait.
    private var redacted = RecentMemo<String, String>(limit: QuarantineWriter.memoLimit)
    static let memoLimit = 4_096
    /// The files written, by export.
    public private(set) var files: [ExportKind: String] = [:]

    /// Creates a writer into `folder` (created when the first problem arrives); `redactor` knows the study's names.
    public init(folder: String, redactor: Redactor = .standard) {
        self.folder = folder
        self.redactor = redactor
    }

    public func quarantine(_ problems: [DataProblem]) throws {
        guard let export = problems.first?.export else { return }
        let writer = try writer(for: export)
        for p in problems {
            let value = DataProblem.verbatimFields.contains(p.field) ? p.value : redact(p.value)
            try writer.write(CSVOutput.line([p.file, String(p.line), p.column, p.field, value, p.reason]))
        }
    }

    private func redact(_ value: String) -> String {
        redacted.value(for: value) { redactor.redact(value) }
    }

    func writer(for export: ExportKind) throws -> TextFileWriter {
        if let w = writers[export] { return w }
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        let path = (folder as NSString).appendingPathComponent("\(export.rawValue).csv")
        let w = try TextFileWriter(path: path)
        try w.write(CSVOutput.line(QuarantineWriter.header))
        writers[export] = w
        files[export] = path
        return w
    }

    /// Closes every file.
    public func close() throws {
        for w in writers.values { try w.close() }
    }
}
