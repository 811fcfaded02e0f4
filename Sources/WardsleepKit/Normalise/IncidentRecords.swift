/// One adverse event from the incident export. The narrative is never kept.
public struct IncidentRecord: Sendable, Equatable {
    /// The export's reference.
    public var id: String
    /// The date of the event itself (never the reported date).
    public var day: CalendarDay
    /// The time of the event, when recorded.
    public var time: ClockTime?
    /// Index of the ward in the study.
    public var ward: Int
    /// The canonical category (mapped by study.yaml, or the export's label).
    public var category: String
    /// The subcategory label, when exported.
    public var subcategory: String?
    /// Harm level 0 (no harm) to 4 (death), when exported.
    public var severity: Int?
    /// The patient (pseudonymised on ingest), when exported.
    public var patient: PatientID?
    /// The status label, when exported.
    public var status: String?
    /// Whether the status is one study.yaml excludes (e.g. REJECTED).
    public var excludedByStatus: Bool
    /// Period, night and protected-window membership.
    public var timing: EventTiming
}

/// Reads incident rows: maps categories and harm levels, pseudonymises patients, drops the narrative.
public struct IncidentNormaliser: RecordNormaliser {
    let context: NormaliseContext
    var lookups = RowLookups()
    let categories: [String: String]?
    let severities: [String: Int]
    let excluded: Set<String>
    let severityHint: String
    /// Redacts category labels used as they are (no `categories` in study.yaml): they are free text that is published.
    let redactor: Redactor
    var categoryCache = LabelCache<String?>()
    var severityCache = LabelCache<Int?>()
    var statusCache = LabelCache<Bool>()

    /// NRLS harm levels and their common spellings, used when study.yaml gives no `severities`.
    public static let standardSeverities: [String: Int] = [
        "no harm": 0, "none": 0, "0": 0, "low": 1, "low harm": 1, "minor": 1, "1": 1, "moderate": 2, "moderate harm": 2,
        "2": 2, "severe": 3, "severe harm": 3, "major": 3, "3": 3, "death": 4, "catastrophic": 4, "4": 4,
    ]

    /// Creates the normaliser for `spec` (categories, severities and excluded statuses come from it).
    public init(context: NormaliseContext, spec: ExportSpec) {
        self.context = context
        redactor = Redactor(names: context.study.feedback.names)
        if let map = spec.categories {
            // Each category answers to its own name too, unless a label of the study's maps that name elsewhere.
            var c: [String: String] = [:]
            for canonical in Set(map.values).sorted() { c[Slug.normaliseLabel(canonical)] = canonical }
            for (label, canonical) in map { c[Slug.normaliseLabel(label)] = canonical }
            categories = c
        } else {
            categories = nil
        }
        if let map = spec.severities {
            severities = Dictionary(map.map { (Slug.normaliseLabel($0.key), $0.value) }, uniquingKeysWith: { a, _ in a })
            severityHint = "one of " + map.sorted { ($0.value, $0.key) < ($1.value, $1.key) }.map { "\"\($0.key)\"" }
                .joined(separator: ", ") + " (exports.incidents.severities)"
        } else {
            severities = IncidentNormaliser.standardSeverities
            severityHint = "No harm, Low, Moderate, Severe or Death, or 0 to 4 (map local codes in exports.incidents.severities)"
        }
        excluded = Set(spec.excludeStatus.map(Slug.normaliseLabel))
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    public mutating func normalise(_ row: inout ExportRow) -> IncidentRecord? {
        let order = context.study.dateFormat
        let id = row.text("id", required: true)
        let stamp = row.parse("date", required: true) { (b) throws(FieldIssue) in try FieldParsing.dateTime(b, order: order) }
        let separateTime = row.parse("time", FieldParsing.time)
        let ward = context.ward(&row, cache: &lookups)
        var category: String?
        if let bytes = row.requiredBytes("category") {
            let categories = self.categories, redactor = self.redactor
            category = categoryCache.value(for: bytes) {
                let label = TextDecoding.decode($0).0
                guard let categories else { return redactor.redact(label.split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")) }
                return categories[Slug.normaliseLabel(label)]
            }
            if category == nil {
                row.reject("category", "unmapped category: not listed in study.yaml exports.incidents.categories")
            } else if let c = category, Slug.normaliseLabel(c) == IncidentCounts.allCategories {
                category = nil
                row.reject("category", "reserved category: \"all\" names the total over all categories; map this label to another "
                           + "name in study.yaml exports.incidents.categories")
            }
        }
        var severity: Int?
        if let bytes = row.bytes("severity") {
            let severities = self.severities
            severity = severityCache.value(for: bytes) { severities[Slug.normaliseLabel(TextDecoding.decode($0).0)] }
            if severity == nil { row.reject("severity", "unknown harm level: expected \(severityHint)") }
        }
        let subcategory = row.text("subcategory")
        let status = row.text("status")
        let excluded = self.excluded
        let isExcluded = row.bytes("status").map { b in statusCache.value(for: b) { excluded.contains(Slug.normaliseLabel(TextDecoding.decode($0).0)) } } ?? false
        let patient = context.patient(&row, required: false)
        guard let id, let stamp, let ward, let category, row.problems.isEmpty else { return nil }
        let time = separateTime ?? stamp.1
        return IncidentRecord(id: id, day: stamp.0, time: time, ward: ward, category: category, subcategory: subcategory,
                              severity: severity, patient: patient, status: status,
                              excludedByStatus: isExcluded,
                              timing: context.timing(ward: ward, day: stamp.0, time: time))
    }

    public func setAsideReason(_ r: IncidentRecord) -> String? {
        if r.excludedByStatus { return "excluded by status" }
        return r.timing.period == nil ? "outside both periods" : nil
    }
}
