/// What reading one export established: the accounting (read = accepted + quarantined, always) and the file facts.
public struct ExportTally: Sendable, Equatable {
    /// Which export.
    public var export: ExportKind
    /// The file name as the study names it.
    public var file: String
    /// Data rows read: records after the header, blank lines not counted, and every line an unbalanced quote swallowed.
    public var rowsRead = 0
    /// Rows that became records.
    public var accepted = 0
    /// Rows sent to quarantine.
    public var quarantined = 0
    /// Lines holding no data.
    public var blankLines = 0
    /// File size in bytes.
    public var bytes = 0
    /// SHA-256 of the file.
    public var sha256 = ""
    /// `utf-8` or `windows-1252` (when any field needed it).
    public var encoding = "utf-8"
    /// Whether the file started with a byte-order mark.
    public var byteOrderMark = false
    /// Header columns no field uses.
    public var unusedColumns: [String] = []
    /// Whether the export had a patient identifier column (pseudonymised as it was read).
    public var patientIdentifiers = false
    /// Accepted rows set aside by a rule (e.g. `excluded by status`, `outside both periods`), counted by reason.
    public var setAside: [String: Int] = [:]

    /// Creates an empty tally.
    public init(export: ExportKind, file: String) {
        self.export = export
        self.file = file
    }

    /// Percentage of rows read that were quarantined (0 when none were read).
    public var quarantinedPercent: Double { rowsRead == 0 ? 0 : Double(quarantined) * 100 / Double(rowsRead) }
}

/// Turns rows of one export into typed records. Implementations live in the Normalise stage, one per export.
public protocol RecordNormaliser {
    /// The typed record produced.
    associatedtype Record
    /// The record for `row`, or `nil` after recording at least one problem on it.
    mutating func normalise(_ row: inout ExportRow) -> Record?
    /// Why an accepted record is kept out of the analysis, if it is (counted in the tally, not quarantined).
    func setAsideReason(_ record: Record) -> String?
    /// Called once the header is matched, before any row; throws when the export cannot be read as configured.
    func prepare(header: ExportHeader, spec: ExportSpec) throws
}

extension RecordNormaliser {
    public func setAsideReason(_ record: Record) -> String? { nil }
    public func prepare(header: ExportHeader, spec: ExportSpec) throws {}
}

/// The one generic reader every export goes through: libcsv records → header matching → typed records or quarantine.
public enum ExportIngest {
    /// Reads `path` as export `spec`, giving each accepted record to `consume` and each rejected row to `problems`.
    public static func read<N: RecordNormaliser>(
        path: String, spec: ExportSpec, normaliser: inout N, problems: ProblemSink, progress: ((Int) -> Void)? = nil,
        consume: (N.Record) throws -> Void
    ) throws -> ExportTally {
        var tally = ExportTally(export: spec.kind, file: spec.file)
        var layout: ExportLayout?
        var windows1252 = false
        var swallowedBlankLines = 0
        var reader = CSVFileReader(path: path, displayName: spec.file)
        reader.progress = progress
        let summary = try reader.read { record in
            guard let layout = layout else {
                if let stray = record.unbalancedQuote(headerFields: record.fieldCount) {
                    let runsOn = stray.endLine > stray.openLine ? "runs on to line \(stray.endLine) (\(stray.evidence))" : "never closes"
                    throw InputError(file: spec.file, line: stray.openLine,
                                     message: "the header row has an unbalanced quote: a quoted label opens on this line and "
                                         + "\(runsOn); fix the quote in the header")
                }
                let labels = (0..<record.fieldCount).map { TextDecoding.decode(record.field($0).trimmingWhitespace()).0 }
                let h = try ExportHeader(labels: labels, spec: spec, file: spec.file)
                try normaliser.prepare(header: h, spec: spec)
                layout = ExportLayout(header: h, spec: spec)
                return
            }
            var row = ExportRow(record: record, layout: layout)
            row.checkShape()
            tally.rowsRead += row.rows
            swallowedBlankLines += row.swallowedBlankLines
            let result = row.problems.isEmpty ? normaliser.normalise(&row) : nil
            if row.sawWindows1252 { windows1252 = true }
            if let result, row.problems.isEmpty {
                tally.accepted += 1
                if let reason = normaliser.setAsideReason(result) { tally.setAside[reason, default: 0] += 1 }
                try consume(result)
            } else {
                tally.quarantined += row.rows
                if row.problems.isEmpty { row.reject("", "row could not be read") }
                try problems.quarantine(row.problems)
            }
        }
        guard let layout else { throw InputError(file: spec.file, message: "the file has no header row") }
        tally.blankLines = summary.blankLines + swallowedBlankLines
        tally.bytes = summary.bytes
        tally.sha256 = summary.sha256
        tally.byteOrderMark = summary.hadByteOrderMark
        tally.encoding = windows1252 ? "windows-1252" : "utf-8"
        tally.unusedColumns = layout.header.unused
        tally.patientIdentifiers = layout.header.index["patient"] != nil
        return tally
    }
}
