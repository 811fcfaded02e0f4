/// `manifest.json`: what produced a report, from what, and how sensitive each output is. No clock time.
public enum Manifest {
    /// The schema version of manifest.json.
    public static let schemaVersion = 1

    /// One output file and its sensitivity.
    public struct Output: Sendable {
        /// Path relative to the report folder.
        public var path: String
        /// Releasable or restricted.
        public var sensitivity: Sensitivity
    }

    /// The manifest document.
    public static func render(study: StudyDefinition, studyHash: String, keySource: Pseudonymiser.KeySource?,
                              ingest: IngestResult, outputs: [Output], status: ExitStatus, generated: String? = nil,
                              style: CountStyle) -> String {
        // The manifest is releasable: its row counts are published like every other count (`ReleasedTally`).
        let inputs: [JSONValue] = ingest.tallies.map { t in
            let shown = ReleasedTally(t, style: style)
            // A report on part of the study releases no row count: its families of counts are not the full report's, so
            // what that report withholds could be shown here.
            let rows: [(String, JSONValue)] = study.reportIsRestricted
                ? [("rows", .string("in restricted/ only: a report on part of the study releases no count"))]
                : [("rows_read", shown.rowsReadJSON), ("rows_accepted", shown.acceptedJSON), ("rows_quarantined", shown.quarantinedJSON),
                   ("blank_lines", style.json(t.blankLines)), ("rows_set_aside", .object(shown.setAside.map { ($0.reason, $0.json) }))]
            return .object([
                ("export", .string(t.export.rawValue)),
                ("file", .string(t.file)),
                ("bytes", .int(t.bytes)),
                ("sha256", .string(t.sha256)),
                ("encoding", .string(t.encoding)),
                ("byte_order_mark", .bool(t.byteOrderMark)),
            ] + rows + [
                ("unused_columns", .array(t.unusedColumns.map { .string($0) })),
            ])
        }
        var pairs: [(String, JSONValue)] = [
            ("schema_version", .int(schemaVersion)),
            ("tool", .object([("name", .string("wardsleep")), ("version", .string(WardsleepVersion.current))])),
            ("study", .object([
                ("name", .string(study.study)),
                ("slug", .string(study.slug)),
                ("study_yaml_sha256", .string(studyHash)),
                ("synthetic", .bool(study.synthetic)),
            ])),
            ("filters", .string(study.scope.description.isEmpty ? "none" : study.scope.description)),
            ("pseudonymisation", .object([
                ("method", .string("HMAC-SHA-256, first 80 bits")),
                ("key_source", keySource.map { .string($0.rawValue) } ?? .string("none (no patient identifiers read)")),
            ])),
            ("inputs", .array(inputs)),
            ("not_supplied", .array(ingest.notSupplied.map { .string($0.rawValue) })),
            ("outputs", .array(outputs.sorted { $0.path < $1.path }.map {
                .object([("path", .string($0.path)), ("sensitivity", .string($0.sensitivity.rawValue))])
            })),
            ("outcome", .object([
                ("exit_status", .int(Int(status.rawValue))),
                ("max_quarantined_percent", .double(study.quality.maxQuarantinedPercent)),
                ("exports_over_threshold", .array(ingest.exportsOverThreshold(study.quality.maxQuarantinedPercent).map { .string($0.export.rawValue) })),
            ])),
        ]
        if let generated { pairs.insert(("generated_at", .string(generated)), at: 1) }
        return JSONValue.object(pairs).rendered()
    }
}

/// The version of wardsleep.
public enum WardsleepVersion {
    /// Semantic version of this build.
    public static let current = "0.1.0"
}
