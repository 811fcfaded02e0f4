/// `results.json`: every number of the report with the parameters used and the disclosure status of each value.
public enum ResultsJSON {
    /// The schema version of results.json; raised whenever a key changes meaning or disappears.
    public static let schemaVersion = 1

    /// The document in `style`, as text.
    public static func render(_ s: ReleasedEvidence) -> String { document(s).rendered() }

    /// The document in `style`.
    public static func document(_ s: ReleasedEvidence) -> JSONValue { .object(sections(s).map { ($0.0, $0.1()) }) }

    /// The document's text handed to `emit` in pieces, as `JSONValue.stream` hands them on; each top-level section is
    /// built only when it is written, and let go after, so a study of many wards and categories never holds the
    /// whole document.
    public static func stream(_ s: ReleasedEvidence, _ emit: (String) throws -> Void) throws {
        try JSONValue.streamObject(sections(s), emit)
    }

    /// The top-level keys in order, each with what builds its value.
    static func sections(_ s: ReleasedEvidence) -> [(String, () -> JSONValue)] {
        let style = s.style
        let study = s.study
        let head: [(String, JSONValue)] = [
            ("schema_version", .int(schemaVersion)),
            ("tool", .object([("name", .string("wardsleep")), ("version", .string(WardsleepVersion.current))])),
            ("sensitivity", .string(style.sensitivity.rawValue)),
            ("study", .object([
                ("name", .string(study.study)),
                ("organisation", study.organisation.map { .string($0) } ?? .null),
                ("synthetic", .bool(study.synthetic)),
                ("wards", .array(study.wardsInScope.map { i in
                    let w = study.wards[i], p = study.periods(forWard: i)
                    return .object([
                        ("id", .string(w.id)), ("name", .string(w.name)), ("type", .string(w.type)), ("beds", .int(w.beds)),
                        ("cbti", .bool(w.cbti)),
                        ("baseline", .object([("from", .string(p.baseline.from.iso)), ("to", .string(p.baseline.to.iso))])),
                        ("pilot", .object([("from", .string(p.pilot.from.iso)), ("to", .string(p.pilot.to.iso))])),
                    ])
                })),
            ])),
            ("parameters", .object([
                ("periods", .object([
                    ("baseline", .object([("from", .string(study.periods.baseline.from.iso)), ("to", .string(study.periods.baseline.to.iso))])),
                    ("pilot", .object([("from", .string(study.periods.pilot.from.iso)), ("to", .string(study.periods.pilot.to.iso))])),
                ])),
                ("protected_window", .object([("start", .string(study.protectedWindow.start.description)),
                                              ("end", .string(study.protectedWindow.end.description))])),
                ("occupied_bed_days", .string(study.exports[.occupancy].obdDefinition)),
                ("night_boundary", .string(EventTiming.periodRule)),
                ("disclosure", style.policy.map { p in
                    .object([("suppress_at_or_below", .int(p.suppressAtOrBelow)), ("round_to", .int(p.roundTo)),
                             ("note", .string(Disclosure.note(p)))])
                } ?? .string("none: exact counts, restricted output")),
                ("max_quarantined_percent", .double(study.quality.maxQuarantinedPercent)),
                ("filters", .string(study.scope.description.isEmpty ? "none" : study.scope.description)),
            ])),
            ("data_quality", .array(s.ingest.tallies.map { ReleasedTally($0, style: style) }.map { t in
                .object([
                    ("export", .string(t.tally.export.rawValue)), ("file", .string(t.tally.file)), ("rows_read", t.rowsReadJSON),
                    ("rows_accepted", t.acceptedJSON), ("rows_quarantined", t.quarantinedJSON),
                    ("quarantined_percent", t.quarantinedPercent.map { .double($0) } ?? .string("*")),
                    ("rows_set_aside", .object(t.setAside.map { ($0.reason, $0.json) })),
                ])
            })),
            ("not_supplied", .array(s.ingest.notSupplied.map { .string($0.rawValue) })),
        ]
        var pairs: [(String, () -> JSONValue)] = head.map { pair in (pair.0, { pair.1 }) }
        pairs.append(("safety", { s.safety.map { SafetyTables.json($0, study: study, style: style) } ?? .string("not supplied") }))
        pairs.append(("hypnotics", { s.hypnotics.map {
            HypnoticTables.json(s.hypnoticLines, prn: s.prn, kind: $0, study: study, style: style,
                                exposureFromOccupancy: s.exposureFromOccupancy)
        } ?? .string("not supplied") }))
        pairs.append(("its", { SegmentedTables.json(s.its, study: study) }))
        if let m = s.hypnoticModel { pairs.append(("hypnotics_quasipoisson", { SegmentedTables.hypnoticModelJSON(m) })) }
        pairs.append(("spc", { s.charts.isEmpty ? .string("not enough data") : SPCTables.json(s.charts, study: study) }))
        pairs.append(("fidelity", { s.leftOut[.fidelity].map { .string($0) } ?? FidelitySection.json(s.fidelity, study: study, style: style) }))
        pairs.append(("involvement", { InvolvementTables.json(matrix: s.involvement, uptake: s.uptake, occupancy: s.exposure,
                                                             feedback: s.feedback, study: study, style: style) }))
        return pairs
    }
}
