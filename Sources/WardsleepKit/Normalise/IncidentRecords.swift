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
    /// The reference's 128-bit key, worked out by the thread that read the row, so the merging thread's repeat checks
    /// (`admit`, `RepeatedReferences`) hash nothing; `nil` for a record made by hand, whose key is then worked out there.
    var referenceKey: ReferenceKey? = nil
}

/// Reads incident rows: maps categories and harm levels, pseudonymises patients, drops the narrative.
public struct IncidentNormaliser: RecordNormaliser {
    let context: NormaliseContext

    public var dateOrder: DateOrder { context.dateOrder(.incidents) }
    var lookups = RowLookups()
    let categories: [String: String]?
    var severities: CodedColumn<Int>
    let excluded: Set<String>
    /// Status label → whether its rows are excluded (`nil`: unmapped), once per distinct label.
    let statusTable: [String: Bool]
    /// Redacts category labels used as they are (no `categories` in study.yaml): they are free text that is published.
    let redactor: Redactor
    var categoryCache = LabelCache<CategoryLabel>()
    /// The references of the incidents admitted last (`admit`).
    var recent = RecentReferences()
    /// Subcategory and status labels, as strings.
    var labels = LabelCache<String>()

    /// What a category label resolved to.
    enum CategoryLabel {
        case category(String)
        case unmapped
        /// Mapped to `all`, which names the total.
        case reserved
        /// Longer than `PlausibleLimits.categoryLength` (with no mapping in study.yaml).
        case tooLong
    }
    var statusCache = LabelCache<Bool?>()
    /// The fields read on every row, named once (see `FieldName`).
    let idField = FieldName("id"), dateField = FieldName("date"), timeField = FieldName("time"), categoryField = FieldName("category"),
        subcategoryField = FieldName("subcategory"), statusField = FieldName("status")

    /// NRLS harm levels and their common spellings (`CodedFields.severity`), used when study.yaml gives no `severities`.
    public static let standardSeverities: [String: Int] = CodedFields.severity.defaults.compactMapValues(harmLevel)

    /// 0 (no harm) to 4 (death) for a canonical harm level.
    static func harmLevel(_ canonical: String) -> Int? { CodedFields.severity.canonical.firstIndex(of: canonical) }

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
        // `severities` (label → 0–4) replaces the standard levels; `values.severity` (label → level name) adds to either.
        var levels = spec.severities.map { Dictionary($0.map { (Slug.normaliseLabel($0.key), $0.value) }, uniquingKeysWith: { a, _ in a }) }
            ?? IncidentNormaliser.standardSeverities
        for (label, canonical) in spec.values["severity"] ?? [:] { levels[Slug.normaliseLabel(label)] = IncidentNormaliser.harmLevel(canonical) }
        severities = CodedColumn(CodedFields.severity, table: levels)
        let excluded = Set(spec.excludeStatus.map(Slug.normaliseLabel))
        self.excluded = excluded
        // A status is excluded when its own label or the canonical status it maps to is listed in exclude_status; a
        // listed label is a known status even when no synonym maps it.
        var statuses: [String: Bool] = [:]
        for (label, canonical) in CodedFields.incidentStatus.table(adding: spec.values["status"] ?? [:]) {
            statuses[label] = excluded.contains(label) || excluded.contains(Slug.normaliseLabel(canonical))
        }
        for label in excluded { statuses[label] = true }
        statusTable = statuses
    }

    public func prepare(header: ExportHeader, spec: ExportSpec) throws { try context.requireKey(for: header, spec: spec) }

    public mutating func normalise(_ row: inout ExportRow) -> IncidentRecord? {
        let order = context.dateOrder(.incidents)
        let id = row.text(idField, required: true)
        let stamp = row.dateTime(dateField, required: true, order: order)
        let separateTime = row.parse(timeField, FieldParsing.time)
        let ward = context.ward(&row, cache: &lookups)
        var category: String?
        if let bytes = row.requiredBytes(categoryField) {
            // Mapped, and checked against the reserved name, once per distinct label.
            let categories = self.categories, redactor = self.redactor
            switch categoryCache.value(for: bytes, { b -> CategoryLabel in
                let label = TextDecoding.decode(b).0
                let mapped: String?
                if let categories {
                    mapped = categories[Slug.normaliseLabel(label)]
                } else {
                    guard label.count <= PlausibleLimits.categoryLength else { return .tooLong }
                    mapped = redactor.redact(label.split(whereSeparator: { $0.isWhitespace }).joined(separator: " "))
                }
                guard let mapped else { return .unmapped }
                return Slug.normaliseLabel(mapped) == IncidentCategory.all ? .reserved : .category(mapped)
            }) {
            case .category(let c): category = c
            case .unmapped: row.reject("category", "unmapped category: not listed in study.yaml exports.incidents.categories")
            case .tooLong:
                row.reject("category", "implausible category: longer than \(PlausibleLimits.categoryLength) characters "
                           + "(the cell may hold a narrative, or a quote may be unbalanced)")
            case .reserved:
                row.reject("category", "reserved category: \"all\" names the total over all categories; map this label to another "
                           + "name in study.yaml exports.incidents.categories")
            }
        }
        let severity = severities.value(&row)
        // Labels that repeat: each distinct one made into a string once per chunk, then shared.
        let subcategory = row.bytes(subcategoryField).map { b in labels.value(for: b) { TextDecoding.decode($0).0 } }
        let statusBytes = row.bytes(statusField)
        let status = statusBytes.map { b in labels.value(for: b) { TextDecoding.decode($0).0 } }
        var isExcluded = false
        if let b = statusBytes {
            let statuses = statusTable
            if let x = statusCache.value(for: b, { statuses[Slug.normaliseLabel(TextDecoding.decode($0).0)] }) {
                isExcluded = x
            } else {
                row.reject("status", CodedFields.incidentStatus.unmappedReason)
            }
        }
        let patientCell = context.patientCell(&row, required: false, cache: &lookups)
        guard let id, let stamp, let ward, let category, row.isClean else { return nil }
        let patient = patientCell.map { context.patient($0, cache: &lookups) }
        let time = separateTime ?? stamp.1
        return IncidentRecord(id: id, day: stamp.0, time: time, ward: ward, category: category, subcategory: subcategory,
                              severity: severity, patient: patient, status: status,
                              excludedByStatus: isExcluded,
                              timing: context.timing(ward: ward, day: stamp.0, time: time), referenceKey: ReferenceKey(id))
    }

    public var placesRowsInPeriods: Bool { true }
    public func period(of r: IncidentRecord) -> StudyPeriod? { r.timing.period }

    public func setAsideReason(_ r: IncidentRecord) -> String? {
        if r.excludedByStatus { return "excluded by status" }
        return r.timing.period == nil ? "outside both periods" : nil
    }

    /// An incident whose reference is among the last `RecentReferences.defaultCapacity` incidents' (16,384: months of a
    /// large trust's reports) is quarantined the second time: an incident counts once, and an export with one row per
    /// person involved repeats it, as do two exports appended with weeks in common. Checked in file order; memory stays
    /// bounded (a reference given again after more incidents than that is not found).
    public mutating func admit(_ r: IncidentRecord) -> (field: String, value: String, reason: String)? {
        guard !recent.insert(r.referenceKey ?? ReferenceKey(r.id)) else { return nil }
        return ("id", r.id, "repeated incident reference: an earlier row has the same reference, and an incident counts once "
                + "(an export with one row per person involved repeats it)")
    }
}

/// The distinct incident categories an export names, counted in file order as the records arrive, up to `limit`: an
/// incident system has tens of categories, so a column with hundreds of distinct labels is not the category (a mapping
/// pointing at the description or the reference, say), and reading on would make a report section, a chart and a table
/// row for each of them, in memory that grows with the file. The read stops there with a configuration error instead.
struct DistinctCategories {
    /// The most distinct categories an incidents export may name.
    static let limit = 500
    /// Categories seen, normalised (`Slug.normaliseLabel`: case and spacing ignored).
    private var seen = Set<String>()
    /// Labels seen as read (at most `rawLimit`), so a label met again is not normalised again: exports repeat a few
    /// categories in any order, so most rows differ from the row before.
    private var raw = Set<String>()
    private static let rawLimit = 50_000
    /// The last labels met, scanned before the set is hashed: an export has a few dozen categories at most.
    private var recent = RecentLabels()
    let limit: Int

    init(limit: Int = DistinctCategories.limit) { self.limit = limit }

    /// Counts `r`'s category; throws once more than `limit` distinct ones have been named.
    mutating func count(_ r: IncidentRecord, spec: ExportSpec) throws {
        if recent.contains(r.category) { return }
        recent.add(r.category)
        if raw.contains(r.category) { return }
        if raw.count < DistinctCategories.rawLimit { raw.insert(r.category) }
        guard seen.insert(Slug.normaliseLabel(r.category)).inserted, seen.count > limit else { return }
        let examples = seen.sorted().prefix(3).map { "\"\($0)\"" }.joined(separator: ", ")
        guard spec.categories != nil else {
            throw ConfigurationError(file: spec.file, keyPath: "exports.incidents.columns.category",
                                     message: "the category column names more than \(limit) distinct categories (\(examples) ...): an "
                                        + "incident system has tens, so this column does not look like the incident category; map the "
                                        + "column that holds it (exports.incidents.columns.category), or group the labels with "
                                        + "exports.incidents.categories")
        }
        // The study maps the labels itself: the categories it maps them to are too many to report on.
        throw ConfigurationError(file: spec.file, keyPath: "exports.incidents.categories",
                                 message: "the export's categories, as exports.incidents.categories maps them, number more than "
                                    + "\(limit) (\(examples) ...): each gets a table row, a chart and a line in the report, and an "
                                    + "incident system has tens; map the labels to fewer categories there, or check that "
                                    + "exports.incidents.columns.category names the category column")
    }
}
